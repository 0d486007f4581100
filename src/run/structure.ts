/**
 * The deep check of a request's response format and tools (every schema walked, every
 * regex parsed): typed errors before any backend sees the request. It lives in the
 * runner's lazy chunk so the page's core stays small; `validate.ts` checked the shapes.
 */
import { EdgewiseError } from '../errors.js';
import { checkResponseFormat, checkTools } from '../structured/schema-check.js';
import type { ChatMessage } from '../types.js';
import type { CheckedRequest } from '../validate.js';

/** The tool calls an assistant message carries back: each as the tool-call part gave it. */
function checkToolCalls(messages: readonly ChatMessage[]): void {
  messages.forEach((m, i) => {
    if (m.role !== 'assistant' || !m.toolCalls) return;
    m.toolCalls.forEach((c, j) => {
      const ok = typeof c.id === 'string' && typeof c.name === 'string' && typeof c.arguments === 'object' && c.arguments !== null && !Array.isArray(c.arguments);
      if (!ok) throw new EdgewiseError('invalid_message', `messages[${i}].toolCalls[${j}] needs a string \`id\` and \`name\` and the parsed \`arguments\` object, as the tool-call part gave them.`, { details: { index: i } });
    });
  });
}

export function checkStructure(c: CheckedRequest): CheckedRequest {
  const r = c.request;
  if (r.messages) checkToolCalls(r.messages);
  if (r.responseFormat === undefined && r.tools === undefined) return c;
  const request = { ...r };
  if (r.responseFormat !== undefined) request.responseFormat = checkResponseFormat(r.responseFormat);
  if (r.tools !== undefined) {
    const checked = checkTools(r.tools, r.toolChoice);
    request.tools = checked.tools;
    request.toolChoice = checked.toolChoice;
  }
  return { ...c, request };
}

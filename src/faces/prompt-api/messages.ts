/**
 * index.bs "validate and canonicalize a prompt": the page's input (a string, or messages
 * whose content is a string or `{ type, value }` parts) becomes the engine's chat
 * messages, with the spec's exceptions for misplaced system and prefix messages.
 */
import type { ChatMessage } from '../../index.js';
import { domError } from './errors.js';
import type { LanguageModelMessage, LanguageModelPrompt } from './types.js';

const ROLES: readonly string[] = ['system', 'user', 'assistant'];

function textOf(m: LanguageModelMessage): string {
  if (typeof m.content === 'string') return m.content;
  if (!Array.isArray(m.content)) throw new TypeError('A message\'s content is a string or a list of { type, value }.');
  let text = '';
  for (const part of m.content as readonly unknown[]) {
    const { type, value } = (part ?? {}) as { type?: unknown; value?: unknown };
    // The spec's order: an assistant's non-text content is NotSupportedError before any type check.
    if (m.role === 'assistant' && type !== 'text') throw domError('NotSupportedError', 'Assistant messages hold text only.');
    if (type === 'text') {
      if (typeof value !== 'string') throw new TypeError('A text part\'s value is a string.');
      // Contiguous text parts are joined with nothing between them (the spec's note).
      text += value;
    } else if (type === 'image' || type === 'audio') {
      throw domError('NotSupportedError', `This model takes text only, not ${type} (expectedInputs says so: availability() is 'unavailable' for it).`);
    } else if (type === 'tool-call' || type === 'tool-response') {
      // The session runs its tools itself (closed loop); tool turns in the input would need the open loop.
      throw domError('NotSupportedError', `${type} content needs the open tool loop, which this implementation does not offer: give tools an execute function.`);
    } else {
      throw new TypeError(`Unknown content type ${JSON.stringify(type)}.`);
    }
  }
  return text;
}

/**
 * `hasAppended`: the session already holds input (index.bs passes "current context usage
 * > 0"), so a system message is out of place anywhere in this input.
 */
export function canonicalize(input: LanguageModelPrompt, hasAppended: boolean): ChatMessage[] {
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  if (!Array.isArray(input)) throw new TypeError('The input is a string or a list of messages.');
  if (input.length === 0) return [{ role: 'user', content: '' }];
  const out: ChatMessage[] = [];
  let appended = hasAppended;
  input.forEach((m: LanguageModelMessage, i: number) => {
    if (typeof m !== 'object' || m === null || !ROLES.includes(m.role)) throw new TypeError('A message has a role of system, user or assistant.');
    if (m.prefix === true && (m.role !== 'assistant' || i !== input.length - 1)) {
      throw domError('SyntaxError', 'Only the last message may be a prefix, and only an assistant message.');
    }
    // explainer, "N-shot prompting": a system message anywhere but first is a TypeError.
    if (m.role === 'system' && appended) throw new TypeError('A system message may only come first in the session (the first message of initialPrompts, or of the first prompt()/append()).');
    const content = textOf(m);
    // Assistant prefill needs the engine to continue a message rather than start a turn; it cannot yet.
    if (m.prefix === true) throw domError('NotSupportedError', 'Assistant prefixes (prefix: true) are not supported by this implementation.');
    out.push({ role: m.role, content });
    appended = true;
  });
  return out;
}

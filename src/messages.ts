/**
 * Checks chat messages and copies them field by field: a message that goes to a remote
 * endpoint carries exactly what the contract names, never an extra field an app object
 * happened to hold. Tool calls in the history are checked in depth by the runner
 * (`run/structure.ts`), in its lazy chunk.
 */
import { EdgewiseError } from './errors.js';
import type { ChatMessage, ToolCall } from './types.js';

const ROLES = new Set(['system', 'user', 'assistant', 'tool']);

export function checkMessages(messages: unknown): ChatMessage[] {
  if (!Array.isArray(messages)) throw new EdgewiseError('invalid_message', '`messages` must be an array of { role, content } objects.');
  if (messages.length === 0) throw new EdgewiseError('empty_messages', '`messages` is empty: pass at least one { role: "user", content: "…" } message.');
  return messages.map((m: unknown, i): ChatMessage => {
    const { role, content, toolCallId, toolCalls, name } = (m ?? {}) as Record<string, unknown>;
    const bad = (why: string): EdgewiseError => new EdgewiseError('invalid_message', `messages[${i}] ${why}`, { details: { index: i } });
    if (typeof m !== 'object' || typeof content !== 'string') throw bad('has no string `content`: each message needs { role, content: string }.');
    if (typeof role !== 'string' || !ROLES.has(role)) throw bad(`role is ${JSON.stringify(role)}: use 'system', 'user', 'assistant' or 'tool'.`);
    if (role === 'tool') {
      if (typeof toolCallId !== 'string' || toolCallId === '') throw bad("is a 'tool' result without `toolCallId`: pass the id of the tool call it answers.");
      return { role, content, toolCallId, ...(typeof name === 'string' ? { name } : {}) };
    }
    if (role !== 'assistant' || toolCalls === undefined) return { role: role as 'system' | 'user' | 'assistant', content };
    if (!Array.isArray(toolCalls)) throw bad('has `toolCalls` that is not an array of { id, name, arguments }.');
    return { role, content, toolCalls: toolCalls.map((c: Partial<ToolCall> | null) => ({ id: c?.id, name: c?.name, arguments: c?.arguments }) as ToolCall) };
  });
}

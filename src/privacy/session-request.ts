/**
 * Every text one request carries, gathered for one finder call, and the request rebuilt
 * from the redacted texts: each message's content (system, history and tool results
 * included), the strings and keys of earlier tool calls' arguments (a key may be data),
 * the prompt, and the `stop` sequences (sent raw, they would leak, and a stop holding a
 * value could never match the redacted answer). Tool definitions are the app's own text
 * and go as they are.
 */
import type { BackendRequest } from '../backends/backend.js';
import type { ChatMessage } from '../types.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every string inside a JSON value, through `f`, keys too, in a fixed order. */
export function mapStrings(v: Json, f: (s: string) => string): Json {
  if (typeof v === 'string') return f(v);
  if (Array.isArray(v)) return v.map((x) => mapStrings(x, f));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [f(k), mapStrings(x, f)]));
  return v;
}

/** JSON text with `f` applied to its strings; text that is not JSON is treated as one string. */
export function mapJsonText(text: string, f: (s: string) => string): string {
  let value: Json;
  try {
    value = JSON.parse(text) as Json;
  } catch {
    return f(text);
  }
  return JSON.stringify(mapStrings(value, f));
}

function mapMessage(m: ChatMessage, f: (s: string) => string): ChatMessage {
  const content = f(m.content);
  if (m.role !== 'assistant' || !m.toolCalls) return { ...m, content };
  const toolCalls = m.toolCalls.map((c) => ({ ...c, arguments: mapStrings(c.arguments as Json, f) as Record<string, unknown> }));
  return { ...m, content, toolCalls };
}

/** The request with `f` applied to each of its texts, always in the same order. */
function mapRequest(request: BackendRequest, f: (s: string) => string): BackendRequest {
  const body: BackendRequest = request.messages !== undefined
    ? { ...request, messages: request.messages.map((m) => mapMessage(m, f)) }
    : { ...request, prompt: f(request.prompt ?? '') };
  return { ...body, stop: request.stop.map(f) };
}

/** Every text of the request, in the order {@link withTexts} puts them back. */
export function requestTexts(request: BackendRequest): string[] {
  const texts: string[] = [];
  mapRequest(request, (s) => {
    texts.push(s);
    return s;
  });
  return texts;
}

/** The request with its texts replaced by `redacted` (as many as {@link requestTexts} gave, in its order). */
export function withTexts(request: BackendRequest, redacted: readonly string[]): BackendRequest {
  let next = 0;
  return mapRequest(request, () => redacted[next++] as string);
}

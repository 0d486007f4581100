/**
 * What the redaction middleware does to one call (see `middleware.ts`): every message
 * (tool results and the arguments of earlier tool calls included) goes out with personal
 * data replaced by placeholders, and the answer's text and tool-call arguments come back
 * with the originals restored. A lazy chunk, with the detectors.
 */
import type { BackendPart, BackendRequest } from '../backends/backend.js';
import type { BackendMiddleware } from '../backends/middleware.js';
import type { RedactOptions } from '../config-types.js';
import type { ChatMessage } from '../types.js';
import { createRedactionSession } from './index.js';
import type { RedactionSession } from './session.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every string inside a JSON value, through `f`; keys too, since an argument's key may be data. */
function mapStrings(v: Json, f: (s: string) => string): Json {
  if (typeof v === 'string') return f(v);
  if (Array.isArray(v)) return v.map((x) => mapStrings(x, f));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [f(k), mapStrings(x, f)]));
  return v;
}

/** JSON text with `f` applied to its strings; text that is not JSON is treated as one string. */
function mapJsonText(text: string, f: (s: string) => string): string {
  let value: Json;
  try {
    value = JSON.parse(text) as Json;
  } catch {
    return f(text);
  }
  return JSON.stringify(mapStrings(value, f));
}

function redactMessages(session: RedactionSession, messages: readonly ChatMessage[]): ChatMessage[] {
  return session.redactMessages(messages).map((m) => {
    if (m.role !== 'assistant' || !m.toolCalls) return m;
    const toolCalls = m.toolCalls.map((c) => ({ ...c, arguments: mapStrings(c.arguments as Json, (s) => session.redactText(s)) as Record<string, unknown> }));
    return { ...m, toolCalls };
  });
}

/** One whole string restored (a tool-call argument arrives whole, not in chunks). */
function restoreWhole(session: RedactionSession, text: string): string {
  const r = session.restorer();
  return r.push(text) + r.flush();
}

export function redactingMiddleware(options: RedactOptions): Required<BackendMiddleware> {
  return {
    async *wrapGenerate({ request, next }): AsyncGenerator<BackendPart> {
      const session = createRedactionSession(options);
      const outgoing: BackendRequest = request.messages !== undefined
        ? { ...request, messages: redactMessages(session, request.messages) }
        : { ...request, prompt: session.redactText(request.prompt ?? '') };
      const restore = session.restorer();
      for await (const p of next(outgoing)) {
        if (p.type === 'text') {
          const text = restore.push(p.text);
          if (text) yield { type: 'text', text };
        } else if (p.type === 'tool-call') {
          yield { ...p, arguments: mapJsonText(p.arguments, (s) => restoreWhole(session, s)) };
        } else if (p.type === 'finish') {
          const tail = restore.flush();
          if (tail) yield { type: 'text', text: tail };
          yield { ...p, redactions: session.counts() };
        } else {
          yield p;
        }
      }
    },
    async wrapEmbed({ request, next }) {
      const session = createRedactionSession(options);
      const result = await next({ ...request, texts: request.texts.map((t) => session.redactText(t)) });
      return { ...result, redactions: session.counts() };
    },
  };
}

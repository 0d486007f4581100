/**
 * What a local ONNX answer is constrained to, and how a constrained answer becomes
 * parts. Structured output streams as text (the grammar keeps every prefix valid). A tool
 * call is a JSON object `{"name", "arguments"}` under a grammar made from the tools'
 * schemas, read whole at the end: a half-written call is never shown. With `auto` the
 * model also may answer `{"text": …}` (the same envelope the built-in model's emulation
 * uses), so an `auto` answer arrives whole, not streamed.
 */
import { EdgewiseError } from '../../errors.js';
import { toolCallSchema } from '../../structured/tool-call-schema.js';
import type { BackendPart, BackendRequest } from '../backend.js';
import type { GrammarFormat } from './grammar/compile.js';

export type OutputMode = 'text' | 'call' | 'envelope';

export interface Constrained {
  format: GrammarFormat;
  mode: OutputMode;
}

/** The grammar of a request, or undefined for a free answer. */
export function constrainedOf(r: BackendRequest): Constrained | undefined {
  const { tools, toolChoice } = r;
  if (tools && tools.length > 0 && toolChoice !== undefined && toolChoice !== 'none') {
    if (toolChoice !== 'auto') return { format: { type: 'tool_call', tools, toolChoice }, mode: 'call' };
    // The tools' parameters sit under the call schema's root `$defs`: they move up with it.
    const { $defs, ...call } = toolCallSchema(tools, 'required') as Record<string, unknown>;
    const text = { type: 'object', properties: { text: { type: 'string' } }, required: ['text'], additionalProperties: false };
    return { format: { type: 'json_schema', schema: { anyOf: [call, text], $defs } }, mode: 'envelope' };
  }
  return r.responseFormat ? { format: r.responseFormat, mode: 'text' } : undefined;
}

let calls = 0;

const TEXT_OPEN = '{"text":"';

/**
 * The text of an `auto` answer cut at maxTokens (`{"text":"Once upon a ti`): what the
 * model wrote so far, its JSON escapes undone, with reason 'length' as a free answer has.
 */
export function cutText(text: string): string | undefined {
  if (!text.startsWith(TEXT_OPEN)) return undefined;
  // Drop an escape cut in half (`\`, `\u00`) rather than misread it.
  const body = text.slice(TEXT_OPEN.length).replace(/\\(u[0-9a-fA-F]{0,3})?$/, '');
  try {
    return JSON.parse(`"${body}"`) as string;
  } catch {
    return undefined;
  }
}

/** The parts of a whole constrained answer (`call` or `envelope` mode). */
export function answerParts(text: string, mode: Exclude<OutputMode, 'text'>): { parts: BackendPart[]; toolCalls: boolean } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new EdgewiseError('invalid_output', `The local model's constrained answer is not JSON: ${text.slice(0, 200)}`, { cause, details: { reason: 'not_json' } });
  }
  const v = value as { name?: unknown; arguments?: unknown; text?: unknown };
  if (mode === 'envelope' && typeof v.text === 'string') return { parts: v.text ? [{ type: 'text', text: v.text }] : [], toolCalls: false };
  if (typeof v.name !== 'string') throw new EdgewiseError('invalid_output', `The local model's answer is not a tool call: ${text.slice(0, 200)}`, { details: { reason: 'schema' } });
  return { parts: [{ type: 'tool-call', id: `call_${++calls}`, name: v.name, arguments: JSON.stringify(v.arguments ?? {}) }], toolCalls: true };
}

/**
 * Tool calls on the built-in model, emulated. The Prompt API's own `tools` option runs
 * each tool's `execute` inside the session and feeds the result back to the model itself
 * (explainer, "Tool use"; an open-loop mode without execution is only proposed, prompt-api
 * PR #162). That does not fit `BackendV3`, where a call goes back to the caller as a
 * `tool-call` part and its result arrives in the next request. So, as on the ONNX path:
 * the tools are described in the system prompt, the answer is constrained by
 * `responseConstraint` to one of the envelopes below, and the envelope is read at the end.
 *
 * - a call: `{ "name": <tool>, "arguments": <its parameters> }`, one branch per tool
 *   offered (all of them for 'auto' and 'required', the named one alone for `{ name }`);
 * - for 'auto' only, a text answer: `{ "text": <the answer> }` (a string, or the value
 *   the request's responseFormat asks for).
 *
 * The tools are in the prompt already, so the constraint is kept out of the model's input
 * (`omitResponseConstraintInput`), which saves context.
 */
import { EdgewiseError } from '../../errors.js';
import type { ResponseFormat, ToolDefinition } from '../../types.js';
import type { BackendPart, BackendRequest } from '../backend.js';
import { schemaObject, textSchemaOf } from './constraint.js';
import type { LanguageModelPromptOptions } from './prompt-api.js';

export interface ToolMode {
  /** Appended to the system prompt. */
  system: string;
  prompt: Pick<LanguageModelPromptOptions, 'responseConstraint' | 'omitResponseConstraintInput'>;
  /** The request's format, for the value of a text answer. */
  textFormat: ResponseFormat | undefined;
  /** Tool calls already in the history; new ids continue after them, so ids stay unique in a conversation. */
  priorCalls: number;
}

function describe(t: ToolDefinition): string {
  return `- ${t.name}${t.description ? `: ${t.description}` : ''}\n  arguments (JSON Schema): ${JSON.stringify(schemaObject(t.parameters))}`;
}

/** The tool mode of a request, or undefined when it offers no tools ('none' offers none). */
export function toolMode(request: Pick<BackendRequest, 'tools' | 'toolChoice' | 'responseFormat' | 'messages'>): ToolMode | undefined {
  const choice = request.toolChoice ?? 'auto';
  if (!request.tools || request.tools.length === 0 || choice === 'none') return undefined;
  const offered = typeof choice === 'object' ? request.tools.filter((t) => t.name === choice.name) : request.tools;
  if (offered.length === 0) {
    throw new EdgewiseError('invalid_tools', `toolChoice names '${(choice as { name: string }).name}', which is not one of the request's tools.`, { details: { option: 'toolChoice' } });
  }
  const calls = offered.map((t) => ({
    type: 'object',
    properties: { name: { const: t.name }, arguments: schemaObject(t.parameters) },
    required: ['name', 'arguments'],
    additionalProperties: false,
  }));
  const text = { type: 'object', properties: { text: textSchemaOf(request.responseFormat) }, required: ['text'], additionalProperties: false };
  const rule = choice === 'auto'
    ? 'To answer without a tool, answer with only {"text": <your answer>}.'
    : choice === 'required' ? 'You must call one of the tools.' : `You must call ${choice.name}.`;
  const system = [
    'You can call these tools:',
    ...offered.map(describe),
    'To call a tool, answer with only {"name": <the tool\'s name>, "arguments": <its arguments>}.',
    rule,
  ].join('\n');
  const priorCalls = (request.messages ?? []).reduce((n, m) => n + (m.role === 'assistant' ? m.toolCalls?.length ?? 0 : 0), 0);
  return {
    system,
    prompt: { responseConstraint: { anyOf: choice === 'auto' ? [...calls, text] : calls }, omitResponseConstraintInput: true },
    textFormat: request.responseFormat,
    priorCalls,
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function invalid(reason: 'not_json' | 'schema', answer: string): EdgewiseError {
  return new EdgewiseError('invalid_output', `The built-in model's answer is not ${reason === 'not_json' ? 'JSON' : 'a tool call or a text answer'}, though its output was constrained: ${answer.slice(0, 200)}`, { details: { reason } });
}

/** Text up to the first stop string, and whether one was found. */
function beforeStop(text: string, stops: readonly string[]): { text: string; stopped: boolean } {
  const at = Math.min(...stops.map((s) => (s ? text.indexOf(s) : -1)).filter((i) => i >= 0));
  return Number.isFinite(at) ? { text: text.slice(0, at), stopped: true } : { text, stopped: false };
}

/**
 * The parts of a whole envelope: one `tool-call` (finish `tool-calls`), or the text
 * answer (finish `stop`), cut at the first stop string.
 * @throws EdgewiseError `invalid_output` when the answer is not an envelope.
 */
export function readEnvelope(answer: string, mode: ToolMode, stops: readonly string[]): { parts: BackendPart[]; reason: 'tool-calls' | 'stop' } {
  let value: unknown;
  try {
    value = JSON.parse(answer);
  } catch {
    throw invalid('not_json', answer);
  }
  if (isObject(value) && typeof value.name === 'string' && 'arguments' in value) {
    return { parts: [{ type: 'tool-call', id: `call_${mode.priorCalls}`, name: value.name, arguments: JSON.stringify(value.arguments) }], reason: 'tool-calls' };
  }
  if (isObject(value) && 'text' in value) {
    const f = mode.textFormat;
    const raw = f?.type === 'json_schema' || f?.type === 'json_object' ? JSON.stringify(value.text) : value.text;
    if (typeof raw !== 'string') throw invalid('schema', answer);
    const { text } = beforeStop(raw, stops);
    return { parts: text ? [{ type: 'text', text }] : [], reason: 'stop' };
  }
  throw invalid('schema', answer);
}

/**
 * Structured output on the chat-completions wire: what `response_format` to send, how to
 * tell an endpoint's refusal of `json_schema` from any other bad request, and the weaker
 * form to ask for instead (`json_object`, with the schema stated in a system message).
 * The engine validates the final text against the schema whatever the server did.
 */
import { EdgewiseError } from '../../errors.js';
import type { JSONSchema, WarningPart } from '../../types.js';
import type { BackendRequest } from '../backend.js';
import type { RemoteFailure } from './failure.js';
import { maskUrl } from './mask.js';

/** What `finish.metadata.remote.responseFormat` reports. */
export type SentFormat = 'json_schema' | 'json_object';

export type WireResponseFormat =
  | { type: 'json_object' }
  | { type: 'json_schema'; json_schema: { name: string; schema: JSONSchema; strict: true } };

/** One attempt's format: the body member, and a line for the system message when it needs one. */
export interface FormatPlan {
  sent: SentFormat;
  wire: WireResponseFormat;
  instruction?: string;
}

/** OpenAI's rule for `json_schema.name` ("^[a-zA-Z0-9_-]{1,64}$"); anything else is a 400. */
function wireName(name: string | undefined): string {
  const clean = (name ?? 'response').replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64);
  return clean === '' ? 'response' : clean;
}

/**
 * OpenAI answers 400 to `json_object` unless some message says "JSON" ("'messages' must
 * contain the word 'json' in some form"); the line is added only when none does.
 */
function mentionsJson(request: Pick<BackendRequest, 'prompt' | 'messages'>): boolean {
  const texts = request.messages?.map((m) => m.content) ?? [request.prompt ?? ''];
  return texts.some((t) => /json/i.test(t));
}

function schemaInstruction(schema: JSONSchema): string {
  return `Answer with one JSON value that matches this JSON Schema, and nothing else (no prose, no code fences):\n${JSON.stringify(schema)}`;
}

/**
 * The format of one attempt; undefined when the request sets none. `fallback` is the
 * weaker form for an endpoint that refused `json_schema`.
 * @throws EdgewiseError `invalid_response_format` for a regex: the remote does not declare it, so the router never sends one.
 */
export function formatPlan(request: Pick<BackendRequest, 'responseFormat' | 'prompt' | 'messages'>, fallback = false): FormatPlan | undefined {
  const format = request.responseFormat;
  if (format === undefined) return undefined;
  switch (format.type) {
    case 'json_schema':
      return fallback
        ? { sent: 'json_object', wire: { type: 'json_object' }, instruction: schemaInstruction(format.schema) }
        : { sent: 'json_schema', wire: { type: 'json_schema', json_schema: { name: wireName(format.name), schema: format.schema, strict: true } } };
    case 'json_object':
      return mentionsJson(request)
        ? { sent: 'json_object', wire: { type: 'json_object' } }
        : { sent: 'json_object', wire: { type: 'json_object' }, instruction: 'Answer with one JSON object.' };
    case 'regex':
      throw new EdgewiseError('invalid_response_format', 'The remote backend cannot enforce a regex response format (its capabilities list json_schema and json_object only).', { details: { feature: 'regex' } });
    default: {
      const unknown: never = format;
      throw new EdgewiseError('invalid_response_format', `Unknown response format ${JSON.stringify(unknown)}.`);
    }
  }
}

/** Words a refusal of the format names; OpenAI also sets `param: "response_format"`. */
const NAMES_FORMAT = /response_format|json[_ ]?schema|structured output/i;
const NAMES_UNSUPPORTED = /unsupported|not supported/i;

/**
 * Whether a failed `json_schema` attempt was the endpoint refusing the format, so that
 * `json_object` may succeed where another try of the same body would not:
 * - 400 or 422 whose body names the format or says "unsupported": vLLM before 0.6 (a
 *   validation error on `response_format.type`, vllm-project/vllm#7656), a schema its
 *   grammar backend cannot compile (vllm-project/vllm#15035), OpenAI's strict-mode rules
 *   ("Invalid schema for response_format ..."), LM Studio, proxies.
 * - 500 that names the format: llama-server builds of September 2024 and older threw a
 *   plain runtime_error for the type ("response_format type must be one of \"text\" or
 *   \"json_object\"", ggml-org/llama.cpp#9522), which it answers 500; a retry repeats it.
 */
export function isSchemaRefusal(failure: RemoteFailure): boolean {
  if (failure.code !== 'remote_http_error') return false;
  const { status, body } = failure.details;
  const said = typeof body === 'string' ? body : JSON.stringify(body ?? '');
  if (status === 400 || status === 422) return NAMES_FORMAT.test(said) || NAMES_UNSUPPORTED.test(said);
  if (status === 500) return NAMES_FORMAT.test(said);
  return false;
}

/** Said before the text of an answer that ran on the weaker format. */
export function degradedWarning(url: string, refusal: RemoteFailure): WarningPart {
  return {
    type: 'warning',
    warning: {
      code: 'degraded',
      setting: 'responseFormat',
      message: `${maskUrl(url)} refused response_format json_schema (HTTP ${String(refusal.details.status)}), so the request asked for json_object with the schema in a system message: the server enforced JSON but not the schema.`,
    },
  };
}

/**
 * Checks a final output against what the request asked for, on every route. Uses
 * @cfworker/json-schema, which interprets schemas instead of generating code (ajv builds
 * validators with `new Function`, which a strict CSP forbids), and `RegExp` for regexes.
 */
import { Validator, type OutputUnit, type Schema } from '@cfworker/json-schema';
import { EdgewiseError } from '../errors.js';
import type { JSONSchema, ResponseFormat, ToolDefinition } from '../types.js';

/** The validator's first errors, each cut to this many characters, go to `details.errors`. */
const MAX_ERRORS = 3;
const MAX_ERROR_CHARS = 200;
/** How much of the offending output goes to `details.output`. */
const MAX_OUTPUT_CHARS = 500;

/** `details.reason` of an `invalid_output` error raised here. */
export type InvalidOutputReason = 'not_json' | 'schema' | 'regex' | 'tool_arguments' | 'unknown_tool';

// Keyed by the schema object: a request's schema is validated once per output, and
// one engine reuses the same schema objects across requests.
const validators = new WeakMap<object, Validator>();

function validatorFor(schema: JSONSchema): Validator {
  if (typeof schema === 'boolean') return new Validator(schema, '2020-12', false);
  let v = validators.get(schema);
  if (v === undefined) {
    // The validator writes bookkeeping onto the schema it is given (and would throw on a
    // frozen one), so it gets its own copy.
    v = new Validator(JSON.parse(JSON.stringify(schema)) as Schema, '2020-12', false);
    validators.set(schema, v);
  }
  return v;
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

function invalid(reason: InvalidOutputReason, message: string, output: string, extra: Record<string, unknown> = {}): EdgewiseError {
  return new EdgewiseError('invalid_output', message, { details: { reason, output: clip(output, MAX_OUTPUT_CHARS), ...extra } });
}

/**
 * The first few errors, deepest first: the validator reports "Property "name" does not
 * match schema" at `#` before the cause at `#/name`, which is the one worth reading.
 */
function summarize(errors: readonly OutputUnit[]): string[] {
  const depth = (e: OutputUnit): number => e.instanceLocation.split('/').length;
  return [...errors].sort((a, b) => depth(b) - depth(a)).slice(0, MAX_ERRORS).map((e) => clip(`${e.instanceLocation}: ${e.error}`, MAX_ERROR_CHARS));
}

function parse(text: string, extra: Record<string, unknown> = {}): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw invalid('not_json', `The output is not JSON (${cause instanceof Error ? cause.message : String(cause)}).`, text, extra);
  }
}

/** Errors of `value` against `schema`, shortened; empty when it validates. */
export function schemaErrors(value: unknown, schema: JSONSchema): string[] {
  const r = validatorFor(schema).validate(value);
  return r.valid ? [] : summarize(r.errors);
}

/**
 * Parses and validates a final output; returns the value (the text itself for `regex`).
 * Throws EdgewiseError `invalid_output` with `details.reason` `not_json`, `schema` or `regex`.
 *
 * @example
 * const value = validateOutput('{"n":3}', { type: 'json_schema', schema: { type: 'object', properties: { n: { type: 'integer' } } } });
 */
export function validateOutput(text: string, format: ResponseFormat): unknown {
  switch (format.type) {
    case 'regex': {
      // The whole output must match, as the grammar enforces it; `u` as in JSON Schema.
      if (new RegExp(`^(?:${format.pattern})$`, 'u').test(text)) return text;
      throw invalid('regex', `The output does not match the pattern ${JSON.stringify(format.pattern)} as a whole.`, text, { pattern: format.pattern });
    }
    case 'json_object': {
      const value = parse(text);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value;
      throw invalid('schema', 'The output is JSON but not an object, which json_object asks for.', text, { errors: ['#: not an object'] });
    }
    case 'json_schema': {
      const value = parse(text);
      const errors = schemaErrors(value, format.schema);
      if (errors.length === 0) return value;
      throw invalid('schema', `The output does not match the schema: ${errors[0]}`, text, { errors });
    }
    default: {
      const never: never = format;
      return never;
    }
  }
}

/**
 * Validates a call's arguments (a JSON string as remote endpoints send them, or parsed)
 * against its tool's `parameters`; returns them parsed. Throws `invalid_output` with
 * `details.reason` `unknown_tool`, `not_json` or `tool_arguments` (and `details.tool`).
 *
 * @example
 * const args = validateToolArguments(tools, 'get_weather', '{"city":"Oslo"}');
 */
export function validateToolArguments(tools: readonly ToolDefinition[], name: string, args: string | unknown): Record<string, unknown> {
  const tool = tools.find((t) => t.name === name);
  const text = typeof args === 'string' ? args : JSON.stringify(args) ?? '';
  if (tool === undefined) {
    throw invalid('unknown_tool', `The model called "${name}", which is not among the tools (${tools.map((t) => t.name).join(', ')}).`, text, { tool: name });
  }
  const value = typeof args === 'string' ? parse(args, { tool: name }) : args;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid('tool_arguments', `The arguments of "${name}" are not a JSON object.`, text, { tool: name, errors: ['#: not an object'] });
  }
  const errors = schemaErrors(value, tool.parameters);
  if (errors.length > 0) throw invalid('tool_arguments', `The arguments of "${name}" do not match its parameters: ${errors[0]}`, text, { tool: name, errors });
  return value as Record<string, unknown>;
}

/**
 * Parses a whole tool-call output as the tool-call grammar writes it,
 * `{"name": …, "arguments": {…}}`, and validates it. Reasons as {@link validateToolArguments},
 * plus `not_json`/`schema` when the text is not such an object.
 *
 * @example
 * const call = validateToolCall('{"name":"get_weather","arguments":{"city":"Oslo"}}', tools);
 */
export function validateToolCall(text: string, tools: readonly ToolDefinition[]): { name: string; arguments: Record<string, unknown> } {
  const value = parse(text);
  const call = value as { name?: unknown; arguments?: unknown } | null;
  if (typeof call !== 'object' || call === null || typeof call.name !== 'string' || !('arguments' in call)) {
    throw invalid('schema', 'The output is not a tool call { "name": …, "arguments": { … } }.', text, { errors: ['#: expected { name, arguments }'] });
  }
  return { name: call.name, arguments: validateToolArguments(tools, call.name, call.arguments) };
}

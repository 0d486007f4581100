/**
 * Checks a request's `responseFormat` and `tools` before any token, on every route: a
 * schema or regex that constrained decoding cannot enforce exactly fails here, with the
 * feature's name, instead of coming back later as output that does not validate.
 */
import { EdgewiseError } from '../errors.js';
import type { JSONSchema, ResponseFormat, ToolChoice, ToolDefinition } from '../types.js';
import { parseRegex } from './regex/parse.js';
import { toXGrammarRegex } from './regex/to-xgrammar.js';
import { findSchemaProblem } from './schema-rules.js';

type Obj = Record<string, unknown>;

/** OpenAI's rule for tool and schema names. */
const NAME = /^[a-zA-Z0-9_-]{1,64}$/;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function formatError(message: string, details: Obj): EdgewiseError {
  return new EdgewiseError('invalid_response_format', message, { details: { option: 'responseFormat', ...details } });
}

/**
 * Throws unless `schema` is one the grammar enforces exactly (see schema-features.ts).
 * `where` names it in the message, e.g. `responseFormat.schema` or `tools[0].parameters`.
 *
 * @example
 * checkSchema({ type: 'integer', multipleOf: 3 }, 'invalid_response_format', 'responseFormat.schema');
 * // throws EdgewiseError invalid_response_format, details { feature: 'multipleOf', reason: 'unsupported', path: '' }
 */
export function checkSchema(schema: unknown, code: 'invalid_response_format' | 'invalid_tools', where: string, details: Obj = {}): asserts schema is JSONSchema {
  const p = findSchemaProblem(schema);
  if (p === undefined) return;
  const at = p.path === '' ? where : `${where} at ${p.path}`;
  const extra = p.regexFeature === undefined ? {} : { regexFeature: p.regexFeature };
  throw new EdgewiseError(code, `${at}: ${p.message}.`, { details: { ...details, feature: p.feature, reason: p.reason, path: p.path, ...extra } });
}

/**
 * Throws unless `pattern` is in the regex subset both the grammar and `RegExp` honour
 * (parse.ts lists it). Returns the pattern.
 * @example checkRegex('\\d{4}-\\d{2}-\\d{2}');
 */
export function checkRegex(pattern: unknown): string {
  if (typeof pattern !== 'string' || pattern === '') throw formatError('responseFormat.pattern must be a non-empty string (a JavaScript regular expression).', { feature: 'pattern', reason: 'malformed' });
  const parsed = parseRegex(pattern);
  if (!parsed.ok) {
    const r = parsed.refusal;
    throw formatError(`responseFormat.pattern ${JSON.stringify(pattern)} at ${r.index}: ${r.message}.`, { feature: r.feature, reason: r.feature === 'regex_syntax' ? 'malformed' : 'unsupported', index: r.index });
  }
  const emitted = toXGrammarRegex(parsed.ast, 'raw');
  if (!emitted.ok) throw formatError(`responseFormat.pattern ${JSON.stringify(pattern)}: ${emitted.message}.`, { feature: 'non_ascii_class', reason: 'unsupported' });
  return pattern;
}

/**
 * Checks a `responseFormat` and returns it typed.
 * @example checkResponseFormat({ type: 'json_schema', schema: { type: 'object', properties: {} } });
 */
export function checkResponseFormat(format: unknown): ResponseFormat {
  if (!isObj(format)) throw formatError("responseFormat must be an object: { type: 'json_schema', schema }, { type: 'json_object' } or { type: 'regex', pattern }.", { feature: 'type', reason: 'malformed' });
  switch (format['type']) {
    case 'json_object':
      return { type: 'json_object' };
    case 'regex':
      return { type: 'regex', pattern: checkRegex(format['pattern']) };
    case 'json_schema': {
      const name = format['name'];
      if (name !== undefined && (typeof name !== 'string' || !NAME.test(name))) {
        throw formatError('responseFormat.name must be 1-64 letters, digits, _ or -.', { feature: 'name', reason: 'malformed' });
      }
      const schema = format['schema'];
      if (schema === undefined) throw formatError('responseFormat.schema is missing: pass the JSON Schema of the output.', { feature: 'schema', reason: 'malformed' });
      checkSchema(schema, 'invalid_response_format', 'responseFormat.schema', { option: 'responseFormat' });
      return name === undefined ? { type: 'json_schema', schema } : { type: 'json_schema', schema, name };
    }
    default:
      throw formatError(`responseFormat.type ${JSON.stringify(format['type'])} is unknown: use 'json_schema', 'json_object' or 'regex'.`, { feature: 'type', reason: 'malformed' });
  }
}

function toolsError(option: 'tools' | 'toolChoice', message: string, details: Obj = {}): EdgewiseError {
  return new EdgewiseError('invalid_tools', message, { details: { option, ...details } });
}

/**
 * Checks `tools` and `toolChoice` (default `'auto'`) and returns them typed.
 * @example checkTools([{ name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string', maxLength: 40 } }, required: ['city'] } }]);
 */
export function checkTools(tools: unknown, toolChoice: unknown = 'auto'): { tools: readonly ToolDefinition[]; toolChoice: ToolChoice } {
  if (!Array.isArray(tools) || tools.length === 0) throw toolsError('tools', 'tools must be a non-empty array of { name, description?, parameters }.');
  const names = new Set<string>();
  tools.forEach((t: unknown, i) => {
    if (!isObj(t)) throw toolsError('tools', `tools[${i}] must be an object { name, description?, parameters }.`, { index: i });
    const name = t['name'];
    if (typeof name !== 'string' || !NAME.test(name)) throw toolsError('tools', `tools[${i}].name must be 1-64 letters, digits, _ or -.`, { index: i, feature: 'name', reason: 'malformed' });
    if (names.has(name)) throw toolsError('tools', `tools[${i}].name "${name}" is used twice; tool names must be unique.`, { index: i, tool: name, feature: 'name', reason: 'malformed' });
    names.add(name);
    if (t['description'] !== undefined && typeof t['description'] !== 'string') throw toolsError('tools', `tools[${i}].description must be a string.`, { index: i, tool: name });
    const params = t['parameters'];
    if (!isObj(params) || (params['type'] !== 'object' && params['$ref'] === undefined)) {
      throw toolsError('tools', `tools[${i}].parameters must be a JSON Schema with type: 'object' (use { type: 'object', properties: {} } for no arguments).`, { index: i, tool: name, feature: 'type', reason: 'malformed' });
    }
    checkSchema(params, 'invalid_tools', `tools[${i}].parameters`, { option: 'tools', index: i, tool: name });
  });
  if (toolChoice === 'auto' || toolChoice === 'none' || toolChoice === 'required') return { tools: tools as ToolDefinition[], toolChoice };
  if (isObj(toolChoice) && typeof toolChoice['name'] === 'string') {
    if (!names.has(toolChoice['name'])) throw toolsError('toolChoice', `toolChoice names "${toolChoice['name']}", which is not among the tools (${[...names].join(', ')}).`);
    return { tools: tools as ToolDefinition[], toolChoice: { name: toolChoice['name'] } };
  }
  throw toolsError('toolChoice', "toolChoice must be 'auto', 'none', 'required' or { name } of one of the tools.");
}

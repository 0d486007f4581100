/**
 * A `ResponseFormat` as the Prompt API's `responseConstraint` (explainer, "Structured
 * output or JSON output"; Chrome 137+): a JSON Schema object for `json_schema`,
 * `{ type: 'object' }` for `json_object`, a `RegExp` built from the pattern for `regex`.
 * The API takes a schema object only, so the boolean schemas become their object forms.
 */
import { EdgewiseError } from '../../errors.js';
import type { JSONSchema, ResponseFormat } from '../../types.js';
import type { LanguageModelResponseConstraint } from './prompt-api.js';

type SchemaObject = { readonly [keyword: string]: unknown };

/** `true` (anything) is `{}`; `false` (nothing) is `{ not: {} }`. */
export const schemaObject = (s: JSONSchema): SchemaObject => (s === true ? {} : s === false ? { not: {} } : s);

function regexOf(pattern: string): RegExp {
  try {
    return new RegExp(pattern);
  } catch (cause) {
    throw new EdgewiseError('invalid_response_format', `The regex format's pattern is not a JavaScript regular expression: ${cause instanceof Error ? cause.message : String(cause)}.`, { cause, details: { feature: 'regex' } });
  }
}

export function constraintOf(f: ResponseFormat): LanguageModelResponseConstraint {
  switch (f.type) {
    case 'json_schema': return schemaObject(f.schema);
    case 'json_object': return { type: 'object' };
    case 'regex': return regexOf(f.pattern);
    default: {
      const never: never = f;
      throw new EdgewiseError('invalid_response_format', `Unknown response format ${JSON.stringify(never)}.`);
    }
  }
}

/**
 * The schema of a text answer inside the tool envelope `{ text }`: a string, or the
 * format's own value (a JSON value, or a string matching the whole pattern: JSON
 * Schema's `pattern` is unanchored, so it is anchored here).
 */
export function textSchemaOf(f: ResponseFormat | undefined): SchemaObject {
  if (!f) return { type: 'string' };
  switch (f.type) {
    case 'json_schema': return schemaObject(f.schema);
    case 'json_object': return { type: 'object' };
    case 'regex': return { type: 'string', pattern: `^(?:${regexOf(f.pattern).source})$` };
    default: {
      const never: never = f;
      throw new EdgewiseError('invalid_response_format', `Unknown response format ${JSON.stringify(never)}.`);
    }
  }
}

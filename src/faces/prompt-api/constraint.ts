/**
 * `responseConstraint` (explainer, "Structured output with JSON schema or RegExp
 * constraints"): a JSON Schema object or a RegExp becomes the engine's `responseFormat`,
 * which every route enforces by constrained decoding and validates.
 */
import type { ResponseFormat } from '../../index.js';
import { domError } from './errors.js';
import type { LanguageModelPromptOptions } from './types.js';

export interface Constraint {
  format: ResponseFormat;
  /** What is added to the model's input unless `omitResponseConstraintInput`. */
  description: string;
}

/**
 * Flags that do not change which strings match: `g`/`y`/`d` only change `exec()`'s
 * bookkeeping, `u`/`v` the reading of escapes the grammar reads the same way for the
 * ASCII patterns it takes. `i`, `m` and `s` change the language, which the grammar
 * compiler has no switch for.
 */
const HARMLESS_FLAGS = /^[gyduv]*$/;

export function toConstraint(o: LanguageModelPromptOptions): Constraint | undefined {
  const c = o.responseConstraint;
  if (c === undefined || c === null) {
    // explainer: omitResponseConstraintInput without a constraint is a TypeError.
    if (o.omitResponseConstraintInput === true) throw new TypeError('omitResponseConstraintInput needs a responseConstraint.');
    return undefined;
  }
  if (c instanceof RegExp) {
    if (!HARMLESS_FLAGS.test(c.flags)) throw domError('NotSupportedError', `RegExp flags "${c.flags}" cannot be enforced; write the pattern without i, m or s.`);
    return { format: { type: 'regex', pattern: c.source }, description: `Respond with text that matches this regular expression: /${c.source}/` };
  }
  // explainer: neither a RegExp nor a JSON Schema object is a TypeError.
  if (typeof c !== 'object' || Array.isArray(c)) throw new TypeError('responseConstraint is a JSON Schema object or a RegExp.');
  let text: string;
  try {
    text = JSON.stringify(c);
  } catch (e) {
    throw new TypeError('responseConstraint is not a JSON Schema (it does not serialize to JSON).', { cause: e });
  }
  return { format: { type: 'json_schema', schema: c }, description: `Respond with JSON that matches this JSON Schema: ${text}` };
}

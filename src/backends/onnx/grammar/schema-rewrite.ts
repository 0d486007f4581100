/**
 * A checked schema as XGrammar needs to read it to enforce what JSON Schema means.
 * Never mutates its input.
 *
 * - `pattern`s in XGrammar's regex dialect over the JSON text (to-xgrammar.ts says why);
 *   `format: 'date' | 'time' | 'date-time'` as patterns (schema-features.ts says why).
 * - Strings with `minLength`/`maxLength` as a pattern: XGrammar writes them as
 *   `"[^"\\\r\n]{0,n}"`, which lets raw control characters through (invalid JSON:
 *   a random model writes U+0005 within a few tokens).
 * - Bounded numbers and integers as a placeholder `const` string, each to be replaced in
 *   the EBNF by number-range.ts's rule (XGrammar's own range grammars leak).
 */
import { EdgewiseError } from '../../../errors.js';
import { parseRegex } from '../../../structured/regex/parse.js';
import { toXGrammarRegex } from '../../../structured/regex/to-xgrammar.js';
import { inclusiveBounds } from '../../../structured/bounds.js';
import { FORMAT_PATTERNS } from '../../../structured/schema-features.js';
import { walkSchema, type SchemaNode } from '../../../structured/schema-walk.js';
import type { JSONSchema } from '../../../types.js';
import { numberRangeEbnf } from './number-range.js';

type Mutable = Record<string, unknown>;

export interface XGrammarSchema {
  schema: JSONSchema;
  /**
   * Placeholder string → EBNF expression. In XGrammar's EBNF of `schema`, each
   * placeholder appears as the JSON string literal `"\"<placeholder>\""`.
   */
  ranges: Map<string, string>;
}

/**
 * @example
 * schemaForXGrammar({ type: 'integer', minimum: 1, maximum: 12 });
 * // { schema: { const: 'edgewise_range_0' }, ranges: Map { 'edgewise_range_0' => '(([1-9] | "1" ([0-2]))' } }
 */
export function schemaForXGrammar(schema: JSONSchema): XGrammarSchema {
  const text = JSON.stringify(schema);
  let prefix = 'edgewise_range_';
  while (text.includes(prefix)) prefix += '_';
  const copy = JSON.parse(text) as SchemaNode;
  const ranges = new Map<string, string>();
  for (const { schema: node, path } of walkSchema(copy)) {
    if (typeof node !== 'object') continue;
    const s = node as Mutable;
    const formatPattern = typeof s['format'] === 'string' ? FORMAT_PATTERNS[s['format']] : undefined;
    if (formatPattern !== undefined) {
      delete s['format'];
      s['pattern'] = formatPattern;
    }
    if (typeof s['pattern'] === 'string') s['pattern'] = xgrammarPattern(s['pattern'], path);
    else if ((s['minLength'] !== undefined || s['maxLength'] !== undefined) && s['format'] === undefined) boundedString(s);
    const range = numericRange(s);
    if (range !== undefined) {
      const placeholder = `${prefix}${ranges.size}`;
      ranges.set(placeholder, numberRangeEbnf(range.lo, range.hi, range.type));
      for (const k of Object.keys(s)) delete s[k];
      s['const'] = placeholder;
    }
  }
  return { schema: copy, ranges };
}

function xgrammarPattern(pattern: string, path: string): string {
  const parsed = parseRegex(pattern);
  const emitted = parsed.ok ? toXGrammarRegex(parsed.ast, 'json_string') : undefined;
  // schema-check.ts refuses these first; reaching here means a caller skipped it.
  if (emitted === undefined || !emitted.ok) throw new EdgewiseError('invalid_response_format', `The pattern at ${path || '/'} cannot be enforced; run checkResponseFormat first.`, { details: { feature: 'pattern', path } });
  return emitted.pattern;
}

/**
 * One JSON string character per repetition: each code point JSON writes unescaped
 * (XGrammar's negated classes match whole UTF-8 characters). Escapes are left out: with
 * them (`(…|\\x5c(…))` per character) each step inside the string costs XGrammar
 * 20-110 ms on GPT-2's vocabulary, against under 7 ms for this one class (measured in
 * Node, maxLength 20); a bounded string therefore never contains `"`, `\` or control
 * characters. In a class, every `\x` escape is followed by a backslash or `]`, never by
 * a hex digit (to-xgrammar.ts says why).
 */
const JSON_CHAR = '[^\\x00-\\x1f\\x22\\x5c]';

function boundedString(s: Mutable): void {
  const min = typeof s['minLength'] === 'number' ? s['minLength'] : 0;
  const max = typeof s['maxLength'] === 'number' ? String(s['maxLength']) : '';
  delete s['minLength'];
  delete s['maxLength'];
  s['pattern'] = `^${JSON_CHAR}{${min},${max}}$`;
}

const NUMERIC_BOUNDS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'];

/**
 * The inclusive bounds of a bounded `integer` or `number` subschema (schema-check.ts
 * has made sure `type` is that one word and a number's bounds are whole); undefined for
 * anything else.
 */
function numericRange(s: Mutable): { lo: number; hi: number; type: 'integer' | 'number' } | undefined {
  const type = s['type'];
  if ((type !== 'integer' && type !== 'number') || !NUMERIC_BOUNDS.some((k) => typeof s[k] === 'number')) return undefined;
  const [lo, hi] = inclusiveBounds(s, type);
  return { lo, hi, type };
}

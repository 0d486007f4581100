/**
 * Finds the first thing in a JSON Schema that constrained decoding cannot enforce
 * exactly, or that is malformed. Pure: schema-check.ts turns the answer into a typed
 * error. The rules and why each exists are in schema-features.ts.
 */
import { inclusiveBounds } from './bounds.js';
import { oneOfIsDisjoint } from './one-of.js';
import { parseRegex, type RegexFeature } from './regex/parse.js';
import { toXGrammarRegex } from './regex/to-xgrammar.js';
import { FALSE_ALLOWED_UNDER, JSON_TYPES, REF_SIBLINGS, SUPPORTED_FORMATS, UNSUPPORTED_KEYWORDS } from './schema-features.js';
import { resolvePointer, walkSchema, type SchemaNode } from './schema-walk.js';

export interface SchemaProblem {
  /** The keyword (`'not'`, `'$ref'`, `'pattern'`) or combination (`'pattern_with_length'`) at fault. */
  feature: string;
  /** `unsupported`: valid JSON Schema the grammar cannot enforce; `malformed`: not valid JSON Schema. */
  reason: 'unsupported' | 'malformed';
  /** JSON Pointer of the subschema. */
  path: string;
  message: string;
  /** For `pattern`: which regex construct. */
  regexFeature?: RegexFeature;
}

type Obj = { readonly [keyword: string]: unknown };

const unsupported = (feature: string, path: string, message: string): SchemaProblem => ({ feature, reason: 'unsupported', path, message });
const malformed = (feature: string, path: string, message: string): SchemaProblem => ({ feature, reason: 'malformed', path, message });

/**
 * @example
 * findSchemaProblem({ type: 'integer', multipleOf: 3 });
 * // { feature: 'multipleOf', reason: 'unsupported', path: '', message: 'the grammar engine ignores multipleOf; …' }
 */
export function findSchemaProblem(root: unknown): SchemaProblem | undefined {
  if (typeof root !== 'boolean' && (typeof root !== 'object' || root === null || Array.isArray(root))) {
    return malformed('schema', '', 'a JSON Schema must be an object (or true)');
  }
  try {
    JSON.stringify(root);
  } catch {
    return malformed('schema', '', 'the schema is not plain JSON (a cycle or a BigInt)');
  }
  for (const { schema, path, keyword } of walkSchema(root as SchemaNode)) {
    const problem = typeof schema === 'boolean' ? checkBoolean(schema, path, keyword) : checkObject(schema, path, root as SchemaNode);
    if (problem) return problem;
  }
  return undefined;
}

function checkBoolean(schema: boolean, path: string, keyword: string | undefined): SchemaProblem | undefined {
  if (schema || (keyword !== undefined && FALSE_ALLOWED_UNDER.has(keyword))) return undefined;
  return unsupported('false_schema', path, '`false` (no value allowed) is only supported as items, additionalProperties or unevaluated*; remove the property or branch instead');
}

function checkObject(s: Obj, path: string, root: SchemaNode): SchemaProblem | undefined {
  for (const k of Object.keys(s)) {
    const why = UNSUPPORTED_KEYWORDS[k];
    if (why !== undefined) return unsupported(k, path, why);
  }
  return checkKeywords(s, path) ?? checkRef(s, path, root) ?? checkCombinators(s, path, root) ?? checkTyped(s, path) ?? checkStrings(s, path) ?? checkNumbers(s, path) ?? checkContainers(s, path);
}

function checkKeywords(s: Obj, path: string): SchemaProblem | undefined {
  const t = s['type'];
  const types = typeof t === 'string' ? [t] : Array.isArray(t) ? t : undefined;
  if (t !== undefined && (types === undefined || types.length === 0 || types.some((x) => typeof x !== 'string' || !JSON_TYPES.has(x)))) {
    return malformed('type', path, `type must be one of ${[...JSON_TYPES].join(', ')} or a non-empty array of them`);
  }
  if (s['uniqueItems'] === true) return unsupported('uniqueItems', path, 'the grammar engine ignores uniqueItems; use prefixItems with distinct enums, or drop it');
  for (const k of ['unevaluatedProperties', 'unevaluatedItems']) {
    if (s[k] !== undefined && s[k] !== false) return unsupported(k, path, `only ${k}: false is supported (the grammar already allows nothing unevaluated)`);
  }
  if ('enum' in s && (!Array.isArray(s['enum']) || s['enum'].length === 0)) return malformed('enum', path, 'enum must be a non-empty array (an empty enum allows no value)');
  return undefined;
}

function checkRef(s: Obj, path: string, root: SchemaNode): SchemaProblem | undefined {
  const ref = s['$ref'];
  if (ref === undefined) return undefined;
  if (typeof ref !== 'string') return malformed('$ref', path, '$ref must be a string');
  if (ref !== '#' && !ref.startsWith('#/')) {
    return unsupported('$ref', path, `$ref "${ref}" is not a local JSON Pointer: only "#" and "#/…" (e.g. "#/$defs/Item") are supported; inline remote schemas`);
  }
  if (resolvePointer(root, ref) === undefined) return malformed('$ref', path, `$ref "${ref}" does not point to a schema in this document`);
  const extra = Object.keys(s).find((k) => !REF_SIBLINGS.has(k));
  if (extra !== undefined) return unsupported('ref_siblings', path, `"${extra}" beside $ref is ignored by the grammar engine; move it into the referenced schema`);
  return undefined;
}

function checkCombinators(s: Obj, path: string, root: SchemaNode): SchemaProblem | undefined {
  for (const k of ['anyOf', 'oneOf', 'allOf']) {
    const list = s[k];
    if (list !== undefined && (!Array.isArray(list) || list.length === 0)) return malformed(k, path, `${k} must be a non-empty array of schemas`);
  }
  const allOf = s['allOf'] as unknown[] | undefined;
  if (allOf !== undefined && allOf.length > 1) return unsupported('allOf', path, 'the grammar engine enforces allOf with one schema only; merge the schemas into one');
  const oneOf = s['oneOf'] as SchemaNode[] | undefined;
  if (oneOf !== undefined && !oneOfIsDisjoint(oneOf, root)) {
    return unsupported('oneOf', path, 'the grammar engine treats oneOf as anyOf, and these branches can overlap; use anyOf, or tell the branches apart by type or by a required property with a const');
  }
  return undefined;
}

function checkStrings(s: Obj, path: string): SchemaProblem | undefined {
  const hasLength = s['minLength'] !== undefined || s['maxLength'] !== undefined;
  const format = s['format'];
  if (format !== undefined) {
    if (typeof format !== 'string') return malformed('format', path, 'format must be a string');
    if (!SUPPORTED_FORMATS.has(format)) return unsupported('format', path, `format "${format}" is not enforced; supported: ${[...SUPPORTED_FORMATS].join(', ')} (or use a pattern)`);
    if (hasLength || s['pattern'] !== undefined) return unsupported('format_with_length', path, 'the grammar engine ignores minLength/maxLength/pattern beside format; use format alone');
  }
  const pattern = s['pattern'];
  if (pattern === undefined) return undefined;
  if (typeof pattern !== 'string') return malformed('pattern', path, 'pattern must be a string');
  if (hasLength) return unsupported('pattern_with_length', path, 'the grammar engine ignores minLength/maxLength beside pattern; put the length in the pattern, e.g. "^[a-z]{1,20}$"');
  const parsed = parseRegex(pattern);
  if (!parsed.ok) {
    const reason = parsed.refusal.feature === 'regex_syntax' ? 'malformed' : 'unsupported';
    return { feature: 'pattern', reason, path, message: `pattern ${JSON.stringify(pattern)}: ${parsed.refusal.message}`, regexFeature: parsed.refusal.feature };
  }
  const emitted = toXGrammarRegex(parsed.ast, 'json_string');
  return emitted.ok ? undefined : unsupported('pattern', path, `pattern ${JSON.stringify(pattern)}: ${emitted.message}`);
}

function typesOf(s: Obj): string[] | undefined {
  const t = s['type'];
  return typeof t === 'string' ? [t] : Array.isArray(t) ? (t as string[]) : undefined;
}

const NUMERIC = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'];

function checkNumbers(s: Obj, path: string): SchemaProblem | undefined {
  const present = NUMERIC.filter((k) => s[k] !== undefined);
  if (present.length === 0) return undefined;
  for (const k of present) {
    const v = s[k];
    if (typeof v === 'boolean') return malformed(k, path, `${k}: ${String(v)} is the draft-4 form; write the bound itself, e.g. exclusiveMinimum: 0`);
    if (typeof v !== 'number' || !Number.isFinite(v) || Math.abs(v) > Number.MAX_SAFE_INTEGER) return malformed(k, path, `${k} must be a finite number within ±2^53`);
  }
  const type = s['type'];
  // Bounds are compiled into a grammar of their own (number-range.ts), which stands for the whole subschema.
  if (type !== 'integer' && type !== 'number') {
    return unsupported('type', path, `${present[0]!} needs type: 'integer' or type: 'number' alone beside it (for null as well, use anyOf: [{ type: 'number', … }, { type: 'null' }])`);
  }
  const beside = ['enum', 'const', 'anyOf', 'oneOf', 'allOf'].find((k) => s[k] !== undefined);
  if (beside !== undefined) return unsupported('bounds_with_combinator', path, `${present[0]!} beside ${beside} is not enforced; put the bounds inside the branches, or drop them`);
  if (type === 'number') {
    const k = present.find((x) => x.startsWith('exclusive') || !Number.isInteger(s[x]));
    if (k !== undefined) {
      return unsupported(k, path, k.startsWith('exclusive')
        ? `${k} is only enforced on type: 'integer'; use ${k === 'exclusiveMinimum' ? 'minimum' : 'maximum'} on numbers`
        : `bounds of a number must be whole numbers (e.g. minimum: 0, maximum: 1); the grammar writes the decimals between them`);
    }
  }
  const [lo, hi] = inclusiveBounds(s, type);
  return lo > hi ? malformed('minimum', path, 'no number lies within these bounds') : undefined;
}

/** Keywords that only constrain one type: without that type declared, XGrammar allows any JSON value. */
const NEEDS_TYPE: readonly (readonly [string, string])[] = [
  ['minLength', 'string'], ['maxLength', 'string'], ['pattern', 'string'], ['format', 'string'],
  ['minItems', 'array'], ['maxItems', 'array'], ['minProperties', 'object'], ['maxProperties', 'object'],
];

function checkTyped(s: Obj, path: string): SchemaProblem | undefined {
  const types = typesOf(s);
  for (const [k, t] of NEEDS_TYPE) {
    if (s[k] !== undefined && types === undefined) return unsupported('type', path, `${k} is only enforced beside type: '${t}'; declare the type`);
  }
  return undefined;
}


function checkContainers(s: Obj, path: string): SchemaProblem | undefined {
  for (const [lo, hi] of [['minLength', 'maxLength'], ['minItems', 'maxItems'], ['minProperties', 'maxProperties']] as const) {
    for (const k of [lo, hi]) {
      const v = s[k];
      if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0)) return malformed(k, path, `${k} must be a non-negative integer`);
    }
    if (typeof s[lo] === 'number' && typeof s[hi] === 'number' && (s[lo] as number) > (s[hi] as number)) return malformed(lo, path, `${lo} is above ${hi}: no value fits`);
  }
  if (Array.isArray(s['items'])) return unsupported('items', path, 'items as an array is the draft-7 tuple form; use prefixItems (2020-12)');
  if (typesOf(s)?.includes('array') && s['items'] === undefined && s['prefixItems'] === undefined) {
    return unsupported('items', path, 'an array without items or prefixItems only ever comes out empty from the grammar engine; say what the items are (items: {} for any JSON)');
  }
  const props = s['properties'];
  if (props !== undefined && (typeof props !== 'object' || props === null || Array.isArray(props))) return malformed('properties', path, 'properties must be an object of schemas');
  const required = s['required'];
  if (required === undefined) return undefined;
  if (!Array.isArray(required) || required.some((r) => typeof r !== 'string')) return malformed('required', path, 'required must be an array of property names');
  const missing = (required as string[]).find((r) => !(typeof props === 'object' && props !== null && Object.hasOwn(props, r)));
  if (missing !== undefined) return unsupported('required', path, `required property "${missing}" is not declared in properties, so the grammar engine never writes it; declare it`);
  return undefined;
}

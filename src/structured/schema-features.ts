/**
 * What the grammar engine (XGrammar 0.1.27, @mlc-ai/web-xgrammar) enforces while tokens
 * are chosen, as measured by test/node/structured/xgrammar-features.test.ts: each row is
 * a keyword it compiles but does not enforce (a value that breaks it gets through) or
 * that aborts its WASM. Data only; schema-check.ts applies it.
 */

/** Keywords refused wherever they appear, with what to write instead. */
export const UNSUPPORTED_KEYWORDS: Readonly<Record<string, string>> = Object.freeze({
  not: 'the grammar engine ignores `not`; describe the allowed values instead (enum, anyOf)',
  if: 'the grammar engine ignores if/then/else; use anyOf over the alternatives',
  then: 'the grammar engine ignores if/then/else; use anyOf over the alternatives',
  else: 'the grammar engine ignores if/then/else; use anyOf over the alternatives',
  dependentRequired: 'the grammar engine ignores dependentRequired; use anyOf over the allowed shapes',
  dependentSchemas: 'the grammar engine ignores dependentSchemas; use anyOf over the allowed shapes',
  dependencies: 'the grammar engine ignores dependencies; use anyOf over the allowed shapes',
  patternProperties: 'the grammar engine drops patternProperties (no matching key can be written); list the properties, or give additionalProperties a schema',
  propertyNames: 'the grammar engine mishandles propertyNames; list the properties, or use an enum of objects',
  contains: 'the grammar engine ignores contains; use prefixItems or an items schema',
  minContains: 'the grammar engine does not enforce contains; use prefixItems or an items schema',
  maxContains: 'the grammar engine does not enforce contains; use prefixItems or an items schema',
  multipleOf: 'the grammar engine ignores multipleOf; use an enum of the allowed numbers',
  additionalItems: 'use 2020-12 prefixItems with items instead of additionalItems',
  $dynamicRef: 'dynamic references are not supported; use $ref to #/$defs/…',
  $dynamicAnchor: 'dynamic references are not supported; use $ref to #/$defs/…',
  $recursiveRef: 'recursive references are not supported; use $ref to # or #/$defs/…',
  $recursiveAnchor: 'recursive references are not supported; use $ref to # or #/$defs/…',
  nullable: 'nullable is OpenAPI, not JSON Schema (the grammar never writes null for it); use type: ["string", "null"]',
});

/**
 * `format`s whose XGrammar grammar only writes strings @cfworker/json-schema's check of
 * the same format accepts (sampled in test/node/structured/formats.test.ts). Its email,
 * hostname and uri grammars have no length limits (a random model writes 300-character
 * labels the check refuses, or never stops); its date allows 2023-02-30 and its time
 * 12:00:60, hence the patterns below.
 */
export const SUPPORTED_FORMATS: ReadonlySet<string> = new Set(['date', 'time', 'date-time', 'uuid', 'ipv4', 'ipv6', 'duration']);

const DATE = '\\d{4}-(0([13578]-(0[1-9]|[12]\\d|3[01])|[469]-(0[1-9]|[12]\\d|30)|2-(0[1-9]|1\\d|2[0-8]))|1([02]-(0[1-9]|[12]\\d|3[01])|1-(0[1-9]|[12]\\d|30)))';
const TIME = '([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(\\.\\d{1,6})?(Z|[+-]([01]\\d|2[0-3]):[0-5]\\d)';

/**
 * Formats written as a pattern instead, a subset of what the format allows: no 29
 * February, no leap second, "Z" or an offset always. Alternatives start with distinct
 * characters (number-range.ts says why).
 */
export const FORMAT_PATTERNS: Readonly<Record<string, string>> = Object.freeze({
  date: `^${DATE}$`,
  time: `^${TIME}$`,
  'date-time': `^${DATE}T${TIME}$`,
});

/** Keywords that may sit beside `$ref` (XGrammar ignores every other sibling). */
export const REF_SIBLINGS: ReadonlySet<string> = new Set(['$ref', '$defs', 'definitions', '$comment', '$schema', '$id', 'title', 'description', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly']);

/** Where `false` compiles (it aborts XGrammar's WASM anywhere else). */
export const FALSE_ALLOWED_UNDER: ReadonlySet<string> = new Set(['items', 'additionalProperties', 'unevaluatedProperties', 'unevaluatedItems']);

export const JSON_TYPES: ReadonlySet<string> = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);

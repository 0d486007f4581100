// Refusals before any token: a schema, regex or tool list that constrained decoding
// cannot enforce exactly fails with a typed error naming the feature (details.feature),
// whether it is malformed or merely unsupported (details.reason), and where (details.path).
import { describe, expect, it } from 'vitest';
import { caught } from './helpers.js';
import { checkRegex, checkResponseFormat, checkSchema, checkTools } from '../../../src/structured/schema-check.js';
import { REGEXES, SCHEMAS } from '../../corpus/schemas.js';

const obj = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ type: 'object', properties, ...extra });

// [what, schema, feature, reason, path]
const REFUSED: [string, unknown, string, 'unsupported' | 'malformed', string][] = [
  ['remote $ref', obj({ a: { $ref: 'https://example.com/a.json' } }), '$ref', 'unsupported', '/properties/a'],
  ['$ref to an anchor', obj({ a: { $ref: '#thing' } }), '$ref', 'unsupported', '/properties/a'],
  ['dangling $ref', obj({ a: { $ref: '#/$defs/missing' } }), '$ref', 'malformed', '/properties/a'],
  ['keywords beside $ref', obj({ a: { $ref: '#/$defs/n', maximum: 3 } }, { $defs: { n: { type: 'integer' } } }), 'ref_siblings', 'unsupported', '/properties/a'],
  ['patternProperties', { type: 'object', patternProperties: { '^a': { type: 'integer' } } }, 'patternProperties', 'unsupported', ''],
  ['if/then/else', { type: 'object', if: { properties: { a: { const: 1 } } }, then: { required: ['b'] } }, 'if', 'unsupported', ''],
  ['not', { not: { type: 'string' } }, 'not', 'unsupported', ''],
  ['dependentRequired', obj({ a: { type: 'integer' } }, { dependentRequired: { a: ['b'] } }), 'dependentRequired', 'unsupported', ''],
  ['dependentSchemas', obj({ a: { type: 'integer' } }, { dependentSchemas: { a: { required: ['a'] } } }), 'dependentSchemas', 'unsupported', ''],
  ['uniqueItems', { type: 'array', items: { type: 'integer' }, uniqueItems: true }, 'uniqueItems', 'unsupported', ''],
  ['multipleOf', { type: 'integer', multipleOf: 3 }, 'multipleOf', 'unsupported', ''],
  ['an unknown format', { type: 'string', format: 'credit-card' }, 'format', 'unsupported', ''],
  ['email format (no length limits in the grammar)', { type: 'string', format: 'email' }, 'format', 'unsupported', ''],
  ['format with maxLength', { type: 'string', format: 'date', maxLength: 10 }, 'format_with_length', 'unsupported', ''],
  ['pattern with maxLength', { type: 'string', pattern: '^[a-z]+$', maxLength: 5 }, 'pattern_with_length', 'unsupported', ''],
  ['a lookahead in a pattern', obj({ p: { type: 'string', pattern: '^(?=a)[a-z]{1,3}$' } }), 'pattern', 'unsupported', '/properties/p'],
  ['an invalid pattern', { type: 'string', pattern: '([a-z]' }, 'pattern', 'malformed', ''],
  ['allOf of two schemas', { allOf: [obj({ a: { type: 'integer' } }), { required: ['a'] }] }, 'allOf', 'unsupported', ''],
  ['overlapping oneOf', { oneOf: [{ type: 'integer', maximum: 5 }, { type: 'integer', minimum: 3 }] }, 'oneOf', 'unsupported', ''],
  ['exclusive bounds on a number', { type: 'number', exclusiveMinimum: 0 }, 'exclusiveMinimum', 'unsupported', ''],
  ['fractional bounds on a number', { type: 'number', minimum: 0.5, maximum: 2 }, 'minimum', 'unsupported', ''],
  ['draft-4 boolean exclusiveMinimum', { type: 'integer', minimum: 0, exclusiveMinimum: true }, 'exclusiveMinimum', 'malformed', ''],
  ['bounds beside a type array', { type: ['integer', 'null'], minimum: 0 }, 'type', 'unsupported', ''],
  ['bounds beside an enum', { type: 'integer', enum: [1, 2], maximum: 3 }, 'bounds_with_combinator', 'unsupported', ''],
  ['maxLength without a type', { maxLength: 3 }, 'type', 'unsupported', ''],
  ['maxItems without a type', { maxItems: 3 }, 'type', 'unsupported', ''],
  ['empty bounds', { type: 'integer', minimum: 5, maximum: 4 }, 'minimum', 'malformed', ''],
  ['minLength above maxLength', { type: 'string', minLength: 5, maxLength: 4 }, 'minLength', 'malformed', ''],
  ['contains', { type: 'array', items: { type: 'integer' }, contains: { const: 1 } }, 'contains', 'unsupported', ''],
  ['propertyNames', { type: 'object', propertyNames: { maxLength: 3 } }, 'propertyNames', 'unsupported', ''],
  ['draft-7 tuple items', { type: 'array', items: [{ type: 'integer' }] }, 'items', 'unsupported', ''],
  ['an array without items', { type: 'array', maxItems: 2 }, 'items', 'unsupported', ''],
  ['required but undeclared', obj({ a: { type: 'integer' } }, { required: ['a', 'b'] }), 'required', 'unsupported', ''],
  ['false as a property', obj({ a: false }), 'false_schema', 'unsupported', '/properties/a'],
  ['nullable (OpenAPI)', { type: 'string', maxLength: 3, nullable: true }, 'nullable', 'unsupported', ''],
  ['unevaluatedProperties with a schema', { type: 'object', unevaluatedProperties: { type: 'integer' } }, 'unevaluatedProperties', 'unsupported', ''],
  ['an empty enum', { enum: [] }, 'enum', 'malformed', ''],
  ['an unknown type', { type: 'text' }, 'type', 'malformed', ''],
  ['a string instead of a schema', 'string', 'schema', 'malformed', ''],
  ['an array instead of a schema', [{ type: 'string' }], 'schema', 'malformed', ''],
  ['a negative maxLength', { type: 'string', maxLength: -1 }, 'maxLength', 'malformed', ''],
];

describe('checkSchema refuses what the grammar cannot enforce', () => {
  it.each(REFUSED)('%s', (_what, schema, feature, reason, path) => {
    const e = caught(() => checkSchema(schema, 'invalid_response_format', 'responseFormat.schema'));
    expect(e.code).toBe('invalid_response_format');
    expect(e.details).toMatchObject({ feature, reason, path });
    expect(e.message).toMatch(/^responseFormat\.schema/);
  });

  it('names the regex construct of a refused pattern', () => {
    const e = caught(() => checkSchema({ type: 'string', pattern: '(a)\\1' }, 'invalid_response_format', 's'));
    expect(e.details).toMatchObject({ feature: 'pattern', regexFeature: 'backreference' });
  });

  it('accepts the 20 corpus schemas and what the grammar enforces exactly', () => {
    for (const { schema } of SCHEMAS) expect(() => checkSchema(schema, 'invalid_response_format', 's')).not.toThrow();
    const ok: unknown[] = [
      true,
      obj({ a: { $ref: '#/$defs/n' } }, { $defs: { n: { type: 'integer', minimum: 0, maximum: 9 } } }),
      obj({ kids: { type: 'array', maxItems: 2, items: { $ref: '#' } } }),
      { oneOf: [{ type: 'string', maxLength: 2 }, { type: 'integer', minimum: 0, maximum: 5 }] },
      { type: 'integer', exclusiveMinimum: 0.5, exclusiveMaximum: 9 },
      { type: 'string', format: 'date' },
      { type: 'array', prefixItems: [{ type: 'integer', minimum: 0, maximum: 1 }], items: false },
      { type: 'object', additionalProperties: false, properties: {} },
      { type: 'array', items: {}, maxItems: 2 },
      { type: 'string', pattern: '^(ab|cd){1,3}$', title: 't', description: 'd', default: 'ab', examples: ['cd'] },
    ];
    for (const schema of ok) expect(() => checkSchema(schema, 'invalid_response_format', 's')).not.toThrow();
  });
});

describe('checkResponseFormat', () => {
  it('types each format and refuses unknown ones', () => {
    expect(checkResponseFormat({ type: 'json_object' })).toEqual({ type: 'json_object' });
    expect(checkResponseFormat({ type: 'regex', pattern: '\\d+' })).toEqual({ type: 'regex', pattern: '\\d+' });
    expect(checkResponseFormat({ type: 'json_schema', schema: { type: 'integer' }, name: 'n' })).toEqual({ type: 'json_schema', schema: { type: 'integer' }, name: 'n' });
    expect(caught(() => checkResponseFormat({ type: 'xml' })).details).toMatchObject({ option: 'responseFormat', feature: 'type', reason: 'malformed' });
    expect(caught(() => checkResponseFormat(null)).code).toBe('invalid_response_format');
    expect(caught(() => checkResponseFormat({ type: 'json_schema' })).details).toMatchObject({ feature: 'schema' });
    expect(caught(() => checkResponseFormat({ type: 'json_schema', schema: {}, name: 'has space' })).details).toMatchObject({ feature: 'name' });
  });
});

describe('checkRegex: the subset both the grammar and RegExp honour', () => {
  it('accepts the 10 corpus regexes', () => {
    for (const { pattern, matches } of REGEXES) {
      expect(checkRegex(pattern)).toBe(pattern);
      for (const m of matches) expect(new RegExp(`^(?:${pattern})$`, 'u').test(m), `${pattern} ~ ${m}`).toBe(true);
    }
  });

  it.each([
    ['(?=a)a', 'lookaround'],
    ['(?<!a)b', 'lookaround'],
    ['(a)\\1', 'backreference'],
    ['(?<x>a)\\k<x>', 'backreference'],
    ['\\bword', 'word_boundary'],
    ['\\p{L}+', 'unicode_property'],
    ['(?i:abc)', 'inline_flags'],
    ['a^b', 'anchor'],
    ['a$b', 'anchor'],
    ['(^a)', 'anchor'],
    ['a{1,2000}', 'repetition_too_large'],
    ['(ab', 'regex_syntax'],
    ['a{,3}', 'regex_syntax'],
    ['[\\u0100-\\uffff]+', 'non_ascii_class'],
    ['[é-ë]', 'non_ascii_class'],
  ])('%s → %s', (pattern, feature) => {
    const e = caught(() => checkRegex(pattern));
    expect(e.code).toBe('invalid_response_format');
    expect(e.details['feature']).toBe(feature);
    expect(e.details['reason']).toBe(feature === 'regex_syntax' ? 'malformed' : 'unsupported');
  });

  it('refuses a missing or empty pattern', () => {
    expect(caught(() => checkRegex('')).details).toMatchObject({ feature: 'pattern', reason: 'malformed' });
    expect(caught(() => checkRegex(3)).code).toBe('invalid_response_format');
  });
});

describe('checkTools', () => {
  const weather = { name: 'get_weather', description: 'Weather now', parameters: obj({ city: { type: 'string', maxLength: 40 } }, { required: ['city'] }) };

  it("defaults toolChoice to 'auto' and checks a named choice", () => {
    expect(checkTools([weather]).toolChoice).toBe('auto');
    expect(checkTools([weather], { name: 'get_weather' }).toolChoice).toEqual({ name: 'get_weather' });
    expect(caught(() => checkTools([weather], { name: 'other' })).details).toMatchObject({ option: 'toolChoice' });
    expect(caught(() => checkTools([weather], 'sometimes')).details).toMatchObject({ option: 'toolChoice' });
  });

  it.each([
    ['an empty list', [], { option: 'tools' }],
    ['a bad name', [{ ...weather, name: 'get weather' }], { option: 'tools', index: 0, feature: 'name' }],
    ['a duplicate name', [weather, weather], { option: 'tools', index: 1, feature: 'name' }],
    ['parameters that are not an object schema', [{ name: 'f', parameters: { type: 'string' } }], { option: 'tools', tool: 'f', feature: 'type' }],
    ['parameters with an unsupported keyword', [{ name: 'f', parameters: obj({ n: { type: 'integer', multipleOf: 2 } }) }], { option: 'tools', tool: 'f', feature: 'multipleOf', path: '/properties/n' }],
  ])('refuses %s with invalid_tools', (_what, tools, details) => {
    const e = caught(() => checkTools(tools));
    expect(e.code).toBe('invalid_tools');
    expect(e.details).toMatchObject(details);
  });
});

// What XGrammar 0.1.27 itself enforces, straight from its JSON Schema converter (no
// rewriting): the evidence behind schema-features.ts, number-range.ts and
// to-xgrammar.ts. A row that starts failing means the library changed: revisit the
// rule it justifies (a refusal may be lifted, a workaround dropped).
import './xgrammar-env.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadXGrammar, type XGrammar } from '../../../src/backends/onnx/grammar/xgrammar.js';

type Row = [what: string, schema: unknown, accepted: string[], rejected: string[]];

/** Enforced exactly: the schema check lets these through. */
const ENFORCED: Row[] = [
  ['local $ref', { type: 'object', properties: { a: { $ref: '#/$defs/x' } }, required: ['a'], $defs: { x: { type: 'integer' } } }, ['{"a":1}'], ['{"a":"s"}']],
  ['recursive $ref', { type: 'object', properties: { c: { type: 'array', items: { $ref: '#' }, maxItems: 2 } } }, ['{"c":[{"c":[]}]}'], ['{"c":[1]}']],
  ['minItems/maxItems', { type: 'array', items: { type: 'integer' }, minItems: 1, maxItems: 3 }, ['[1]', '[1,2,3]'], ['[]', '[1,2,3,4]']],
  ['const', { const: 'x' }, ['"x"'], ['"y"']],
  ['enum', { enum: ['a', 1, null] }, ['"a"', '1', 'null'], ['"b"', '2']],
  ['anyOf', { anyOf: [{ type: 'string', maxLength: 2 }, { type: 'integer' }] }, ['"ab"', '1'], ['true']],
  ['additionalProperties schema', { type: 'object', additionalProperties: { type: 'integer' } }, ['{"x":1}'], ['{"x":"s"}']],
  ['no additionalProperties: none allowed (strict mode)', { type: 'object', properties: { a: { type: 'integer' } } }, ['{"a":1}'], ['{"b":1}']],
  ['prefixItems', { type: 'array', prefixItems: [{ type: 'integer' }, { type: 'string' }], items: false }, ['[1,"a"]'], ['["a",1]', '[1,"a",2]']],
  ['type array', { type: ['string', 'null'] }, ['"x"', 'null'], ['1']],
  ['min/maxProperties', { type: 'object', minProperties: 1, maxProperties: 2, additionalProperties: { type: 'integer' } }, ['{"a":1}'], ['{}', '{"a":1,"b":2,"c":3}']],
  ['uuid format', { type: 'string', format: 'uuid' }, ['"123e4567-e89b-12d3-a456-426614174000"'], ['"x"']],
  ['properties in declaration order', { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'integer' } }, required: ['a', 'b'] }, ['{"a":1,"b":2}'], ['{"b":2,"a":1}']],
];

/** Compiled but not enforced (a violating value gets through): refused by the schema check. */
const LEAKS: Row[] = [
  ['remote $ref', { type: 'object', properties: { a: { $ref: 'http://example.com/x.json' } }, required: ['a'] }, [], ['{"a":"s"}']],
  ['keywords beside $ref', { type: 'object', properties: { a: { $ref: '#/$defs/x', maximum: 3 } }, required: ['a'], $defs: { x: { type: 'integer' } } }, [], ['{"a":5}']],
  ['if/then', { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'integer' } }, required: ['a'], if: { properties: { a: { const: 1 } } }, then: { required: ['b'] } }, [], ['{"a":1}']],
  ['not', { not: { type: 'string' } }, [], ['"x"']],
  ['dependentRequired', { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'integer' } }, dependentRequired: { a: ['b'] } }, [], ['{"a":1}']],
  ['uniqueItems', { type: 'array', items: { type: 'integer' }, uniqueItems: true }, [], ['[1,1]']],
  ['multipleOf', { type: 'integer', multipleOf: 3 }, [], ['4']],
  ['contains', { type: 'array', items: { type: 'integer' }, contains: { const: 5 } }, [], ['[1]']],
  ['oneOf is anyOf', { oneOf: [{ type: 'integer', minimum: 0, maximum: 5 }, { type: 'integer', minimum: 3, maximum: 10 }] }, [], ['4']],
  ['allOf of two', { allOf: [{ type: 'object', properties: { a: { type: 'integer' } } }, { required: ['a'] }] }, [], ['{}']],
  ['maxLength beside pattern', { type: 'string', pattern: '^[a-z]*$', maxLength: 3 }, [], ['"abcd"']],
  ['required but undeclared', { type: 'object', properties: {}, required: ['a'] }, [], ['{}']],
  ['exclusive bounds on numbers', { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 }, [], ['0', '1']],
  ['its number range (10.5 > 10)', { type: 'number', minimum: 0, maximum: 10 }, [], ['10.5']],
  ['its integer range (121 > 120)', { type: 'object', properties: { a: { type: 'integer', minimum: 0, maximum: 120 } }, required: ['a'] }, [], ['{"a":121}']],
  ['its one-sided integer range', { type: 'integer', minimum: 5 }, [], ['1']],
  ['maxLength without a type', { maxLength: 3 }, [], ['"abcd"']],
  ['a top-level alternation in a pattern (put between quotes as it is)', { type: 'string', pattern: '^a|bc$' }, ['"a"'], []],
  ['maxLength strings allow raw control characters', { type: 'string', maxLength: 3 }, [], ['"\u0005"']],
  ['its date format (no 30 February)', { type: 'string', format: 'date' }, [], ['"2023-02-30"']],
];

/** Refused by XGrammar's own WASM (it aborts): must never reach it. */
const ABORTS: [string, unknown][] = [
  ['false', false],
  ['false as a property', { type: 'object', properties: { a: false } }],
  ['draft-4 exclusiveMinimum: true', { type: 'integer', minimum: 1, exclusiveMinimum: true }],
  ['fractional bounds on an integer', { type: 'integer', minimum: 1.5 }],
  ['draft-7 tuple items', { type: 'array', items: [{ type: 'integer' }] }],
  ['an empty enum', { enum: [] }],
];

describe('XGrammar 0.1.27 as it is', () => {
  let xg: XGrammar;
  beforeAll(async () => {
    xg = await loadXGrammar();
  });

  async function accepts(schema: unknown, text: string): Promise<boolean> {
    const grammar = await xg.Grammar.fromJSONSchema(JSON.stringify(schema), false, -1, [',', ':'], true);
    try {
      return await xg.Testings.isGrammarAcceptString(grammar, text);
    } finally {
      grammar.dispose();
    }
  }

  it.each(ENFORCED)('enforces %s', async (_what, schema, accepted, rejected) => {
    for (const s of accepted) expect(await accepts(schema, s), s).toBe(true);
    for (const s of rejected) expect(await accepts(schema, s), s).toBe(false);
  });

  it.each(LEAKS)('leaks: %s', async (_what, schema, accepted, rejected) => {
    for (const s of accepted) expect(await accepts(schema, s), `wrongly rejects ${s}`).toBe(false);
    for (const s of rejected) expect(await accepts(schema, s), `lets ${s} through`).toBe(true);
  });

  it.each(ABORTS)('aborts on %s', async (_what, schema) => {
    const error = console.error;
    console.error = (): void => undefined; // its "[FATAL] …" lines
    try {
      await expect(xg.Grammar.fromJSONSchema(JSON.stringify(schema), false, -1, [',', ':'], true)).rejects.toThrow();
    } finally {
      console.error = error;
    }
  });

  it('mixes up three alternatives of multi-byte characters (the reason classes list one)', async () => {
    const grammar = await xg.Grammar.fromStructuralTag({ type: 'structural_tag', format: { type: 'regex', pattern: '[a-z](\u3000|\u2000|\u2001)x' } });
    // Character by character it is right; token by token (regex.test.ts) it lets U+3001 through.
    expect(await xg.Testings.isGrammarAcceptString(grammar, 'a\u3000x')).toBe(true);
    grammar.dispose();
    const digits = await xg.Grammar.fromEBNF('root ::= x "y"\nx ::= [0-9] | [1-9] [0-9] | [1-9] [0-9] [0-9]');
    expect(await xg.Testings.isGrammarAcceptString(digits, '12345y')).toBe(true); // should be false
    digits.dispose();
  });
});

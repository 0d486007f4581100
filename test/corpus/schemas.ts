/**
 * Structured-output corpus: 20 JSON Schemas and 10 regexes, for the constrained-decoding
 * tests in Node (a random "model" over real tokenizers) and the acceptance test on real
 * tiny and random-weight models in Chromium.
 *
 * Every string is bounded (maxLength, enum or a bounded pattern), every array by
 * maxItems, every number by minimum/maximum, so that even a random-weight model, which
 * picks uniformly among the tokens the grammar allows, ends well within ~200 tokens.
 * Everything here passes schema-check.ts.
 */
import type { JSONSchema } from '../../src/types.js';

export interface SchemaCase {
  name: string;
  schema: JSONSchema;
}

export interface RegexCase {
  name: string;
  pattern: string;
  /** Strings the pattern matches as a whole (checked against RegExp in the tests). */
  matches: readonly string[];
}

const str = (maxLength: number, minLength = 0): JSONSchema => ({ type: 'string', minLength, maxLength });
const int = (minimum: number, maximum: number): JSONSchema => ({ type: 'integer', minimum, maximum });
const num = (minimum: number, maximum: number): JSONSchema => ({ type: 'number', minimum, maximum });

export const SCHEMAS: readonly SchemaCase[] = Object.freeze([
  { name: 'person', schema: { type: 'object', properties: { name: str(20, 1), age: int(0, 120), email: { type: 'string', pattern: '^[a-z]{1,8}@[a-z]{1,8}\\.com$' } }, required: ['name', 'age'] } },
  { name: 'product', schema: { type: 'object', properties: { sku: { type: 'string', pattern: '^[A-Z]{3}-\\d{4}$' }, price: num(0, 1000), inStock: { type: 'boolean' }, tags: { type: 'array', items: { enum: ['new', 'sale', 'eco'] }, maxItems: 3 } }, required: ['sku', 'price', 'inStock', 'tags'] } },
  { name: 'nested address', schema: { type: 'object', properties: { street: str(30), city: str(20, 1), zip: { type: 'string', pattern: '^\\d{5}$' }, geo: { type: 'object', properties: { lat: num(-90, 90), lon: num(-180, 180) }, required: ['lat', 'lon'] } }, required: ['street', 'city', 'zip', 'geo'] } },
  { name: 'status enum', schema: { type: 'object', properties: { status: { enum: ['active', 'inactive', 'pending'] }, since: int(1990, 2030) }, required: ['status'] } },
  { name: 'order lines', schema: { type: 'object', properties: { lines: { type: 'array', minItems: 1, maxItems: 4, items: { type: 'object', properties: { sku: { type: 'string', pattern: '^[a-z]{2}\\d{2}$' }, qty: int(1, 99) }, required: ['sku', 'qty'] } } }, required: ['lines'] } },
  { name: 'anyOf value', schema: { type: 'object', properties: { value: { anyOf: [str(10), int(0, 100), { type: 'null' }] } }, required: ['value'] } },
  { name: 'booleans and nulls', schema: { type: 'object', properties: { flag: { type: 'boolean' }, nothing: { type: 'null' }, maybe: { type: ['boolean', 'null'] } }, required: ['flag', 'nothing', 'maybe'] } },
  { name: 'optional fields', schema: { type: 'object', properties: { id: int(1, 999), note: str(12), urgent: { type: 'boolean' } }, required: ['id'] } },
  { name: 'tuple point', schema: { type: 'object', properties: { point: { type: 'array', prefixItems: [num(-10, 10), num(-10, 10)], items: false, minItems: 2 } }, required: ['point'] } },
  { name: 'small matrix', schema: { type: 'array', minItems: 1, maxItems: 3, items: { type: 'array', minItems: 1, maxItems: 3, items: int(-9, 9) } } },
  { name: 'top-level string enum', schema: { enum: ['red', 'green', 'blue'] } },
  { name: 'top-level integer', schema: int(1, 6) },
  { name: 'event', schema: { type: 'object', properties: { title: str(24, 1), date: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$' }, attendees: { type: 'array', maxItems: 3, items: str(12, 1) } }, required: ['title', 'date', 'attendees'] } },
  { name: '$defs reuse', schema: { type: 'object', properties: { home: { $ref: '#/$defs/place' }, work: { $ref: '#/$defs/place' } }, required: ['home', 'work'], $defs: { place: { type: 'object', properties: { city: str(16, 1), floor: int(0, 50) }, required: ['city', 'floor'] } } } },
  { name: 'discriminated oneOf', schema: { type: 'object', properties: { shape: { oneOf: [
    { type: 'object', properties: { kind: { const: 'circle' }, r: num(0, 10) }, required: ['kind', 'r'] },
    { type: 'object', properties: { kind: { const: 'rect' }, w: num(0, 10), h: num(0, 10) }, required: ['kind', 'w', 'h'] },
  ] } }, required: ['shape'] } },
  { name: 'bounded scores', schema: { type: 'object', properties: { scores: { type: 'array', items: int(0, 100), minItems: 2, maxItems: 4 } }, required: ['scores'] } },
  { name: 'exclusive integer bounds and const', schema: { type: 'object', properties: { version: { const: 2 }, n: { type: 'integer', exclusiveMinimum: 0, exclusiveMaximum: 10 } }, required: ['version', 'n'] } },
  { name: 'weather reading', schema: { type: 'object', properties: { temperature: num(-50, 50), humidity: num(0, 100), sky: { enum: ['clear', 'cloudy', 'rain', null] } }, required: ['temperature', 'humidity', 'sky'] } },
  { name: 'escapes in pattern', schema: { type: 'object', properties: { path: { type: 'string', pattern: '^[a-z/\\\\"]{1,10}$' }, quote: { type: 'string', pattern: '^"[a-z]{1,5}"$' } }, required: ['path', 'quote'] } },
  { name: 'non-ASCII text', schema: { type: 'object', properties: { greeting: { enum: ['héllo', 'こんにちは', 'hi'] }, word: { type: 'string', pattern: '^[a-zé]{1,8}$' } }, required: ['greeting', 'word'] } },
]);

export const REGEXES: readonly RegexCase[] = Object.freeze([
  { name: 'ISO date', pattern: '\\d{4}-\\d{2}-\\d{2}', matches: ['2024-01-31'] },
  { name: 'US phone', pattern: '\\(\\d{3}\\) \\d{3}-\\d{4}', matches: ['(555) 123-4567'] },
  { name: 'identifier', pattern: '[A-Za-z_][A-Za-z0-9_]{0,15}', matches: ['_tmp1', 'x'] },
  { name: 'alternation', pattern: 'yes|no|maybe', matches: ['yes', 'maybe'] },
  { name: 'bounded repetition', pattern: '(ab){2,4}c?', matches: ['abab', 'abababc'] },
  { name: '24h time', pattern: '([01]\\d|2[0-3]):[0-5]\\d', matches: ['23:59', '07:05'] },
  { name: 'hex colour', pattern: '#[0-9a-fA-F]{6}', matches: ['#a0B1c2'] },
  { name: 'simple email', pattern: '[a-z]{1,8}@[a-z]{1,8}\\.(com|org|net)', matches: ['ann@example.org'] },
  { name: 'semver', pattern: '\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}', matches: ['1.20.3'] },
  { name: 'short sentence', pattern: '[A-Z][a-z]{1,10}( [a-z]{1,10}){0,3}\\.', matches: ['Cats sleep a lot.'] },
]);

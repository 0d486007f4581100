/**
 * The inclusive bounds a subschema's minimum/maximum/exclusive* keywords leave. For
 * integers JSON Schema's "minimum 1.5" is "2 or more" and "exclusiveMinimum 3" is
 * "4 or more", so their bounds are whole numbers.
 */

type Obj = { readonly [keyword: string]: unknown };

const num = (v: unknown, fallback: number): number => (typeof v === 'number' ? v : fallback);

/**
 * @example
 * inclusiveBounds({ minimum: 1.5, exclusiveMaximum: 10 }, 'integer'); // [2, 9]
 * inclusiveBounds({ maximum: 1 }, 'number');                          // [-Infinity, 1]
 */
export function inclusiveBounds(s: Obj, type: 'integer' | 'number'): [lo: number, hi: number] {
  if (type === 'number') {
    // Exclusive bounds on numbers are refused before this is read (schema-rules.ts).
    return [Math.max(num(s['minimum'], -Infinity), num(s['exclusiveMinimum'], -Infinity)), Math.min(num(s['maximum'], Infinity), num(s['exclusiveMaximum'], Infinity))];
  }
  return [
    Math.max(Math.ceil(num(s['minimum'], -Infinity)), Math.floor(num(s['exclusiveMinimum'], -Infinity)) + 1),
    Math.min(Math.floor(num(s['maximum'], Infinity)), Math.ceil(num(s['exclusiveMaximum'], Infinity)) - 1),
  ];
}

/** BM25 (k1 1.2, b 0.75) on a corpus small enough to check by hand, and its tokens. */
import { describe, expect, it } from 'vitest';
import { Bm25, tokenize } from '../../../src/search/worker/bm25.js';

describe('search: BM25', () => {
  it('tokens are lower-cased runs of letters and digits (names and numbers survive)', () => {
    expect(tokenize('RFC-4711, Café: x2 & the_end')).toEqual(['rfc', '4711', 'café', 'x2', 'the', 'end']);
  });

  // N = 3, lengths 3, 2, 2, avgdl = 7/3. "cat": df = 2, idf = ln(1 + 1.5/2.5) = ln 1.6 = 0.470004.
  // Row 0: tf 1, K = 1.2·(0.25 + 0.75·3/(7/3)) = 1.457143 → 0.470004 · 2.2/2.457143 = 0.420817.
  // Row 2: tf 2, K = 1.2·(0.25 + 0.75·2/(7/3)) = 1.071429 → 0.470004 · 4.4/3.071429 = 0.673311.
  const bm = new Bm25(['The cat sat', 'the dog', 'cat CAT']);

  it('scores a one-term query as computed by hand', () => {
    const out = new Float32Array(3);
    bm.score('cat', out);
    expect(out[0]).toBeCloseTo(0.420817, 5);
    expect(out[1]).toBe(0);
    expect(out[2]).toBeCloseTo(0.673311, 5);
  });

  // "dog": df 1, idf = ln(1 + 2.5/1.5) = 0.980829; row 1: tf 1, K = 1.071429 → 0.980829 · 2.2/2.071429 = 1.041708.
  it('sums the terms of a query, counts a repeated query term once, and is zero for unknown words', () => {
    const out = new Float32Array(3);
    bm.score('dog cat dog zebra', out);
    expect(out[0]).toBeCloseTo(0.420817, 5);
    expect(out[1]).toBeCloseTo(1.041708, 5);
    expect(out[2]).toBeCloseTo(0.673311, 5);
    bm.score('zebra', out);
    expect([...out]).toEqual([0, 0, 0]);
  });
});

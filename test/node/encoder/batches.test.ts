import { describe, expect, it } from 'vitest';
import { packBatch, planBatches } from '../../../src/backends/onnx/encoder/batches.js';

describe('planBatches', () => {
  it('groups longest texts first, at most batchSize per batch', () => {
    // lengths:      0  1  2  3  4
    const lengths = [3, 7, 5, 2, 6];
    expect(planBatches(lengths, 2)).toEqual([[1, 4], [2, 0], [3]]);
  });

  it('keeps input order among equal lengths (stable)', () => {
    expect(planBatches([4, 4, 9, 4, 4], 3)).toEqual([[2, 0, 1], [3, 4]]);
  });

  it('plans nothing for no texts, treats a batchSize under 1 (or NaN) as 1 and Infinity as one batch', () => {
    expect(planBatches([], 8)).toEqual([]);
    expect(planBatches([2, 5], 0)).toEqual([[1], [0]]);
    expect(planBatches([2, 5], 1.7)).toEqual([[1], [0]]);
    expect(planBatches([2, 5], Number.NaN)).toEqual([[1], [0]]);
    expect(planBatches([2, 5], Number.POSITIVE_INFINITY)).toEqual([[1, 0]]);
  });

  it('names every input exactly once, so results placed by index come back in input order', () => {
    const lengths = Array.from({ length: 37 }, (_, i) => (i * 7919) % 13);
    const batches = planBatches(lengths, 5);
    expect(batches.flat().sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i));
    expect(Math.max(...batches.map((b) => b.length))).toBe(5);
    // What the encoder does: compute per batch in sorted order, store at the input index.
    const out = new Array<string>(lengths.length);
    for (const batch of batches) for (const i of batch) out[i] = `text ${i}`;
    expect(out).toEqual(lengths.map((_, i) => `text ${i}`));
  });

  it('pads far less than batching in input order', () => {
    const lengths = [10, 2, 9, 3, 10, 2];
    const padding = (batches: number[][]): number =>
      batches.reduce((sum, b) => {
        const longest = Math.max(...b.map((i) => lengths[i]!));
        return sum + b.reduce((s, i) => s + longest - lengths[i]!, 0);
      }, 0);
    // Sorted: [10,10] [9,3] [2,2] → 0 + 6 + 0. Input order: [10,2] [9,3] [10,2] → 8 + 6 + 8.
    expect(padding(planBatches(lengths, 2))).toBe(6);
    expect(padding([[0, 1], [2, 3], [4, 5]])).toBe(22);
  });
});

describe('packBatch', () => {
  const tokens = [
    [2, 40, 41, 3],
    [2, 50, 3],
    [2, 60, 61, 62, 63, 3],
  ];

  it('right-pads to the longest text of the batch with the pad id, mask 1 on real tokens', () => {
    const p = packBatch(tokens, [0, 1], 0);
    expect([p.rows, p.seq, p.realTokens]).toEqual([2, 4, 7]);
    expect(Array.from(p.ids, Number)).toEqual([2, 40, 41, 3, 2, 50, 3, 0]);
    expect(Array.from(p.mask, Number)).toEqual([1, 1, 1, 1, 1, 1, 1, 0]);
    expect(Array.from(p.mask8)).toEqual([1, 1, 1, 1, 1, 1, 1, 0]);
  });

  it('uses the given pad id and follows the batch order', () => {
    const p = packBatch(tokens, [2, 1], 99);
    expect(p.seq).toBe(6);
    expect(Array.from(p.ids, Number)).toEqual([2, 60, 61, 62, 63, 3, 2, 50, 3, 99, 99, 99]);
    expect(p.realTokens).toBe(9);
  });

  it('writes int64 values exactly, large ids included', () => {
    const p = packBatch([[2, 250_000, 3]], [0], 0);
    expect(p.ids).toEqual(new BigInt64Array([2n, 250_000n, 3n]));
    expect(p.mask).toEqual(new BigInt64Array([1n, 1n, 1n]));
  });

  it('keeps one masked position when every text is empty (ORT refuses a zero-length axis)', () => {
    const p = packBatch([[], []], [0, 1], 0);
    expect([p.rows, p.seq, p.realTokens]).toEqual([2, 1, 0]);
    expect(Array.from(p.mask8)).toEqual([0, 0]);
  });
});

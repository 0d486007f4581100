import { describe, expect, it } from 'vitest';
import { clsPool, l2Normalize, meanPool, rowOf } from '../../../src/backends/onnx/encoder/pool.js';

// Two rows, three positions, two dims: [rows, seq, dim].
const hidden = new Float32Array([
  1, 2, /**/ 3, 4, /**/ 100, 100, // row 0: last position is padding
  -1, 0, /**/ 5, 6, /**/ 9, 12, //  row 1: all real
]);
const mask = new Uint8Array([1, 1, 0, 1, 1, 1]);

describe('meanPool', () => {
  it('averages only the positions the attention mask marks real', () => {
    expect(Array.from(meanPool(hidden, mask, 0, 3, 2))).toEqual([2, 3]); // (1+3)/2, (2+4)/2
    expect(Array.from(meanPool(hidden, mask, 1, 3, 2))).toEqual([Math.fround(13 / 3), 6]); // (-1+5+9)/3, (0+6+12)/3, stored as float32
  });

  it('gives a zero vector, not NaN, for a row with no real token', () => {
    expect(Array.from(meanPool(hidden, new Uint8Array(6), 0, 3, 2))).toEqual([0, 0]);
  });

  it('returns a copy that outlives the source buffer', () => {
    const src = hidden.slice();
    const v = meanPool(src, mask, 0, 3, 2);
    src.fill(0);
    expect(Array.from(v)).toEqual([2, 3]);
  });
});

describe('clsPool and rowOf', () => {
  it('clsPool takes position 0 of the row', () => {
    expect(Array.from(clsPool(hidden, 0, 3, 2))).toEqual([1, 2]);
    expect(Array.from(clsPool(hidden, 1, 3, 2))).toEqual([-1, 0]);
  });

  it('rowOf takes a row of a [rows, dim] output, as a copy', () => {
    const pooled = new Float32Array([1, 2, 3, 4, 5, 6]);
    const v = rowOf(pooled, 1, 3);
    pooled.fill(0);
    expect(Array.from(v)).toEqual([4, 5, 6]);
  });
});

describe('l2Normalize', () => {
  it('scales to unit length', () => {
    expect(Array.from(l2Normalize(new Float32Array([3, 4])))).toEqual([0.6000000238418579, 0.800000011920929]);
    const v = l2Normalize(new Float32Array([1, 1, 1, 1]));
    expect(Array.from(v)).toEqual([0.5, 0.5, 0.5, 0.5]);
  });

  it('leaves a zero vector zero, with no NaN', () => {
    const v = l2Normalize(new Float32Array(4));
    expect(Array.from(v)).toEqual([0, 0, 0, 0]);
  });

  it('normalizes in place and returns the same array', () => {
    const v = new Float32Array([0, -2]);
    expect(l2Normalize(v)).toBe(v);
    expect(Array.from(v)).toEqual([0, -1]);
  });
});

/**
 * The search loop's pure parts against naive references: the bounded top-k heap, cosine
 * over packed Float32 and Int8 rows, and what Int8 costs (the per-component error bound
 * and recall@10 against Float32 on random data).
 */
import { describe, expect, it } from 'vitest';
import { scoreFloat32, scoreInt8 } from '../../../src/search/worker/scan.js';
import { TopK } from '../../../src/search/worker/topk.js';
import { decodeVector, encodeVector, normaliseInto } from '../../../src/search/worker/vectors.js';
import { randomVectors, rng } from './random.js';

function naiveCosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb);
}

/** Packs `rows` encoded vectors as the snapshot does. */
function pack(src: Float32Array, rows: number, dims: number, type: 'float32' | 'int8') {
  const f32 = new Float32Array(type === 'float32' ? rows * dims : 0);
  const i8 = new Int8Array(type === 'int8' ? rows * dims : 0);
  const scales = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const e = encodeVector(src, r, dims, type);
    if (type === 'float32') f32.set(new Float32Array(e.vector), r * dims);
    else i8.set(new Int8Array(e.vector), r * dims);
    scales[r] = e.scale;
  }
  return { f32, i8, scales };
}

function topIds(scores: Float32Array, k: number): number[] {
  return [...scores.keys()].sort((a, b) => scores[b]! - scores[a]! || a - b).slice(0, k);
}

describe('search: top-k heap', () => {
  it('keeps exactly the k best of 5000 random scores, best first, for k = 1, 7 and 100', () => {
    const r = rng(7);
    const scores = Array.from({ length: 5000 }, () => Math.round(r() * 1000) / 10);
    for (const k of [1, 7, 100]) {
      const top = new TopK(k);
      scores.forEach((s, row) => top.push(row, s));
      const expected = scores.map((score, row) => ({ row, score })).sort((a, b) => b.score - a.score || a.row - b.row).slice(0, k);
      expect(top.sorted()).toEqual(expected);
    }
  });

  it('on ties keeps the earlier rows, and holds fewer than k when fewer came', () => {
    const top = new TopK(3);
    for (let row = 0; row < 6; row++) top.push(row, 1);
    expect(top.sorted().map((h) => h.row)).toEqual([0, 1, 2]);
    const few = new TopK(10);
    few.push(4, 0.5);
    few.push(2, 0.9);
    expect(few.sorted()).toEqual([{ row: 2, score: 0.9 }, { row: 4, score: 0.5 }]);
  });
});

describe('search: cosine over packed rows', () => {
  const dims = 67; // not a multiple of 4: the loop's tail runs too
  const rows = 300;
  const data = randomVectors(rows, dims, 1);
  const query = randomVectors(1, dims, 2);
  const unitQuery = normaliseInto(query, 0, dims, new Float32Array(dims));

  it('Float32 rows: every score equals the naive cosine within 1e-6', () => {
    const { f32 } = pack(data, rows, dims, 'float32');
    const out = new Float32Array(rows);
    scoreFloat32(f32, rows, dims, unitQuery, undefined, out);
    for (let r = 0; r < rows; r++) expect(out[r]).toBeCloseTo(naiveCosine(data.subarray(r * dims, (r + 1) * dims), query), 6);
  });

  it('a mask skips rows and leaves their scores untouched', () => {
    const { f32 } = pack(data, rows, dims, 'float32');
    const out = new Float32Array(rows).fill(-9);
    const mask = new Uint8Array(rows);
    mask[3] = 1;
    scoreFloat32(f32, rows, dims, unitQuery, mask, out);
    expect(out[2]).toBe(-9);
    expect(out[3]).toBeCloseTo(naiveCosine(data.subarray(3 * dims, 4 * dims), query), 6);
  });

  it('Int8 rows: each component is within scale/2 of the unit vector, so each score is within Σ|q|·scale/2 of the cosine', () => {
    const { i8, scales } = pack(data, rows, dims, 'int8');
    const out = new Float32Array(rows);
    scoreInt8(i8, scales, rows, dims, unitQuery, undefined, out);
    let qAbs = 0;
    for (const x of unitQuery) qAbs += Math.abs(x);
    for (let r = 0; r < rows; r++) {
      const unit = normaliseInto(data, r * dims, dims, new Float32Array(dims));
      const back = decodeVector(encodeVector(data, r, dims, 'int8'), 'int8');
      const scale = scales[r]!;
      for (let i = 0; i < dims; i++) expect(Math.abs(back[i]! - unit[i]!)).toBeLessThanOrEqual(scale / 2 + 1e-7);
      expect(Math.abs(out[r]! - naiveCosine(data.subarray(r * dims, (r + 1) * dims), query))).toBeLessThanOrEqual((qAbs * scale) / 2 + 1e-6);
    }
  });

  it('Int8 recall@10 against Float32 is at least 0.9 over 20 queries on 2000 random 384-d vectors', () => {
    const n = 2000;
    const d = 384;
    const corpus = randomVectors(n, d, 3);
    const { f32 } = pack(corpus, n, d, 'float32');
    const { i8, scales } = pack(corpus, n, d, 'int8');
    const exact = new Float32Array(n);
    const approx = new Float32Array(n);
    let found = 0;
    for (let q = 0; q < 20; q++) {
      const unit = normaliseInto(randomVectors(1, d, 100 + q), 0, d, new Float32Array(d));
      scoreFloat32(f32, n, d, unit, undefined, exact);
      scoreInt8(i8, scales, n, d, unit, undefined, approx);
      const truth = new Set(topIds(exact, 10));
      found += topIds(approx, 10).filter((id) => truth.has(id)).length;
    }
    expect(found / 200).toBeGreaterThanOrEqual(0.9);
  });
});

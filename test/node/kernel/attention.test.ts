// The kernel's causal attention against a float64 reference written here from the formula
// (softmax(q·kᵀ/√d)·v over positions 0..pos0+m), on group sizes that take its two-heads-at-
// a-time path, its one-head path and both, head sizes that leave remainders, and runs that
// cross its 64-key blocks; and the slices the threads take (by heads, by rows) give the
// same bits as the whole.
import { beforeAll, describe, expect, it } from 'vitest';
import { KernelMemory } from '../../../src/backends/onnx/kernel/memory.js';
import { rowCuts } from '../../../src/backends/onnx/kernel/threads.js';

let mem: KernelMemory;
beforeAll(async () => {
  mem = await KernelMemory.create(false);
});

interface Case { heads: number; kvHeads: number; d: number; M: number; pos0: number }

/** A filled cache and query rows for one case; `run` calls the kernel on heads h0..h1 of rows r0..r1 into a fresh output. */
function setUp(c: Case, seed: number) {
  const cap = Math.ceil((c.pos0 + c.M) / 64) * 64;
  const ldq = c.heads * c.d + 8; // a row stride wider than the heads, as the qkv rows are
  const ldo = c.heads * c.d;
  let s = seed;
  const rnd = (): number => ((s = (s * 1_103_515_245 + 12_345) >>> 0) / 2 ** 32) * 2 - 1;
  const q = mem.alloc(c.M * ldq * 4), keys = mem.alloc(c.kvHeads * cap * c.d * 4), values = mem.alloc(c.kvHeads * cap * c.d * 4);
  for (const [at, n, amp] of [[q, c.M * ldq, 3], [keys, c.kvHeads * cap * c.d, 2], [values, c.kvHeads * cap * c.d, 1]] as const) {
    const v = mem.f32(at, n);
    for (let i = 0; i < n; i++) v[i] = rnd() * amp;
  }
  const group = c.heads / c.kvHeads;
  const scores = mem.alloc((group * (c.pos0 + c.M) + group) * 4);
  const run = (h0 = 0, h1 = c.heads, r0 = 0, r1 = c.M): Float32Array => {
    const out = mem.alloc(c.M * ldo * 4);
    mem.k.attention(q + r0 * ldq * 4, ldq, keys, values, cap, out + r0 * ldo * 4, ldo, r1 - r0, c.pos0 + r0, c.heads, c.kvHeads, c.d, h0, h1, scores);
    return mem.f32(out, c.M * ldo).slice();
  };
  const reference = (): Float64Array => {
    const [Q, K, V] = [mem.f32(q, c.M * ldq), mem.f32(keys, c.kvHeads * cap * c.d), mem.f32(values, c.kvHeads * cap * c.d)];
    const out = new Float64Array(c.M * ldo);
    for (let m = 0; m < c.M; m++) {
      const T = c.pos0 + m + 1;
      for (let h = 0; h < c.heads; h++) {
        const kv = Math.floor(h / group);
        const sc = Array.from({ length: T }, (_, t) => {
          let dot = 0;
          for (let i = 0; i < c.d; i++) dot += Q[m * ldq + h * c.d + i]! * K[(kv * cap + t) * c.d + i]!;
          return dot / Math.sqrt(c.d);
        });
        const top = Math.max(...sc);
        const e = sc.map((x) => Math.exp(x - top));
        const total = e.reduce((a, b) => a + b, 0);
        for (let i = 0; i < c.d; i++) {
          let acc = 0;
          for (let t = 0; t < T; t++) acc += e[t]! * V[(kv * cap + t) * c.d + i]!;
          out[m * ldo + h * c.d + i] = acc / total;
        }
      }
    }
    return out;
  };
  return { run, reference };
}

const CASES: Case[] = [
  { heads: 9, kvHeads: 3, d: 64, M: 5, pos0: 70 }, // groups of 3: a pair and a single head; rows past one 64-key block
  { heads: 4, kvHeads: 2, d: 16, M: 7, pos0: 0 }, // pairs only, T from 1 to 7 (fewer than four keys at first)
  { heads: 4, kvHeads: 4, d: 20, M: 3, pos0: 128 }, // one head per group; d not a multiple of 16 or 8
  { heads: 6, kvHeads: 2, d: 24, M: 4, pos0: 61 }, // a pair with 8 floats past the 16-float steps; blocks crossed mid-run
];

describe('decoder kernel attention', () => {
  it.each(CASES)('matches the float64 reference: %o', (c) => {
    const { run, reference } = setUp(c, 7);
    const got = run();
    const want = reference();
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
    expect(worst).toBeLessThan(2e-6);
  });

  it.each(CASES)('slices by heads and by rows give the same bits as the whole: %o', (c) => {
    const { run } = setUp(c, 11);
    const whole = run();
    const mid = Math.floor(c.heads / 2) + 1; // cuts a group where the group has more than one head
    const byHeads = run(0, mid).map((v, i) => (Math.floor((i % (c.heads * c.d)) / c.d) < mid ? v : 0));
    const rest = run(mid, c.heads);
    const heads = byHeads.map((v, i) => (Math.floor((i % (c.heads * c.d)) / c.d) < mid ? v : rest[i]!));
    expect(Array.from(heads)).toEqual(Array.from(whole));
    const r = Math.floor(c.M / 2);
    const top = run(0, c.heads, 0, r), bottom = run(0, c.heads, r, c.M);
    const rows = top.map((v, i) => (i < r * c.heads * c.d ? v : bottom[i]!));
    expect(Array.from(rows)).toEqual(Array.from(whole));
  });
});

describe('rowCuts', () => {
  it('splits rows so each thread reads about the same number of keys, covering every row once', () => {
    for (const [M, pos0, count] of [[128, 0, 2], [128, 896, 2], [192, 300, 3], [40, 0, 4], [5, 0, 2]] as const) {
      const cuts = rowCuts(M, pos0, count);
      expect(cuts.length).toBe(count + 1);
      expect(cuts[0]).toBe(0);
      expect(cuts[count]).toBe(M);
      for (let i = 0; i < count; i++) expect(cuts[i + 1]!).toBeGreaterThanOrEqual(cuts[i]!);
      const cost = (a: number, b: number): number => { let s = 0; for (let m = a; m < b; m++) s += pos0 + m + 1; return s; };
      const shares = cuts.slice(1).map((hi, i) => cost(cuts[i]!, hi));
      const fair = cost(0, M) / count;
      // each share is within one row's cost of an even split
      for (const s of shares) expect(Math.abs(s - fair)).toBeLessThanOrEqual(pos0 + M);
    }
    // a run starting at 0 is cut past its middle: later rows read more keys
    expect(rowCuts(128, 0, 2)[1]).toBeGreaterThan(64);
  });
});

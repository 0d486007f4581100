// The decoder kernel: the arithmetic of a Llama-family decode step in WebAssembly SIMD,
// compiled by AssemblyScript (`npm run build:kernel`) into `../wasm.ts` (this file is the
// entry; matmul.ts, attention.ts and simd.ts hold the rest). Everything works
// on pointers into the one memory the JS side (`../memory.ts`) lays out; nothing here
// allocates. Int8 matmuls use plain SIMD (`i32x4.dot_i16x8_s`), not relaxed SIMD: every
// browser with WASM SIMD runs it, and it computes exactly int8 × int8 with no 7-bit limit.

export { quantRows, matmul, scatterRows } from './matmul';
export { attention } from './attention';
import { exp4 } from './simd';

/** RMSNorm of M rows: y = w · x / sqrt(mean(x²) + eps), each sum in float32 as the graph's ReduceMean is. */
export function rmsNorm(x: usize, w: usize, y: usize, M: i32, K: i32, eps: f32): void {
  for (let m = 0; m < M; m++) {
    const row = x + <usize>(m * K) * 4, out = y + <usize>(m * K) * 4;
    let ss: f32 = 0;
    for (let k = 0; k < K; k++) { const v = load<f32>(row + <usize>k * 4); ss += v * v; }
    const r: f32 = 1 / sqrt<f32>(ss / <f32>K + eps);
    for (let k = 0; k < K; k++) store<f32>(out + <usize>k * 4, load<f32>(w + <usize>k * 4) * (load<f32>(row + <usize>k * 4) * r));
  }
}

/** res += delta (the residual), then y = RMSNorm(res). */
export function addRmsNorm(res: usize, delta: usize, w: usize, y: usize, M: i32, K: i32, eps: f32): void {
  const n = M * K;
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(res + <usize>i * 4, f32x4.add(v128.load(res + <usize>i * 4), v128.load(delta + <usize>i * 4)));
  for (; i < n; i++) store<f32>(res + <usize>i * 4, load<f32>(res + <usize>i * 4) + load<f32>(delta + <usize>i * 4));
  rmsNorm(res, w, y, M, K, eps);
}

/**
 * Rotary embedding in place on `heads` heads of each of M rows (row stride ld floats, the
 * first head at offset 0), row m at position pos0 + m. Tables are [P, d/2]. Interleaved
 * rotates pairs (2j, 2j+1); otherwise rotate-half pairs (j, j + d/2).
 */
export function rope(x: usize, M: i32, ld: i32, heads: i32, d: i32, cos: usize, sin: usize, pos0: i32, interleaved: i32): void {
  const half = d >> 1;
  for (let m = 0; m < M; m++) {
    const c = cos + <usize>((pos0 + m) * half) * 4, s = sin + <usize>((pos0 + m) * half) * 4;
    for (let h = 0; h < heads; h++) {
      const base = x + <usize>(m * ld + h * d) * 4;
      for (let j = 0; j < half; j++) {
        const i0 = interleaved ? 2 * j : j, i1 = interleaved ? 2 * j + 1 : j + half;
        const a = load<f32>(base + <usize>i0 * 4), b = load<f32>(base + <usize>i1 * 4);
        const cj = load<f32>(c + <usize>j * 4), sj = load<f32>(s + <usize>j * 4);
        store<f32>(base + <usize>i0 * 4, a * cj - b * sj);
        store<f32>(base + <usize>i1 * 4, b * cj + a * sj);
      }
    }
  }
}

/** out[m][i] = silu(gate[m][i]) · up[m][i], gate and up side by side in rows of ld. */
export function siluMul(gu: usize, ld: i32, upAt: i32, out: usize, M: i32, I: i32): void {
  const one = f32x4.splat(1);
  for (let m = 0; m < M; m++) {
    const g = gu + <usize>(m * ld) * 4, u = g + <usize>upAt * 4, o = out + <usize>(m * I) * 4;
    let i = 0;
    for (; i + 4 <= I; i += 4) {
      const x = v128.load(g + <usize>i * 4);
      v128.store(o + <usize>i * 4, f32x4.mul(f32x4.div(x, f32x4.add(one, exp4(f32x4.neg(x)))), v128.load(u + <usize>i * 4)));
    }
    for (; i < I; i++) {
      const x = load<f32>(g + <usize>i * 4);
      store<f32>(o + <usize>i * 4, (x / (1 + Mathf.exp(-x))) * load<f32>(u + <usize>i * 4));
    }
  }
}

/** Copies M rows of n floats from rows of ld (offset at) into the cache head by head at pos0. */
export function toCache(x: usize, ld: i32, at: i32, M: i32, kvHeads: i32, d: i32, cache: usize, cap: i32, pos0: i32): void {
  for (let m = 0; m < M; m++) {
    for (let h = 0; h < kvHeads; h++) {
      memory.copy(cache + <usize>((h * cap + pos0 + m) * d) * 4, x + <usize>(m * ld + at + h * d) * 4, <usize>d * 4);
    }
  }
}

/** Token rows from int8 rows of Kp with a scale per row: the embedding lookup. */
export function embed(table: usize, scales: usize, Kp: i32, K: i32, ids: usize, M: i32, y: usize): void {
  for (let m = 0; m < M; m++) {
    const id = load<i32>(ids + <usize>m * 4);
    const row = table + <usize>id * <usize>Kp, s = load<f32>(scales + <usize>id * 4), out = y + <usize>(m * K) * 4;
    for (let k = 0; k < K; k++) store<f32>(out + <usize>k * 4, <f32>load<i8>(row + <usize>k) * s);
  }
}

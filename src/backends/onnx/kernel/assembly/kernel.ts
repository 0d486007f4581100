// The decoder kernel: the arithmetic of a Llama-family decode step in WebAssembly SIMD,
// compiled by AssemblyScript (`npm run build:kernel`) into `../wasm.ts`. Everything works
// on pointers into the one memory the JS side (`../memory.ts`) lays out; nothing here
// allocates. Int8 matmuls use plain SIMD (`i32x4.dot_i16x8_s`), not relaxed SIMD: every
// browser with WASM SIMD runs it, and it computes exactly int8 × int8 with no 7-bit limit.

@inline function hsum(c: v128): i32 {
  return i32x4.extract_lane(c, 0) + i32x4.extract_lane(c, 1) + i32x4.extract_lane(c, 2) + i32x4.extract_lane(c, 3);
}

/**
 * e^x for four lanes: 2^n · p(r) with x = n·ln2 + r, |r| ≤ ln2/2, p a degree-6 polynomial
 * (relative error < 2e-7, float32's own). x is clamped to [-87, 88], where float32's exp
 * is about to underflow or overflow: softmax and SiLU only need those ends to be tiny or huge.
 */
@inline function exp4(x: v128): v128 {
  x = f32x4.min(f32x4.max(x, f32x4.splat(-87)), f32x4.splat(88));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.4426950408889634)));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693145751953125))), f32x4.mul(n, f32x4.splat(1.428606765330187e-6)));
  let p = f32x4.splat(1.0 / 720);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 120));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 24));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 6));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(0.5));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1));
  const pow2 = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, pow2);
}

@inline function fsum(c: v128): f32 {
  return f32x4.extract_lane(c, 0) + f32x4.extract_lane(c, 1) + f32x4.extract_lane(c, 2) + f32x4.extract_lane(c, 3);
}

/**
 * Quantizes M rows of K floats (row stride K) to int16-held int8 with one symmetric scale
 * per row, into rows of Kp (a multiple of 16) padded with zeros. Per-row scales make a
 * row's numbers independent of the other rows: a prompt gives the same result in one run
 * or in chunks.
 */
export function quantRows(x: usize, M: i32, K: i32, Kp: i32, q: usize, scales: usize): void {
  for (let m = 0; m < M; m++) {
    const row = x + <usize>(m * K) * 4;
    let k = 0;
    let peak4 = f32x4.splat(0);
    for (; k + 4 <= K; k += 4) peak4 = f32x4.max(peak4, f32x4.abs(v128.load(row + <usize>k * 4)));
    let peak: f32 = max(max(f32x4.extract_lane(peak4, 0), f32x4.extract_lane(peak4, 1)), max(f32x4.extract_lane(peak4, 2), f32x4.extract_lane(peak4, 3)));
    for (; k < K; k++) peak = max(peak, abs(load<f32>(row + <usize>k * 4)));
    const s: f32 = peak > 0 ? peak / 127 : 1;
    const inv: f32 = 1 / s;
    store<f32>(scales + <usize>m * 4, s);
    const out = q + <usize>(m * Kp) * 2;
    const inv4 = f32x4.splat(inv);
    k = 0;
    for (; k + 8 <= K; k += 8) {
      const lo = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(v128.load(row + <usize>k * 4), inv4)));
      const hi = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(v128.load(row + <usize>k * 4, 16), inv4)));
      v128.store(out + <usize>k * 2, i16x8.narrow_i32x4_s(lo, hi));
    }
    for (; k < K; k++) store<i16>(out + <usize>k * 2, <i16>nearest(load<f32>(row + <usize>k * 4) * inv));
    for (; k < Kp; k++) store<i16>(out + <usize>k * 2, 0);
  }
}

/**
 * y[m·ldy + n] = (Σ_k W[n][k] · A[m][k]) · wScale[n] · aScale[m] + bias[n] (bias 0 = none)
 * for n0 ≤ n < n1, with W int8 rows of Kp and A int16 rows of Kp. One row of A streams each
 * weight row once (decode). More rows go in tiles of 4 weight rows × 2 activation rows,
 * weights outside, so 4 weight rows stay in L1 while every activation row passes them.
 */
export function matmul(w: usize, wScale: usize, bias: usize, a: usize, aScale: usize, y: usize, ldy: i32, M: i32, Kp: i32, n0: i32, n1: i32): void {
  if (M == 1) gemv(w, wScale, a, load<f32>(aScale), y, Kp, n0, n1);
  else {
    const rowA = <usize>Kp * 2;
    let n = n0;
    for (; n + 4 <= n1; n += 4) {
      const w0 = w + <usize>n * <usize>Kp, w1 = w0 + <usize>Kp, w2 = w1 + <usize>Kp, w3 = w2 + <usize>Kp;
      const ws = wScale + <usize>n * 4;
      const ws0 = load<f32>(ws), ws1 = load<f32>(ws, 4), ws2 = load<f32>(ws, 8), ws3 = load<f32>(ws, 12);
      let m = 0;
      for (; m + 2 <= M; m += 2) {
        const p0 = a + <usize>m * rowA, p1 = p0 + rowA;
        let c00 = i32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (let k = 0; k < Kp; k += 8) {
          const x0 = v128.load(p0 + <usize>k * 2), x1 = v128.load(p1 + <usize>k * 2);
          let v = v128.load8x8_s(w0 + <usize>k);
          c00 = i32x4.add(c00, i32x4.dot_i16x8_s(v, x0)); c01 = i32x4.add(c01, i32x4.dot_i16x8_s(v, x1));
          v = v128.load8x8_s(w1 + <usize>k);
          c10 = i32x4.add(c10, i32x4.dot_i16x8_s(v, x0)); c11 = i32x4.add(c11, i32x4.dot_i16x8_s(v, x1));
          v = v128.load8x8_s(w2 + <usize>k);
          c20 = i32x4.add(c20, i32x4.dot_i16x8_s(v, x0)); c21 = i32x4.add(c21, i32x4.dot_i16x8_s(v, x1));
          v = v128.load8x8_s(w3 + <usize>k);
          c30 = i32x4.add(c30, i32x4.dot_i16x8_s(v, x0)); c31 = i32x4.add(c31, i32x4.dot_i16x8_s(v, x1));
        }
        const s0 = load<f32>(aScale + <usize>m * 4), s1 = load<f32>(aScale + <usize>(m + 1) * 4);
        const o0 = y + <usize>(m * ldy + n) * 4, o1 = o0 + <usize>ldy * 4;
        store<f32>(o0, <f32>hsum(c00) * ws0 * s0); store<f32>(o0, <f32>hsum(c10) * ws1 * s0, 4);
        store<f32>(o0, <f32>hsum(c20) * ws2 * s0, 8); store<f32>(o0, <f32>hsum(c30) * ws3 * s0, 12);
        store<f32>(o1, <f32>hsum(c01) * ws0 * s1); store<f32>(o1, <f32>hsum(c11) * ws1 * s1, 4);
        store<f32>(o1, <f32>hsum(c21) * ws2 * s1, 8); store<f32>(o1, <f32>hsum(c31) * ws3 * s1, 12);
      }
      if (m < M) gemv(w, wScale, a + <usize>m * rowA, load<f32>(aScale + <usize>m * 4), y + <usize>(m * ldy) * 4, Kp, n, n + 4);
    }
    for (let m = 0; m < M && n < n1; m++) gemv(w, wScale, a + <usize>m * rowA, load<f32>(aScale + <usize>m * 4), y + <usize>(m * ldy) * 4, Kp, n, n1);
  }
  if (bias) {
    for (let m = 0; m < M; m++) {
      const row = y + <usize>(m * ldy) * 4;
      for (let n = n0; n < n1; n++) store<f32>(row + <usize>n * 4, load<f32>(row + <usize>n * 4) + load<f32>(bias + <usize>n * 4));
    }
  }
}

function gemv(w: usize, wScale: usize, a: usize, s: f32, y: usize, Kp: i32, n0: i32, n1: i32): void {
  let n = n0;
  for (; n + 4 <= n1; n += 4) {
    const w0 = w + <usize>n * <usize>Kp, w1 = w0 + <usize>Kp, w2 = w1 + <usize>Kp, w3 = w2 + <usize>Kp;
    let c0 = i32x4.splat(0), c1 = c0, c2 = c0, c3 = c0;
    for (let k = 0; k < Kp; k += 16) {
      const a0 = v128.load(a + <usize>k * 2), a1 = v128.load(a + <usize>k * 2, 16);
      c0 = i32x4.add(c0, i32x4.add(i32x4.dot_i16x8_s(v128.load8x8_s(w0 + <usize>k), a0), i32x4.dot_i16x8_s(v128.load8x8_s(w0 + <usize>k, 8), a1)));
      c1 = i32x4.add(c1, i32x4.add(i32x4.dot_i16x8_s(v128.load8x8_s(w1 + <usize>k), a0), i32x4.dot_i16x8_s(v128.load8x8_s(w1 + <usize>k, 8), a1)));
      c2 = i32x4.add(c2, i32x4.add(i32x4.dot_i16x8_s(v128.load8x8_s(w2 + <usize>k), a0), i32x4.dot_i16x8_s(v128.load8x8_s(w2 + <usize>k, 8), a1)));
      c3 = i32x4.add(c3, i32x4.add(i32x4.dot_i16x8_s(v128.load8x8_s(w3 + <usize>k), a0), i32x4.dot_i16x8_s(v128.load8x8_s(w3 + <usize>k, 8), a1)));
    }
    const ws = wScale + <usize>n * 4, o = y + <usize>n * 4;
    store<f32>(o, <f32>hsum(c0) * load<f32>(ws) * s); store<f32>(o, <f32>hsum(c1) * load<f32>(ws, 4) * s, 4);
    store<f32>(o, <f32>hsum(c2) * load<f32>(ws, 8) * s, 8); store<f32>(o, <f32>hsum(c3) * load<f32>(ws, 12) * s, 12);
  }
  for (; n < n1; n++) {
    const wr = w + <usize>n * <usize>Kp;
    let c = i32x4.splat(0);
    for (let k = 0; k < Kp; k += 8) c = i32x4.add(c, i32x4.dot_i16x8_s(v128.load8x8_s(wr + <usize>k), v128.load(a + <usize>k * 2)));
    store<f32>(y + <usize>n * 4, <f32>hsum(c) * load<f32>(wScale + <usize>n * 4) * s);
  }
}

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

/** Keys per block: a block of K or V (16 KB at d = 64) stays in L1 while every query head of its group passes. */
const BLOCK: i32 = 64;

/**
 * Causal attention for M query rows (row stride ldq, heads of d floats, d a multiple of 4)
 * at positions pos0 + m, over a cache laid out [kvHeads][cap][d], for heads h0 ≤ h < h1;
 * query head h reads cache head h / (heads / kvHeads). The query heads of one cache head go
 * together, a block of keys at a time, so each cache row is read from memory once per group,
 * not once per head. `scores` holds (heads / kvHeads) · (pos0 + M) + heads / kvHeads floats.
 */
export function attention(q: usize, ldq: i32, keys: usize, values: usize, cap: i32, out: usize, ldo: i32, M: i32, pos0: i32, heads: i32, kvHeads: i32, d: i32, h0: i32, h1: i32, scores: usize): void {
  const group = heads / kvHeads;
  const scale: f32 = 1 / sqrt<f32>(<f32>d);
  const rowK = <usize>d * 4;
  for (let m = 0; m < M; m++) {
    const T = pos0 + m + 1;
    const peaks = scores + <usize>(group * T) * 4;
    for (let g = h0 / group; g * group < h1; g++) {
      const ha = max(h0, g * group), hb = min(h1, (g + 1) * group);
      const kh = keys + <usize>(g * cap * d) * 4, vh = values + <usize>(g * cap * d) * 4;
      for (let h = ha; h < hb; h++) store<f32>(peaks + <usize>(h - ha) * 4, -Infinity);
      for (let tb = 0; tb < T; tb += BLOCK) {
        const te = min(T, tb + BLOCK);
        for (let h = ha; h < hb; h++) {
          const qh = q + <usize>(m * ldq + h * d) * 4, sh = scores + <usize>((h - ha) * T) * 4;
          let peak = load<f32>(peaks + <usize>(h - ha) * 4);
          let t = tb;
          for (; t + 4 <= te; t += 4) {
            const k0 = kh + <usize>t * rowK, k1 = k0 + rowK, k2 = k1 + rowK, k3 = k2 + rowK;
            let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0;
            for (let i = 0; i < d; i += 4) {
              const x = v128.load(qh + <usize>i * 4), o = <usize>i * 4;
              a0 = f32x4.add(a0, f32x4.mul(x, v128.load(k0 + o))); a1 = f32x4.add(a1, f32x4.mul(x, v128.load(k1 + o)));
              a2 = f32x4.add(a2, f32x4.mul(x, v128.load(k2 + o))); a3 = f32x4.add(a3, f32x4.mul(x, v128.load(k3 + o)));
            }
            const s0 = fsum(a0) * scale, s1 = fsum(a1) * scale, s2 = fsum(a2) * scale, s3 = fsum(a3) * scale;
            const st = sh + <usize>t * 4;
            store<f32>(st, s0); store<f32>(st, s1, 4); store<f32>(st, s2, 8); store<f32>(st, s3, 12);
            peak = max(peak, max(max(s0, s1), max(s2, s3)));
          }
          for (; t < te; t++) {
            const kt = kh + <usize>t * rowK;
            let acc = f32x4.splat(0);
            for (let i = 0; i < d; i += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(qh + <usize>i * 4), v128.load(kt + <usize>i * 4)));
            const sc = fsum(acc) * scale;
            store<f32>(sh + <usize>t * 4, sc);
            peak = max(peak, sc);
          }
          store<f32>(peaks + <usize>(h - ha) * 4, peak);
        }
      }
      for (let h = ha; h < hb; h++) {
        const sh = scores + <usize>((h - ha) * T) * 4;
        const peak = load<f32>(peaks + <usize>(h - ha) * 4);
        let sum = f32x4.splat(0);
        const top = f32x4.splat(peak);
        let t = 0;
        for (; t + 4 <= T; t += 4) {
          const e = exp4(f32x4.sub(v128.load(sh + <usize>t * 4), top));
          v128.store(sh + <usize>t * 4, e);
          sum = f32x4.add(sum, e);
        }
        let total: f32 = fsum(sum);
        for (; t < T; t++) { const e = Mathf.exp(load<f32>(sh + <usize>t * 4) - peak); store<f32>(sh + <usize>t * 4, e); total += e; }
        store<f32>(peaks + <usize>(h - ha) * 4, 1 / total);
        const oh = out + <usize>(m * ldo + h * d) * 4;
        for (let i = 0; i < d; i += 4) v128.store(oh + <usize>i * 4, f32x4.splat(0));
      }
      for (let tb = 0; tb < T; tb += BLOCK) {
        const te = min(T, tb + BLOCK);
        for (let h = ha; h < hb; h++) {
          const sh = scores + <usize>((h - ha) * T) * 4, oh = out + <usize>(m * ldo + h * d) * 4;
          let i = 0;
          for (; i + 16 <= d; i += 16) {
            const o = oh + <usize>i * 4;
            let c0 = v128.load(o), c1 = v128.load(o, 16), c2 = v128.load(o, 32), c3 = v128.load(o, 48);
            let vt = vh + <usize>tb * rowK + <usize>i * 4;
            for (let t = tb; t < te; t++) {
              const p = f32x4.splat(load<f32>(sh + <usize>t * 4));
              c0 = f32x4.add(c0, f32x4.mul(p, v128.load(vt))); c1 = f32x4.add(c1, f32x4.mul(p, v128.load(vt, 16)));
              c2 = f32x4.add(c2, f32x4.mul(p, v128.load(vt, 32))); c3 = f32x4.add(c3, f32x4.mul(p, v128.load(vt, 48)));
              vt += rowK;
            }
            v128.store(o, c0); v128.store(o, c1, 16); v128.store(o, c2, 32); v128.store(o, c3, 48);
          }
          for (; i < d; i += 4) {
            let c = v128.load(oh + <usize>i * 4);
            for (let t = tb; t < te; t++) c = f32x4.add(c, f32x4.mul(f32x4.splat(load<f32>(sh + <usize>t * 4)), v128.load(vh + <usize>(t * d + i) * 4)));
            v128.store(oh + <usize>i * 4, c);
          }
        }
      }
      for (let h = ha; h < hb; h++) {
        const oh = out + <usize>(m * ldo + h * d) * 4, inv = f32x4.splat(load<f32>(peaks + <usize>(h - ha) * 4));
        for (let i = 0; i < d; i += 4) v128.store(oh + <usize>i * 4, f32x4.mul(v128.load(oh + <usize>i * 4), inv));
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

/**
 * Loading: `rows` rows of an int8 `[K, N]` weight, staged from row c0, into columns
 * c0 … c0 + rows of the kernel's `[N][Kp]` layout. Each output row gets its bytes in one run.
 */
export function scatterRows(stage: usize, rows: i32, N: i32, dst: usize, Kp: i32, c0: i32): void {
  for (let n = 0; n < N; n++) {
    const out = dst + <usize>n * <usize>Kp + <usize>c0;
    for (let r = 0; r < rows; r++) store<i8>(out + <usize>r, load<i8>(stage + <usize>r * <usize>N + <usize>n));
  }
}

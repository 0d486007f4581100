// The int8 matmuls of the decoder kernel and the loading step that lays their weights out.
import { hsum } from './simd';

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
        // Pointers step through the rows instead of indexing them: V8 recomputes every
        // base + k address in the loop otherwise, and that scalar work was a fifth of its time.
        let p0 = a + <usize>m * rowA, p1 = p0 + rowA, q0 = w0, q1 = w1, q2 = w2, q3 = w3;
        const end = p1;
        let c00 = i32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (; p0 < end; p0 += 16, p1 += 16, q0 += 8, q1 += 8, q2 += 8, q3 += 8) {
          const x0 = v128.load(p0), x1 = v128.load(p1);
          let v = v128.load8x8_s(q0);
          c00 = i32x4.add(c00, i32x4.dot_i16x8_s(v, x0)); c01 = i32x4.add(c01, i32x4.dot_i16x8_s(v, x1));
          v = v128.load8x8_s(q1);
          c10 = i32x4.add(c10, i32x4.dot_i16x8_s(v, x0)); c11 = i32x4.add(c11, i32x4.dot_i16x8_s(v, x1));
          v = v128.load8x8_s(q2);
          c20 = i32x4.add(c20, i32x4.dot_i16x8_s(v, x0)); c21 = i32x4.add(c21, i32x4.dot_i16x8_s(v, x1));
          v = v128.load8x8_s(q3);
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
    let p = a, q0 = w0, q1 = w1, q2 = w2, q3 = w3;
    const end = a + <usize>Kp * 2;
    for (; p < end; p += 32, q0 += 16, q1 += 16, q2 += 16, q3 += 16) {
      const a0 = v128.load(p), a1 = v128.load(p, 16);
      c0 = i32x4.add(c0, i32x4.add(i32x4.dot_i16x8_s(v128.load8x8_s(q0), a0), i32x4.dot_i16x8_s(v128.load8x8_s(q0, 8), a1)));
      c1 = i32x4.add(c1, i32x4.add(i32x4.dot_i16x8_s(v128.load8x8_s(q1), a0), i32x4.dot_i16x8_s(v128.load8x8_s(q1, 8), a1)));
      c2 = i32x4.add(c2, i32x4.add(i32x4.dot_i16x8_s(v128.load8x8_s(q2), a0), i32x4.dot_i16x8_s(v128.load8x8_s(q2, 8), a1)));
      c3 = i32x4.add(c3, i32x4.add(i32x4.dot_i16x8_s(v128.load8x8_s(q3), a0), i32x4.dot_i16x8_s(v128.load8x8_s(q3, 8), a1)));
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

/**
 * Loading: `rows` rows of an int8 `[K, N]` weight, staged from row c0, into columns
 * c0 … c0 + rows of the kernel's `[N][Kp]` layout. Sixteen rows go as 16 × 16 blocks
 * transposed in registers; fewer (the last rows of a K that is not a multiple of 16) byte by byte.
 */
export function scatterRows(stage: usize, rows: i32, N: i32, dst: usize, Kp: i32, c0: i32): void {
  const Nn = <usize>N, K = <usize>Kp;
  let n = 0;
  if (rows == 16) for (; n + 16 <= N; n += 16) transpose16(stage + <usize>n, Nn, dst + <usize>n * K + <usize>c0, K);
  for (; n < N; n++) {
    const out = dst + <usize>n * K + <usize>c0;
    for (let r = 0; r < rows; r++) store<i8>(out + <usize>r, load<i8>(stage + <usize>r * Nn + <usize>n));
  }
}

/** A 16 × 16 byte block from 16 rows of stride Nn at s into 16 rows of stride K at o: four rounds of interleaving shuffles. */
@inline function transpose16(s: usize, Nn: usize, o: usize, K: usize): void {
    const r0 = v128.load(s), r1 = v128.load(s + Nn), r2 = v128.load(s + 2 * Nn), r3 = v128.load(s + 3 * Nn);
    const r4 = v128.load(s + 4 * Nn), r5 = v128.load(s + 5 * Nn), r6 = v128.load(s + 6 * Nn), r7 = v128.load(s + 7 * Nn);
    const r8 = v128.load(s + 8 * Nn), r9 = v128.load(s + 9 * Nn), rA = v128.load(s + 10 * Nn), rB = v128.load(s + 11 * Nn);
    const rC = v128.load(s + 12 * Nn), rD = v128.load(s + 13 * Nn), rE = v128.load(s + 14 * Nn), rF = v128.load(s + 15 * Nn);
    // stage 1: bytes of row pairs
    const a0 = i8x16.shuffle(r0, r1, 0,16,1,17,2,18,3,19,4,20,5,21,6,22,7,23), a1 = i8x16.shuffle(r0, r1, 8,24,9,25,10,26,11,27,12,28,13,29,14,30,15,31);
    const a2 = i8x16.shuffle(r2, r3, 0,16,1,17,2,18,3,19,4,20,5,21,6,22,7,23), a3 = i8x16.shuffle(r2, r3, 8,24,9,25,10,26,11,27,12,28,13,29,14,30,15,31);
    const a4 = i8x16.shuffle(r4, r5, 0,16,1,17,2,18,3,19,4,20,5,21,6,22,7,23), a5 = i8x16.shuffle(r4, r5, 8,24,9,25,10,26,11,27,12,28,13,29,14,30,15,31);
    const a6 = i8x16.shuffle(r6, r7, 0,16,1,17,2,18,3,19,4,20,5,21,6,22,7,23), a7 = i8x16.shuffle(r6, r7, 8,24,9,25,10,26,11,27,12,28,13,29,14,30,15,31);
    const a8 = i8x16.shuffle(r8, r9, 0,16,1,17,2,18,3,19,4,20,5,21,6,22,7,23), a9 = i8x16.shuffle(r8, r9, 8,24,9,25,10,26,11,27,12,28,13,29,14,30,15,31);
    const aA = i8x16.shuffle(rA, rB, 0,16,1,17,2,18,3,19,4,20,5,21,6,22,7,23), aB = i8x16.shuffle(rA, rB, 8,24,9,25,10,26,11,27,12,28,13,29,14,30,15,31);
    const aC = i8x16.shuffle(rC, rD, 0,16,1,17,2,18,3,19,4,20,5,21,6,22,7,23), aD = i8x16.shuffle(rC, rD, 8,24,9,25,10,26,11,27,12,28,13,29,14,30,15,31);
    const aE = i8x16.shuffle(rE, rF, 0,16,1,17,2,18,3,19,4,20,5,21,6,22,7,23), aF = i8x16.shuffle(rE, rF, 8,24,9,25,10,26,11,27,12,28,13,29,14,30,15,31);
    // stage 2: 16-bit pairs (rows 0-1 with 2-3)
    const b0 = i8x16.shuffle(a0, a2, 0,1,16,17,2,3,18,19,4,5,20,21,6,7,22,23), b1 = i8x16.shuffle(a0, a2, 8,9,24,25,10,11,26,27,12,13,28,29,14,15,30,31);
    const b2 = i8x16.shuffle(a1, a3, 0,1,16,17,2,3,18,19,4,5,20,21,6,7,22,23), b3 = i8x16.shuffle(a1, a3, 8,9,24,25,10,11,26,27,12,13,28,29,14,15,30,31);
    const b4 = i8x16.shuffle(a4, a6, 0,1,16,17,2,3,18,19,4,5,20,21,6,7,22,23), b5 = i8x16.shuffle(a4, a6, 8,9,24,25,10,11,26,27,12,13,28,29,14,15,30,31);
    const b6 = i8x16.shuffle(a5, a7, 0,1,16,17,2,3,18,19,4,5,20,21,6,7,22,23), b7 = i8x16.shuffle(a5, a7, 8,9,24,25,10,11,26,27,12,13,28,29,14,15,30,31);
    const b8 = i8x16.shuffle(a8, aA, 0,1,16,17,2,3,18,19,4,5,20,21,6,7,22,23), b9 = i8x16.shuffle(a8, aA, 8,9,24,25,10,11,26,27,12,13,28,29,14,15,30,31);
    const bA = i8x16.shuffle(a9, aB, 0,1,16,17,2,3,18,19,4,5,20,21,6,7,22,23), bB = i8x16.shuffle(a9, aB, 8,9,24,25,10,11,26,27,12,13,28,29,14,15,30,31);
    const bC = i8x16.shuffle(aC, aE, 0,1,16,17,2,3,18,19,4,5,20,21,6,7,22,23), bD = i8x16.shuffle(aC, aE, 8,9,24,25,10,11,26,27,12,13,28,29,14,15,30,31);
    const bE = i8x16.shuffle(aD, aF, 0,1,16,17,2,3,18,19,4,5,20,21,6,7,22,23), bF = i8x16.shuffle(aD, aF, 8,9,24,25,10,11,26,27,12,13,28,29,14,15,30,31);
    // stage 3: 32-bit (rows 0-3 with 4-7)
    const c0_ = i8x16.shuffle(b0, b4, 0,1,2,3,16,17,18,19,4,5,6,7,20,21,22,23), c1 = i8x16.shuffle(b0, b4, 8,9,10,11,24,25,26,27,12,13,14,15,28,29,30,31);
    const c2 = i8x16.shuffle(b1, b5, 0,1,2,3,16,17,18,19,4,5,6,7,20,21,22,23), c3 = i8x16.shuffle(b1, b5, 8,9,10,11,24,25,26,27,12,13,14,15,28,29,30,31);
    const c4 = i8x16.shuffle(b2, b6, 0,1,2,3,16,17,18,19,4,5,6,7,20,21,22,23), c5 = i8x16.shuffle(b2, b6, 8,9,10,11,24,25,26,27,12,13,14,15,28,29,30,31);
    const c6 = i8x16.shuffle(b3, b7, 0,1,2,3,16,17,18,19,4,5,6,7,20,21,22,23), c7 = i8x16.shuffle(b3, b7, 8,9,10,11,24,25,26,27,12,13,14,15,28,29,30,31);
    const c8 = i8x16.shuffle(b8, bC, 0,1,2,3,16,17,18,19,4,5,6,7,20,21,22,23), c9 = i8x16.shuffle(b8, bC, 8,9,10,11,24,25,26,27,12,13,14,15,28,29,30,31);
    const cA = i8x16.shuffle(b9, bD, 0,1,2,3,16,17,18,19,4,5,6,7,20,21,22,23), cB = i8x16.shuffle(b9, bD, 8,9,10,11,24,25,26,27,12,13,14,15,28,29,30,31);
    const cC = i8x16.shuffle(bA, bE, 0,1,2,3,16,17,18,19,4,5,6,7,20,21,22,23), cD = i8x16.shuffle(bA, bE, 8,9,10,11,24,25,26,27,12,13,14,15,28,29,30,31);
    const cE = i8x16.shuffle(bB, bF, 0,1,2,3,16,17,18,19,4,5,6,7,20,21,22,23), cF = i8x16.shuffle(bB, bF, 8,9,10,11,24,25,26,27,12,13,14,15,28,29,30,31);
    // stage 4: 64-bit (rows 0-7 with 8-15)
    
    v128.store(o, i8x16.shuffle(c0_, c8, 0,1,2,3,4,5,6,7,16,17,18,19,20,21,22,23));
    v128.store(o + K, i8x16.shuffle(c0_, c8, 8,9,10,11,12,13,14,15,24,25,26,27,28,29,30,31));
    v128.store(o + 2 * K, i8x16.shuffle(c1, c9, 0,1,2,3,4,5,6,7,16,17,18,19,20,21,22,23));
    v128.store(o + 3 * K, i8x16.shuffle(c1, c9, 8,9,10,11,12,13,14,15,24,25,26,27,28,29,30,31));
    v128.store(o + 4 * K, i8x16.shuffle(c2, cA, 0,1,2,3,4,5,6,7,16,17,18,19,20,21,22,23));
    v128.store(o + 5 * K, i8x16.shuffle(c2, cA, 8,9,10,11,12,13,14,15,24,25,26,27,28,29,30,31));
    v128.store(o + 6 * K, i8x16.shuffle(c3, cB, 0,1,2,3,4,5,6,7,16,17,18,19,20,21,22,23));
    v128.store(o + 7 * K, i8x16.shuffle(c3, cB, 8,9,10,11,12,13,14,15,24,25,26,27,28,29,30,31));
    v128.store(o + 8 * K, i8x16.shuffle(c4, cC, 0,1,2,3,4,5,6,7,16,17,18,19,20,21,22,23));
    v128.store(o + 9 * K, i8x16.shuffle(c4, cC, 8,9,10,11,12,13,14,15,24,25,26,27,28,29,30,31));
    v128.store(o + 10 * K, i8x16.shuffle(c5, cD, 0,1,2,3,4,5,6,7,16,17,18,19,20,21,22,23));
    v128.store(o + 11 * K, i8x16.shuffle(c5, cD, 8,9,10,11,12,13,14,15,24,25,26,27,28,29,30,31));
    v128.store(o + 12 * K, i8x16.shuffle(c6, cE, 0,1,2,3,4,5,6,7,16,17,18,19,20,21,22,23));
    v128.store(o + 13 * K, i8x16.shuffle(c6, cE, 8,9,10,11,12,13,14,15,24,25,26,27,28,29,30,31));
    v128.store(o + 14 * K, i8x16.shuffle(c7, cF, 0,1,2,3,4,5,6,7,16,17,18,19,20,21,22,23));
    v128.store(o + 15 * K, i8x16.shuffle(c7, cF, 8,9,10,11,12,13,14,15,24,25,26,27,28,29,30,31));
}

// Causal attention over the KV cache, for the decoder kernel.
import { exp4, fsum } from './simd';

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

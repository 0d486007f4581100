// Causal attention over the KV cache, for the decoder kernel.
import { exp4, fsum } from './simd';

/** Keys per block: a block of K or V (16 KB at d = 64) stays in L1 while every query head of its group passes. */
const BLOCK: i32 = 64;

/** The four lane sums of a0..a3 as one vector, each added as fsum does: ((l0 + l1) + l2) + l3. */
@inline function sums4(a0: v128, a1: v128, a2: v128, a3: v128): v128 {
  const t0 = i8x16.shuffle(a0, a1, 0,1,2,3,16,17,18,19,4,5,6,7,20,21,22,23), t1 = i8x16.shuffle(a0, a1, 8,9,10,11,24,25,26,27,12,13,14,15,28,29,30,31);
  const t2 = i8x16.shuffle(a2, a3, 0,1,2,3,16,17,18,19,4,5,6,7,20,21,22,23), t3 = i8x16.shuffle(a2, a3, 8,9,10,11,24,25,26,27,12,13,14,15,28,29,30,31);
  const r0 = i8x16.shuffle(t0, t2, 0,1,2,3,4,5,6,7,16,17,18,19,20,21,22,23), r1 = i8x16.shuffle(t0, t2, 8,9,10,11,12,13,14,15,24,25,26,27,28,29,30,31);
  const r2 = i8x16.shuffle(t1, t3, 0,1,2,3,4,5,6,7,16,17,18,19,20,21,22,23), r3 = i8x16.shuffle(t1, t3, 8,9,10,11,12,13,14,15,24,25,26,27,28,29,30,31);
  return f32x4.add(f32x4.add(f32x4.add(r0, r1), r2), r3);
}

@inline function hmax(v: v128): f32 {
  return max(max(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), max(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
}

/** Scores of one head's query against keys tb..te (one key at a time past the last four). */
@inline function scores1(qh: usize, kh: usize, rowK: usize, d: i32, tb: i32, te: i32, sh: usize, scale: f32, peak: f32): f32 {
  const sc4 = f32x4.splat(scale);
  let p4 = f32x4.splat(peak);
  let t = tb;
  for (; t + 4 <= te; t += 4) {
    const k0 = kh + <usize>t * rowK, k1 = k0 + rowK, k2 = k1 + rowK, k3 = k2 + rowK;
    let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0;
    for (let i = 0; i < d; i += 4) {
      const x = v128.load(qh + <usize>i * 4), o = <usize>i * 4;
      a0 = f32x4.add(a0, f32x4.mul(x, v128.load(k0 + o))); a1 = f32x4.add(a1, f32x4.mul(x, v128.load(k1 + o)));
      a2 = f32x4.add(a2, f32x4.mul(x, v128.load(k2 + o))); a3 = f32x4.add(a3, f32x4.mul(x, v128.load(k3 + o)));
    }
    const s = f32x4.mul(sums4(a0, a1, a2, a3), sc4);
    v128.store(sh + <usize>t * 4, s);
    p4 = f32x4.max(p4, s);
  }
  let p = hmax(p4);
  for (; t < te; t++) p = max(p, score(qh, kh + <usize>t * rowK, d, sh + <usize>t * 4, scale));
  return p;
}

@inline function score(qh: usize, kt: usize, d: i32, at: usize, scale: f32): f32 {
  let acc = f32x4.splat(0);
  for (let i = 0; i < d; i += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(qh + <usize>i * 4), v128.load(kt + <usize>i * 4)));
  const s = fsum(acc) * scale;
  store<f32>(at, s);
  return s;
}

/** scores1 for two heads reading the same keys: each key row is loaded once for both. */
@inline function scores2(qa: usize, qb: usize, kh: usize, rowK: usize, d: i32, tb: i32, te: i32, sa: usize, sb: usize, scale: f32, peaks: usize): void {
  const sc4 = f32x4.splat(scale);
  let pa = f32x4.splat(load<f32>(peaks)), pb = f32x4.splat(load<f32>(peaks, 4));
  let t = tb;
  for (; t + 4 <= te; t += 4) {
    const k0 = kh + <usize>t * rowK, k1 = k0 + rowK, k2 = k1 + rowK, k3 = k2 + rowK;
    let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
    for (let i = 0; i < d; i += 4) {
      const o = <usize>i * 4, x = v128.load(qa + o), y = v128.load(qb + o);
      let k = v128.load(k0 + o); a0 = f32x4.add(a0, f32x4.mul(x, k)); b0 = f32x4.add(b0, f32x4.mul(y, k));
      k = v128.load(k1 + o); a1 = f32x4.add(a1, f32x4.mul(x, k)); b1 = f32x4.add(b1, f32x4.mul(y, k));
      k = v128.load(k2 + o); a2 = f32x4.add(a2, f32x4.mul(x, k)); b2 = f32x4.add(b2, f32x4.mul(y, k));
      k = v128.load(k3 + o); a3 = f32x4.add(a3, f32x4.mul(x, k)); b3 = f32x4.add(b3, f32x4.mul(y, k));
    }
    const s = f32x4.mul(sums4(a0, a1, a2, a3), sc4), u = f32x4.mul(sums4(b0, b1, b2, b3), sc4);
    v128.store(sa + <usize>t * 4, s); v128.store(sb + <usize>t * 4, u);
    pa = f32x4.max(pa, s); pb = f32x4.max(pb, u);
  }
  let p = hmax(pa), r = hmax(pb);
  for (; t < te; t++) {
    p = max(p, score(qa, kh + <usize>t * rowK, d, sa + <usize>t * 4, scale));
    r = max(r, score(qb, kh + <usize>t * rowK, d, sb + <usize>t * 4, scale));
  }
  store<f32>(peaks, p); store<f32>(peaks, r, 4);
}

/** out rows of two heads += Σ p · v over keys tb..te, 16 floats at a time, each value row loaded once for both. */
@inline function values2(sa: usize, sb: usize, vh: usize, rowK: usize, d: i32, tb: i32, te: i32, oa: usize, ob: usize): void {
  let i = 0;
  for (; i + 16 <= d; i += 16) {
    const o = <usize>i * 4;
    let c0 = v128.load(oa + o), c1 = v128.load(oa + o, 16), c2 = v128.load(oa + o, 32), c3 = v128.load(oa + o, 48);
    let e0 = v128.load(ob + o), e1 = v128.load(ob + o, 16), e2 = v128.load(ob + o, 32), e3 = v128.load(ob + o, 48);
    let vt = vh + <usize>tb * rowK + o;
    for (let t = tb; t < te; t++) {
      const p = v128.load32_splat(sa + <usize>t * 4), r = v128.load32_splat(sb + <usize>t * 4);
      let v = v128.load(vt); c0 = f32x4.add(c0, f32x4.mul(p, v)); e0 = f32x4.add(e0, f32x4.mul(r, v));
      v = v128.load(vt, 16); c1 = f32x4.add(c1, f32x4.mul(p, v)); e1 = f32x4.add(e1, f32x4.mul(r, v));
      v = v128.load(vt, 32); c2 = f32x4.add(c2, f32x4.mul(p, v)); e2 = f32x4.add(e2, f32x4.mul(r, v));
      v = v128.load(vt, 48); c3 = f32x4.add(c3, f32x4.mul(p, v)); e3 = f32x4.add(e3, f32x4.mul(r, v));
      vt += rowK;
    }
    v128.store(oa + o, c0); v128.store(oa + o, c1, 16); v128.store(oa + o, c2, 32); v128.store(oa + o, c3, 48);
    v128.store(ob + o, e0); v128.store(ob + o, e1, 16); v128.store(ob + o, e2, 32); v128.store(ob + o, e3, 48);
  }
  if (i < d) { values1(sa, vh + <usize>i * 4, rowK, d - i, tb, te, oa + <usize>i * 4); values1(sb, vh + <usize>i * 4, rowK, d - i, tb, te, ob + <usize>i * 4); }
}

@inline function values1(sh: usize, vh: usize, rowK: usize, d: i32, tb: i32, te: i32, oh: usize): void {
  let i = 0;
  for (; i + 16 <= d; i += 16) {
    const o = oh + <usize>i * 4;
    let c0 = v128.load(o), c1 = v128.load(o, 16), c2 = v128.load(o, 32), c3 = v128.load(o, 48);
    let vt = vh + <usize>tb * rowK + <usize>i * 4;
    for (let t = tb; t < te; t++) {
      const p = v128.load32_splat(sh + <usize>t * 4);
      c0 = f32x4.add(c0, f32x4.mul(p, v128.load(vt))); c1 = f32x4.add(c1, f32x4.mul(p, v128.load(vt, 16)));
      c2 = f32x4.add(c2, f32x4.mul(p, v128.load(vt, 32))); c3 = f32x4.add(c3, f32x4.mul(p, v128.load(vt, 48)));
      vt += rowK;
    }
    v128.store(o, c0); v128.store(o, c1, 16); v128.store(o, c2, 32); v128.store(o, c3, 48);
  }
  for (; i < d; i += 4) {
    let c = v128.load(oh + <usize>i * 4);
    for (let t = tb; t < te; t++) c = f32x4.add(c, f32x4.mul(f32x4.splat(load<f32>(sh + <usize>t * 4)), v128.load(vh + <usize>t * rowK + <usize>i * 4)));
    v128.store(oh + <usize>i * 4, c);
  }
}

/**
 * Causal attention for M query rows (row stride ldq, heads of d floats, d a multiple of 4)
 * at positions pos0 + m, over a cache laid out [kvHeads][cap][d], for heads h0 ≤ h < h1;
 * query head h reads cache head h / (heads / kvHeads). The query heads of one cache head go
 * together, two at a time, a block of keys at a time, so each cache row is loaded once per
 * pair of heads and read from memory once per group. Every score and output is summed in
 * the same order whatever the pairing, the block or the rows of the run: a prompt gives the
 * same numbers whole, in chunks, on any thread count. `scores` holds
 * (heads / kvHeads) · (pos0 + M) + heads / kvHeads floats.
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
      const qm = q + <usize>(m * ldq) * 4;
      for (let h = ha; h < hb; h++) store<f32>(peaks + <usize>(h - ha) * 4, -Infinity);
      for (let tb = 0; tb < T; tb += BLOCK) {
        const te = min(T, tb + BLOCK);
        let h = ha;
        for (; h + 2 <= hb; h += 2) scores2(qm + <usize>(h * d) * 4, qm + <usize>((h + 1) * d) * 4, kh, rowK, d, tb, te, scores + <usize>((h - ha) * T) * 4, scores + <usize>((h + 1 - ha) * T) * 4, scale, peaks + <usize>(h - ha) * 4);
        if (h < hb) {
          const at = peaks + <usize>(h - ha) * 4;
          store<f32>(at, scores1(qm + <usize>(h * d) * 4, kh, rowK, d, tb, te, scores + <usize>((h - ha) * T) * 4, scale, load<f32>(at)));
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
        let h = ha;
        for (; h + 2 <= hb; h += 2) values2(scores + <usize>((h - ha) * T) * 4, scores + <usize>((h + 1 - ha) * T) * 4, vh, rowK, d, tb, te, out + <usize>(m * ldo + h * d) * 4, out + <usize>(m * ldo + (h + 1) * d) * 4);
        if (h < hb) values1(scores + <usize>((h - ha) * T) * 4, vh, rowK, d, tb, te, out + <usize>(m * ldo + h * d) * 4);
      }
      for (let h = ha; h < hb; h++) {
        const oh = out + <usize>(m * ldo + h * d) * 4, inv = f32x4.splat(load<f32>(peaks + <usize>(h - ha) * 4));
        for (let i = 0; i < d; i += 4) v128.store(oh + <usize>i * 4, f32x4.mul(v128.load(oh + <usize>i * 4), inv));
      }
    }
  }
}

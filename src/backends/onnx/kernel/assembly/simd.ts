// Small SIMD helpers the kernel's files share.

@inline export function hsum(c: v128): i32 {
  return i32x4.extract_lane(c, 0) + i32x4.extract_lane(c, 1) + i32x4.extract_lane(c, 2) + i32x4.extract_lane(c, 3);
}

/**
 * e^x for four lanes: 2^n · p(r) with x = n·ln2 + r, |r| ≤ ln2/2, p a degree-6 polynomial
 * (relative error < 2e-7, float32's own). x is clamped to [-87, 88], where float32's exp
 * is about to underflow or overflow: softmax and SiLU only need those ends to be tiny or huge.
 */
@inline export function exp4(x: v128): v128 {
  // pmin/pmax are the plain SSE min/max (f32x4.min/max emulate IEEE's NaN and signed-zero rules in
  // several instructions); for the clamp's non-zero bounds they give the same numbers, NaN included.
  x = f32x4.pmin(f32x4.pmax(x, f32x4.splat(-87)), f32x4.splat(88));
  // n = round-to-nearest-even(x · log2 e) by adding 1.5 · 2^23: the same n f32x4.nearest gives, and its
  // integer is already in the low mantissa bits, so 2^n needs no float-to-int conversion.
  const magic = f32x4.splat(12582912);
  const y = f32x4.add(f32x4.mul(x, f32x4.splat(1.4426950408889634)), magic);
  const n = f32x4.sub(y, magic);
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693145751953125))), f32x4.mul(n, f32x4.splat(1.428606765330187e-6)));
  let p = f32x4.splat(1.0 / 720);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 120));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 24));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 6));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(0.5));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1));
  const pow2 = i32x4.shl(i32x4.sub(y, i32x4.splat(0x4b400000 - 127)), 23);
  return f32x4.mul(p, pow2);
}

@inline export function fsum(c: v128): f32 {
  return f32x4.extract_lane(c, 0) + f32x4.extract_lane(c, 1) + f32x4.extract_lane(c, 2) + f32x4.extract_lane(c, 3);
}

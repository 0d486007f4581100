/**
 * Vectors as stored: normalised at write (so cosine is a dot product), then kept as
 * Float32 bytes or as Int8 with one scale per vector (`q = round(x / scale)`,
 * `scale = max|x| / 127`, so each component is off by at most `scale / 2`).
 */
import type { VectorType } from '../types.js';

/** `src[offset .. offset+dims)` scaled to unit length into `out` (a zero vector stays zero). */
export function normaliseInto(src: Float32Array, offset: number, dims: number, out: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < dims; i++) {
    const x = src[offset + i]!;
    sum += x * x;
  }
  const inv = sum > 0 ? 1 / Math.sqrt(sum) : 0;
  for (let i = 0; i < dims; i++) out[i] = src[offset + i]! * inv;
  return out;
}

export interface Encoded {
  vector: ArrayBuffer;
  scale: number;
}

/** One vector of `src` (row `row`), normalised and encoded as `type`. */
export function encodeVector(src: Float32Array, row: number, dims: number, type: VectorType): Encoded {
  const unit = new Float32Array(dims);
  normaliseInto(src, row * dims, dims, unit);
  if (type === 'float32') return { vector: unit.buffer, scale: 1 };
  return quantise(unit);
}

export function quantise(unit: Float32Array): Encoded {
  let max = 0;
  for (let i = 0; i < unit.length; i++) max = Math.max(max, Math.abs(unit[i]!));
  const scale = max / 127;
  const q = new Int8Array(unit.length);
  if (scale > 0) for (let i = 0; i < unit.length; i++) q[i] = Math.round(unit[i]! / scale);
  return { vector: q.buffer, scale };
}

/** The float components an encoded vector stands for. */
export function decodeVector(e: Encoded, type: VectorType): Float32Array {
  if (type === 'float32') return new Float32Array(e.vector.slice(0));
  const q = new Int8Array(e.vector);
  const out = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) out[i] = q[i]! * e.scale;
  return out;
}

/** True when every component of `v` is a finite number. */
export function allFinite(v: Float32Array): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i]!)) return false;
  return true;
}

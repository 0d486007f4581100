/**
 * Token vectors → one vector per text, pure. Every function copies into a fresh
 * `Float32Array`, so the ORT output it read from can be disposed right after.
 */

/**
 * Attention-masked mean of row `row` of `hidden` (`[rows, seq, dim]`): padding never counts.
 * A row with no real token gives a zero vector rather than NaN.
 */
export function meanPool(hidden: Float32Array, mask: Uint8Array, row: number, seq: number, dim: number): Float32Array {
  const out = new Float32Array(dim);
  // Summed in float64: long texts of fp32 values lose digits when summed in fp32.
  const sum = new Float64Array(dim);
  let count = 0;
  for (let t = 0; t < seq; t++) {
    if (mask[row * seq + t] === 0) continue;
    count++;
    const base = (row * seq + t) * dim;
    for (let d = 0; d < dim; d++) sum[d]! += hidden[base + d]!;
  }
  if (count === 0) return out;
  for (let d = 0; d < dim; d++) out[d] = sum[d]! / count;
  return out;
}

/** The first token's vector (`[CLS]`, `<s>`) of row `row` of `hidden` (`[rows, seq, dim]`). */
export function clsPool(hidden: Float32Array, row: number, seq: number, dim: number): Float32Array {
  const base = row * seq * dim;
  return hidden.slice(base, base + dim);
}

/** Row `row` of a `[rows, dim]` output such as `sentence_embedding`. */
export function rowOf(pooled: Float32Array, row: number, dim: number): Float32Array {
  return pooled.slice(row * dim, (row + 1) * dim);
}

/** Scales `v` to unit length in place; a zero (or non-finite) norm leaves it as it is, never NaN. */
export function l2Normalize(v: Float32Array): Float32Array {
  let sq = 0;
  for (let i = 0; i < v.length; i++) sq += v[i]! * v[i]!;
  const norm = Math.sqrt(sq);
  if (norm === 0 || !Number.isFinite(norm)) return v;
  for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return v;
}

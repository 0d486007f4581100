/**
 * The exact scoring loops over packed vectors (rows of `dims` components, normalised at
 * write, so a dot product with a unit query is the cosine). Four accumulators let V8 keep
 * the loop in registers without a serial dependency on one sum; nothing is allocated.
 * `mask[row] === 0` skips a row (metadata filter) and leaves `out[row]` untouched.
 * Measured in Node 20 on a 2-core machine shared with other builds (load 4 to 7): 50,000
 * rows of 384 float32 in 26 ms a search, 100,000 in 46 to 85 ms. Int8 is not faster in
 * V8 (each multiply converts a byte); what it saves is three quarters of the memory.
 */
export function scoreFloat32(packed: Float32Array, rows: number, dims: number, query: Float32Array, mask: Uint8Array | undefined, out: Float32Array): void {
  const tail = dims & ~3;
  for (let r = 0; r < rows; r++) {
    if (mask && mask[r] === 0) continue;
    const base = r * dims;
    let a = 0;
    let b = 0;
    let c = 0;
    let d = 0;
    let i = 0;
    for (; i < tail; i += 4) {
      a += packed[base + i]! * query[i]!;
      b += packed[base + i + 1]! * query[i + 1]!;
      c += packed[base + i + 2]! * query[i + 2]!;
      d += packed[base + i + 3]! * query[i + 3]!;
    }
    for (; i < dims; i++) a += packed[base + i]! * query[i]!;
    out[r] = a + b + c + d;
  }
}

/**
 * The same over Int8 rows: the dot product in floats, times the row's scale. A second copy
 * of the loop on purpose: one function per array type keeps each call site monomorphic.
 */
export function scoreInt8(packed: Int8Array, scales: Float32Array, rows: number, dims: number, query: Float32Array, mask: Uint8Array | undefined, out: Float32Array): void {
  const tail = dims & ~3;
  for (let r = 0; r < rows; r++) {
    if (mask && mask[r] === 0) continue;
    const base = r * dims;
    let a = 0;
    let b = 0;
    let c = 0;
    let d = 0;
    let i = 0;
    for (; i < tail; i += 4) {
      a += packed[base + i]! * query[i]!;
      b += packed[base + i + 1]! * query[i + 1]!;
      c += packed[base + i + 2]! * query[i + 2]!;
      d += packed[base + i + 3]! * query[i + 3]!;
    }
    for (; i < dims; i++) a += packed[base + i]! * query[i]!;
    out[r] = (a + b + c + d) * scales[r]!;
  }
}

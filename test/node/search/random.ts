/** Seeded random vectors for the search tests: the same numbers on every run. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    // mulberry32
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `rows × dims` components in [-1, 1). */
export function randomVectors(rows: number, dims: number, seed: number): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(rows * dims);
  for (let i = 0; i < out.length; i++) out[i] = r() * 2 - 1;
  return out;
}

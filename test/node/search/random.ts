import { createRng } from '../../../src/backends/onnx/sampling.js';
/** Seeded random vectors for the search tests: the same numbers on every run (the engine's own mulberry32). */
export const rng = createRng;

/** `rows × dims` components in [-1, 1). */
export function randomVectors(rows: number, dims: number, seed: number): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(rows * dims);
  for (let i = 0; i < out.length; i++) out[i] = r() * 2 - 1;
  return out;
}

/**
 * The search bench's synthetic side: an app's own embedding backend (`engine: 'custom'`,
 * docs/backend-contract.md) that turns any text into a deterministic pseudo-random unit
 * vector of 100 dimensions in microseconds, so 10⁵ chunks go through the public API
 * (createIndex → add → search) without a model's embedding cost; and document texts over a
 * synthetic vocabulary, so the lexical half of `hybrid` has realistic posting lists.
 */
import type { BackendV3 } from '/dist/edgewise.js';

export const DIMS = 100;
const VOCAB = 5_000;

/** FNV-1a over the UTF-16 code units. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The unit vector `text` stands for: the same in the backend, the bench's exact search and the peer. */
export function vectorOf(text: string): Float32Array {
  let a = hash(text);
  const v = new Float32Array(DIMS);
  let norm = 0;
  for (let d = 0; d < DIMS; d++) {
    // mulberry32
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const x = ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
    v[d] = x;
    norm += x * x;
  }
  const s = 1 / Math.sqrt(norm);
  for (let d = 0; d < DIMS; d++) v[d] = (v[d] as number) * s;
  return v;
}

/** Eight words of the synthetic vocabulary, skewed towards the first words (a few common, most rare), as text is. */
export function textOf(i: number, words = 8): string {
  const out: string[] = [];
  let s = hash(`doc${i}`);
  for (let w = 0; w < words; w++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const u = s / 4294967296;
    out.push(`w${Math.floor(VOCAB * u * u).toString(36)}`);
  }
  return out.join(' ');
}

/** The backend: embed-only, local, one vector per text. */
export function randomBackend(): BackendV3 {
  return {
    specificationVersion: 'v3',
    kind: 'bench-random-100d',
    location: 'local',
    capabilities: { sampling: [], responseFormats: [], tools: false },
    state: { ranOn: 'custom', loaded: true },
    supports: () => ({ ok: true }),
    load: async () => ({ ranOn: 'custom', dims: DIMS }),
    embed: async (request) => ({ vectors: request.texts.map(vectorOf), truncated: [], promptTokens: 0, ranOn: 'custom' }),
    unload: async () => {},
  };
}

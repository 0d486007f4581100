/**
 * Picks the next token from a row of logits. Pure and allocation-light: it runs once
 * per generated token on a vocab-sized array.
 */

export interface SamplerOptions {
  temperature: number;
  topK: number;
  topP: number;
  repetitionPenalty: number;
  seed: number;
}

/** mulberry32: tiny, fast, and the same sequence on every platform for a seed. */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function argmax(logits: ArrayLike<number>): number {
  let best = 0;
  let bestValue = -Infinity;
  for (let i = 0; i < logits.length; i++) {
    const v = logits[i] as number;
    if (v > bestValue) { bestValue = v; best = i; }
  }
  return best;
}

/** CTRL-style penalty (as in HF transformers): divide positive logits, multiply negative ones. */
export function applyRepetitionPenalty(logits: Float32Array, seen: Iterable<number>, penalty: number): void {
  if (penalty === 1) return;
  for (const id of seen) {
    const v = logits[id];
    if (v === undefined) continue;
    logits[id] = v > 0 ? v / penalty : v * penalty;
  }
}

export class Sampler {
  private readonly rng: () => number;
  constructor(private readonly o: SamplerOptions) {
    this.rng = createRng(o.seed);
  }

  /** `logits` may be modified in place. `seen` are the ids so far (prompt + output). */
  next(logits: Float32Array, seen: Iterable<number>): number {
    applyRepetitionPenalty(logits, seen, this.o.repetitionPenalty);
    if (this.o.temperature === 0) return argmax(logits);
    return this.sample(logits);
  }

  private sample(logits: Float32Array): number {
    const t = this.o.temperature;
    // Candidates sorted by logit; vocabularies are ≤ ~250k, so a full sort per token
    // is cheaper than it sounds next to a forward pass, and keeps top-k/top-p exact.
    let ids = Array.from(logits.keys()).sort((a, b) => (logits[b] as number) - (logits[a] as number));
    if (this.o.topK > 0 && this.o.topK < ids.length) ids = ids.slice(0, this.o.topK);
    const max = logits[ids[0] as number] as number;
    const probs = ids.map((id) => Math.exp(((logits[id] as number) - max) / t));
    const sum = probs.reduce((a, b) => a + b, 0);
    let keep = ids.length;
    if (this.o.topP < 1) {
      let acc = 0;
      for (let i = 0; i < ids.length; i++) {
        acc += (probs[i] as number) / sum;
        if (acc >= this.o.topP) { keep = i + 1; break; }
      }
    }
    const kept = probs.slice(0, keep);
    const keptSum = kept.reduce((a, b) => a + b, 0);
    let r = this.rng() * keptSum;
    for (let i = 0; i < keep; i++) {
      r -= kept[i] as number;
      if (r <= 0) return ids[i] as number;
    }
    return ids[keep - 1] as number;
  }
}

// The weight transform's quality guard: teacher-force the same text through a reference
// model and a candidate, and compare next-token predictions position by position.
// Runs wherever onnxruntime-web runs (Node for the test, Chromium for the benchmark): the
// caller hands in a function that returns every position's logits for a window of ids.

/** Logits `[T, V]` (row-major) for the ids `[T]`, from one forward pass without a cache. */
export type LogitsFn = (ids: readonly number[]) => Promise<Float32Array>;

export interface GuardFigures {
  positions: number;
  /** Fraction of positions where both models' argmax agree. */
  top1Agreement: number;
  referencePerplexity: number;
  candidatePerplexity: number;
  /** candidate / reference − 1. */
  perplexityChange: number;
}

/**
 * Splits BOS-separated stories into windows of at most `context` ids; stories260K ends a
 * story by emitting BOS, so this is the text as the model saw it in training.
 */
export function windows(stories: readonly number[][], bos: number, context: number, positions: number): number[][] {
  const stream = stories.flatMap((s) => [bos, ...s]);
  const out: number[][] = [];
  let scored = 0;
  for (let at = 0; at < stream.length - 1 && scored < positions; at += context - 1) {
    const w = stream.slice(at, Math.min(stream.length, at + context, at + positions - scored + 1));
    out.push(w);
    scored += w.length - 1;
  }
  if (scored < positions) throw new Error(`the text gives ${scored} positions; the guard needs ${positions}`);
  return out;
}

export async function qualityGuard(reference: LogitsFn, candidate: LogitsFn, wins: readonly number[][], vocab: number): Promise<GuardFigures> {
  let agree = 0;
  let positions = 0;
  let nllRef = 0;
  let nllCand = 0;
  for (const w of wins) {
    const [a, b] = [await reference(w), await candidate(w)];
    for (let t = 0; t < w.length - 1; t++) {
      const ra = a.subarray(t * vocab, (t + 1) * vocab);
      const rb = b.subarray(t * vocab, (t + 1) * vocab);
      if (argmax(ra) === argmax(rb)) agree++;
      const next = w[t + 1] as number;
      nllRef += nll(ra, next);
      nllCand += nll(rb, next);
      positions++;
    }
  }
  const referencePerplexity = Math.exp(nllRef / positions);
  const candidatePerplexity = Math.exp(nllCand / positions);
  return { positions, top1Agreement: agree / positions, referencePerplexity, candidatePerplexity, perplexityChange: candidatePerplexity / referencePerplexity - 1 };
}

function argmax(v: Float32Array): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if ((v[i] as number) > (v[best] as number)) best = i;
  return best;
}

/** −log softmax(v)[target], computed stably. */
function nll(v: Float32Array, target: number): number {
  let max = -Infinity;
  for (const x of v) if (x > max) max = x;
  let sum = 0;
  for (const x of v) sum += Math.exp(x - max);
  return Math.log(sum) + max - (v[target] as number);
}

interface OrtLike {
  Tensor: new (type: string, data: unknown, dims: readonly number[]) => unknown;
}
interface SessionLike {
  run(feeds: Record<string, unknown>): Promise<Record<string, unknown>>;
}
export interface KvLayout {
  layers: number;
  kvHeads: number;
  headDim: number;
}

/**
 * A LogitsFn over an onnxruntime-web session with the Optimum KV-cache layout.
 * `window`: the whole window in one pass, as a prompt is prefilled. `step`: one token at
 * a time through the KV cache, as generation decodes (the int8 form quantizes each run's
 * activations as one tensor, so the two differ).
 */
export function sessionLogits(ort: OrtLike, session: SessionLike, layout: KvLayout, mode: 'window' | 'step' = 'window'): LogitsFn {
  const run = async (ids: readonly number[], start: number, past: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const n = ids.length;
    const total = start + n;
    return session.run({
      ...past,
      input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, n]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(total).fill(1n), [1, total]),
      position_ids: new ort.Tensor('int64', BigInt64Array.from({ length: n }, (_, i) => BigInt(start + i)), [1, n]),
    });
  };
  const emptyPast = (): Record<string, unknown> => {
    const past: Record<string, unknown> = {};
    for (let i = 0; i < layout.layers; i++) {
      for (const kv of ['key', 'value']) past[`past_key_values.${i}.${kv}`] = new ort.Tensor('float32', new Float32Array(0), [1, layout.kvHeads, 0, layout.headDim]);
    }
    return past;
  };
  return async (ids) => {
    if (mode === 'window') return ((await run(ids, 0, emptyPast()))['logits'] as { data: Float32Array }).data;
    let past = emptyPast();
    let all: Float32Array | undefined;
    for (let t = 0; t < ids.length; t++) {
      const out = await run([ids[t] as number], t, past);
      const logits = (out['logits'] as { data: Float32Array }).data;
      all ??= new Float32Array(ids.length * logits.length);
      all.set(logits, t * logits.length);
      past = {};
      for (let i = 0; i < layout.layers; i++) for (const kv of ['key', 'value']) past[`past_key_values.${i}.${kv}`] = out[`present.${i}.${kv}`];
    }
    return all ?? new Float32Array(0);
  };
}

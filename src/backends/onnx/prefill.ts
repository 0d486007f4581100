/**
 * Prompt prefill in chunks. A long prompt run in one `session.run` makes the WASM kernels
 * work on one huge activation (and attention over all of it at once); run in chunks, each
 * chunk attends to the cache the chunks before it left, exactly as a decode step does, and
 * only the last chunk's logits are read. Between chunks queued messages (an abort) run.
 */
import type { RanOn, WeightForm } from '../../types.js';
import type { StepDecoder } from './decoder.js';

/**
 * Prompt tokens per run on WASM, measured on this project's 2-core machine (SmolLM2-135M
 * shape, 2 threads, 64 to 512 and one run; docs/speed.md, "Prefill"): see `chunksOf` for how a
 * prompt is cut.
 */
export const WASM_PREFILL_CHUNK = 256;

/**
 * Prompt tokens per run on the decoder kernel: a run of 128 costs no more per token than a
 * longer one (the weights pass once per run, at ~25 G multiply-adds per second a thread), its numbers are the same however
 * the prompt is cut (a scale per activation row), and an abort waits for one run only
 * (about 0.5 s at SmolLM2-135M's shape on one thread, 0.3 s on two).
 */
export const KERNEL_PREFILL_CHUNK = 128;

/**
 * Where a prompt is cut: runs of `chunk` tokens, the remainder first, so the last run (the
 * one whose logits matter) is a full one and no run is a sliver. A prompt of up to one
 * chunk and a half runs whole: one more run costs more than it saves there.
 */
export function chunksOf(length: number, chunk: number): number[] {
  if (!(chunk >= 1) || length <= chunk * 1.5) return [length];
  const sizes: number[] = [];
  const rest = length % chunk;
  if (rest > 0) sizes.push(rest);
  for (let done = rest; done < length; done += chunk) sizes.push(chunk);
  return sizes;
}

/**
 * The chunk size for where and in which form the model runs (see docs/speed.md, "Prefill"). WebGPU
 * prefills in one run. So does the int8 form: it quantizes a run's activations with one
 * scale over all the run's positions, so cutting the prompt changes its numbers, and the
 * greedy text drifts from the one-run text (stories260K parts after 3 tokens). The 15%
 * sooner first token it would give at 1,024 tokens is not worth an answer that depends on
 * the chunk size; per-row activation scales in the transform would make it exact. The
 * decoder kernel, which runs the int8 form with a scale per row, does chunk.
 */
export function prefillChunkFor(ranOn: RanOn, weights: WeightForm | undefined, kernel = false): number {
  if (kernel) return KERNEL_PREFILL_CHUNK;
  return ranOn === 'wasm' && weights !== 'int8' ? WASM_PREFILL_CHUNK : Infinity;
}

export interface PrefillOptions {
  chunk: number;
  signal: AbortSignal | undefined;
  yieldToEventLoop: () => Promise<void>;
}

/**
 * Runs `ids` after the decoder's cached context, chunk by chunk.
 * @returns the last position's logits, or undefined when the signal aborted between chunks.
 */
export async function prefill(decoder: StepDecoder, ids: readonly number[], o: PrefillOptions): Promise<Float32Array | undefined> {
  let logits: Float32Array | undefined;
  let at = 0;
  for (const size of chunksOf(ids.length, o.chunk)) {
    await o.yieldToEventLoop();
    if (o.signal?.aborted) return undefined;
    logits = await decoder.step(ids.slice(at, at + size));
    at += size;
  }
  return logits;
}

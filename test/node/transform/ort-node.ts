// onnxruntime-web's WASM build runs in Node too (single-threaded: its thread pool needs
// browser workers), so the transform's outputs are checked against the real runtime here,
// in seconds, instead of only in Chromium.
import * as ort from 'onnxruntime-web/wasm';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateFixtures, DEFAULT_OUT_DIR } from '../../fixtures/generate.js';

ort.env.wasm.numThreads = 1;
export { ort };

export const STORIES_DIR = join(process.cwd(), '..', 'shared', 'models', 'stories260K-onnx');
export const HAS_STORIES = existsSync(join(STORIES_DIR, 'onnx', 'model_q4.onnx'));
export const STORIES_SKIP = 'stories260K is not beside the project (../shared/models/stories260K-onnx): skipped';

/** The generated tiny-llama folders (made once; the generator skips folders already current). */
export function tinyLlama(name: 'tiny-llama' | 'tiny-llama-extdata' = 'tiny-llama'): string {
  generateFixtures({ log: () => undefined });
  return join(DEFAULT_OUT_DIR, name);
}

export const read = (path: string): Uint8Array => new Uint8Array(readFileSync(path));

export interface Layout {
  layers: number;
  kvHeads: number;
  headDim: number;
  vocab: number;
}

export function layoutOf(dir: string): Layout {
  const c = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, number>;
  const heads = c['num_attention_heads'] as number;
  return { layers: c['num_hidden_layers'] as number, kvHeads: c['num_key_value_heads'] ?? heads, headDim: c['head_dim'] ?? (c['hidden_size'] as number) / heads, vocab: c['vocab_size'] as number };
}

export function open(graph: Uint8Array, data?: { name: string; bytes: Uint8Array }[]): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(graph, data ? { externalData: data.map((d) => ({ path: d.name, data: d.bytes })) } : {});
}

/** An empty KV cache for every layer. */
export function emptyPast(l: Layout): Record<string, ort.Tensor> {
  const past: Record<string, ort.Tensor> = {};
  for (let i = 0; i < l.layers; i++) for (const kv of ['key', 'value']) past[`past_key_values.${i}.${kv}`] = new ort.Tensor('float32', new Float32Array(0), [1, l.kvHeads, 0, l.headDim]);
  return past;
}

/**
 * Runs `ids` after `length` cached positions, as the SDK's decoder feeds them, and moves the
 * outputs' cache into `past`. @returns the logits of the last position.
 */
export async function step(session: ort.InferenceSession, l: Layout, past: Record<string, ort.Tensor>, ids: readonly number[], length: number): Promise<Float32Array> {
  const total = length + ids.length;
  const o = await session.run({
    ...past,
    input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(total).fill(1n), [1, total]),
    position_ids: new ort.Tensor('int64', BigInt64Array.from(ids, (_, i) => BigInt(length + i)), [1, ids.length]),
  });
  for (let i = 0; i < l.layers; i++) for (const kv of ['key', 'value']) past[`past_key_values.${i}.${kv}`] = o[`present.${i}.${kv}`] as ort.Tensor;
  const logits = (o['logits'] as ort.Tensor).data as Float32Array;
  return logits.subarray(logits.length - l.vocab);
}

/** Greedy ids after `prompt`, through the KV cache, as the SDK's decoder feeds it. */
export async function greedy(session: ort.InferenceSession, l: Layout, prompt: readonly number[], steps: number): Promise<number[]> {
  const past = emptyPast(l);
  let ids = [...prompt];
  let length = 0;
  const out: number[] = [];
  for (let s = 0; s < steps; s++) {
    const last = await step(session, l, past, ids, length);
    length += ids.length;
    let best = 0;
    for (let j = 1; j < last.length; j++) if ((last[j] as number) > (last[best] as number)) best = j;
    out.push(best);
    ids = [best];
  }
  return out;
}

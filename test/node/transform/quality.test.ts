// The quality guard on stories260K (a real trained model): the int8 form against the fp32
// form of the same file, over 2,000 teacher-forced positions of stories written for this
// project. `step` feeds one token at a time through the KV cache, as generation decodes;
// `window` runs 500-token windows in one pass, as a prompt is prefilled, where the int8
// form quantizes all positions' activations with one scale. The decoder kernel, which runs
// the int8 form in the SDK by default, is held to the same guards on the same positions
// (its activation scale is per row: a window and token-by-token decoding are the same to it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { describe, expect, it } from 'vitest';
import { transformModel } from '../../../src/backends/onnx/transform/index.js';
import { qualityGuard, sessionLogits, windows, type KvLayout, type LogitsFn } from '../../quality/guard.js';
import { loadKernelWeights } from '../../../src/backends/onnx/kernel/load.js';
import { KernelDecoder } from '../../../src/backends/onnx/kernel/decoder.js';
import { bytesRange } from '../../../src/backends/onnx/weight-files.js';
import { STORIES } from '../../quality/stories-text.js';
import { HAS_STORIES, open, ort, read, STORIES_DIR, STORIES_SKIP } from './ort-node.js';

const LAYOUT: KvLayout = { layers: 5, kvHeads: 4, headDim: 8 };
const VOCAB = 512;

/** A reference scored against several candidates is computed once per window. */
function memo(fn: LogitsFn): LogitsFn {
  const seen = new Map<string, Promise<Float32Array>>();
  return (ids) => {
    const key = ids.join(',');
    if (!seen.has(key)) seen.set(key, fn(ids));
    return seen.get(key) as Promise<Float32Array>;
  };
}

/** Every position's logits from the decoder kernel on the int8 form of `src`, token by token. */
async function kernelLogits(src: Uint8Array): Promise<LogitsFn> {
  const form = (await transformModel(src, new Map(), { form: 'int8', tiedEmbeddings: true, dataName: 'model.data', lastPositionLogits: true }))!;
  expect(form.kernel).toBe(true);
  const d = new KernelDecoder(await loadKernelWeights(form.graph, new Map([['model.data', bytesRange(form.data)]]), { contextLength: 512, shared: false }), 512);
  return async (ids) => {
    const all = new Float32Array(ids.length * VOCAB);
    d.reset();
    for (let t = 0; t < ids.length; t++) all.set(await d.step([ids[t] as number]), t * VOCAB);
    return all;
  };
}

async function guard(file: string, mode: 'step' | 'window', keepFp32?: (w: string) => boolean, kernel = false): Promise<Awaited<ReturnType<typeof qualityGuard>> & { kernel?: Awaited<ReturnType<typeof qualityGuard>> }> {
  const json = (f: string): Record<string, unknown> => JSON.parse(readFileSync(join(STORIES_DIR, f), 'utf8')) as Record<string, unknown>;
  const tok = new Tokenizer(json('tokenizer.json'), json('tokenizer_config.json'));
  const wins = windows(STORIES.map((s) => tok.encode(s, { add_special_tokens: false }).ids), 1, 512, 2000);
  const src = read(join(STORIES_DIR, 'onnx', file));
  const logits = async (form: 'int8' | 'fp32', keep?: (w: string) => boolean): Promise<ReturnType<typeof sessionLogits>> => {
    const out = (await transformModel(src, new Map(), { form, tiedEmbeddings: true, dataName: 'model.data', ...(keep ? { keepFp32: keep } : {}) }))!;
    return sessionLogits(ort as never, (await open(out.graph, [{ name: 'model.data', bytes: out.data }])) as never, LAYOUT, mode);
  };
  const reference = memo(await logits('fp32'));
  const onOrt = await qualityGuard(reference, await logits('int8', keepFp32), wins, 512);
  return kernel ? { ...onOrt, kernel: await qualityGuard(reference, await kernelLogits(src), wins, VOCAB) } : onOrt;
}

describe('quality guard: int8 form vs fp32 form on stories260K', () => {
  if (!HAS_STORIES) console.warn(STORIES_SKIP);

  it.skipIf(!HAS_STORIES)('int8 weight-only file, decoding: top-1 agreement >= 98% and perplexity within 2% over 2,000 positions, on onnxruntime-web and on the decoder kernel', async () => {
    const g = await guard('model_int8.onnx', 'step', undefined, true);
    console.log('stories260K int8 file, int8 form vs fp32 form, step:', g);
    for (const f of [g, g.kernel!]) {
      expect(f.positions).toBe(2000);
      expect(f.top1Agreement).toBeGreaterThanOrEqual(0.98);
      expect(Math.abs(f.perplexityChange)).toBeLessThanOrEqual(0.02);
    }
  }, 120_000);

  it.skipIf(!HAS_STORIES)('one-pass windows: the per-tensor activation scale costs agreement; float32 down projections and head restore it', async () => {
    const all = await guard('model_int8.onnx', 'window');
    const mixed = await guard('model_int8.onnx', 'window', (w) => /down_proj|lm_head/.test(w));
    console.log('stories260K int8 file, window: all int8', all, 'mixed', mixed);
    expect(Math.abs(all.perplexityChange)).toBeLessThanOrEqual(0.02);
    expect(mixed.top1Agreement).toBeGreaterThanOrEqual(0.98);
    expect(mixed.top1Agreement).toBeGreaterThan(all.top1Agreement);
  }, 120_000);

  it.skipIf(!HAS_STORIES)('q4 file: the int8 form takes its tied head from the float32 table, so it is closer to the original model than the q4 file is', async () => {
    const json = (f: string): Record<string, unknown> => JSON.parse(readFileSync(join(STORIES_DIR, f), 'utf8')) as Record<string, unknown>;
    const tok = new Tokenizer(json('tokenizer.json'), json('tokenizer_config.json'));
    const wins = windows(STORIES.map((s) => tok.encode(s, { add_special_tokens: false }).ids), 1, 512, 2000);
    const original = memo(sessionLogits(ort as never, (await open(read(join(STORIES_DIR, 'onnx', 'model.onnx')))) as never, LAYOUT, 'step'));
    const q4 = read(join(STORIES_DIR, 'onnx', 'model_q4.onnx'));
    const i8 = (await transformModel(q4, new Map(), { form: 'int8', tiedEmbeddings: true, dataName: 'model.data' }))!;
    const asIs = await qualityGuard(original, sessionLogits(ort as never, (await open(q4)) as never, LAYOUT, 'step'), wins, 512);
    const rewritten = await qualityGuard(original, sessionLogits(ort as never, (await open(i8.graph, [{ name: 'model.data', bytes: i8.data }])) as never, LAYOUT, 'step'), wins, 512);
    const onKernel = await qualityGuard(original, await kernelLogits(q4), wins, 512);
    console.log('stories260K vs the fp32 file, step: q4 file', asIs, 'int8 form of it', rewritten, 'on the decoder kernel', onKernel);
    for (const r of [rewritten, onKernel]) {
      expect(r.candidatePerplexity).toBeLessThan(asIs.candidatePerplexity);
      expect(r.top1Agreement).toBeGreaterThanOrEqual(asIs.top1Agreement);
    }
  }, 120_000);
});

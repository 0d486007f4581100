// The decoder kernel on the generated tiny-llama fixture, against onnxruntime-web on the
// same weights. The kernel quantizes activations per row (symmetric int8) where
// DynamicQuantizeMatMul quantizes per run (asymmetric uint8), so its logits are compared
// with the exact fp32 form within quantization error; the quality guard on a real model is
// kernel-quality.test.ts.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { transformModel, type TransformResult } from '../../../src/backends/onnx/transform/index.js';
import { loadKernelWeights, planOf, type KernelWeights } from '../../../src/backends/onnx/kernel/load.js';
import { KernelDecoder, ROWS } from '../../../src/backends/onnx/kernel/decoder.js';
import { isEdgewiseError } from '../../../src/errors.js';
import { bytesRange } from '../../../src/backends/onnx/weight-files.js';
import { emptyPast, layoutOf, open, read, step, tinyLlama, type Layout } from '../transform/ort-node.js';

const CONTEXT = 512;
let int8: TransformResult;
let fp32: TransformResult;
let layout: Layout;

const weights = (f: TransformResult = int8): Promise<KernelWeights> => loadKernelWeights(f.graph, new Map([['model.data', bytesRange(f.data)]]), { contextLength: CONTEXT, shared: false });
const ids = (n: number, seed = 1): number[] => Array.from({ length: n }, (_, i) => (i * 37 + seed * 11) % layout.vocab);

function correlation(a: Float32Array, b: Float32Array): number {
  let ma = 0, mb = 0;
  for (let i = 0; i < a.length; i++) { ma += a[i]!; mb += b[i]!; }
  ma /= a.length; mb /= b.length;
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) { const x = a[i]! - ma, y = b[i]! - mb; ab += x * y; aa += x * x; bb += y * y; }
  return ab / Math.sqrt(aa * bb);
}

describe('decoder kernel', () => {
  beforeAll(async () => {
    const dir = tinyLlama();
    layout = layoutOf(dir);
    const src = read(join(dir, 'onnx', 'model_q4.onnx'));
    const o = { tiedEmbeddings: true, dataName: 'model.data', lastPositionLogits: true } as const;
    int8 = (await transformModel(src, new Map(), { form: 'int8', ...o }))!;
    fp32 = (await transformModel(src, new Map(), { form: 'fp32', ...o }))!;
  });

  it('the int8 form of a recognised decoder carries a plan; the fp32 form and a form with float32 layers do not', async () => {
    expect(int8.kernel).toBe(true);
    expect(planOf(int8.graph)?.layers.length).toBe(layout.layers);
    expect(fp32.kernel).toBe(false);
    const mixed = (await transformModel(read(join(tinyLlama(), 'onnx', 'model_q4.onnx')), new Map(), { form: 'int8', tiedEmbeddings: true, dataName: 'model.data', keepFp32: (w) => /down_proj/.test(w) }))!;
    expect(mixed.kernel).toBe(false);
    expect(planOf(mixed.graph)).toBeUndefined();
  });

  it('prompt and decode logits follow the exact fp32 form within int8 error, as closely as onnxruntime-web on the int8 form', async () => {
    const d = new KernelDecoder(await weights(), CONTEXT);
    const exact = await open(fp32.graph, [{ name: 'model.data', bytes: fp32.data }]);
    const onOrt = await open(int8.graph, [{ name: 'model.data', bytes: int8.data }]);
    const [pe, po] = [emptyPast(layout), emptyPast(layout)];
    const prompt = ids(20);
    const rows: [Float32Array, Float32Array, Float32Array][] = [[await d.step(prompt), await step(exact, layout, pe, prompt, 0), await step(onOrt, layout, po, prompt, 0)]];
    for (let t = 0; t < 10; t++) {
      const next = [(t * 53 + 7) % layout.vocab];
      rows.push([await d.step(next), await step(exact, layout, pe, next, 20 + t), await step(onOrt, layout, po, next, 20 + t)]);
    }
    for (const [k, e, o] of rows) {
      expect(k.length).toBe(layout.vocab);
      expect(correlation(k, e)).toBeGreaterThan(0.99);
      expect(correlation(k, e)).toBeGreaterThan(correlation(o, e) - 0.01);
    }
    expect(d.length).toBe(30);
  });

  it(`a prompt gives the same logits whole, in chunks, and across runs of ${ROWS} rows`, async () => {
    const d = new KernelDecoder(await weights(), CONTEXT);
    const prompt = ids(ROWS + 9, 2);
    const whole = await d.step(prompt);
    d.reset();
    let chunked: Float32Array | undefined;
    for (const [a, b] of [[0, 5], [5, 6], [6, 40], [40, prompt.length]] as const) chunked = await d.step(prompt.slice(a, b));
    expect(Array.from(chunked!)).toEqual(Array.from(whole));
    d.reset();
    let stepped: Float32Array | undefined;
    for (const id of prompt) stepped = await d.step([id]);
    expect(Array.from(stepped!)).toEqual(Array.from(whole));
  });

  it('the KV cache grows in place past its first 256 positions without losing what it holds; reset() starts afresh', async () => {
    const d = new KernelDecoder(await weights(), CONTEXT);
    const seq = ids(300, 3);
    const once = await d.step(seq);
    d.reset();
    await d.step(seq.slice(0, 250));
    let grown: Float32Array | undefined;
    for (let i = 250; i < 300; i++) grown = await d.step([seq[i]!]);
    expect(Array.from(grown!)).toEqual(Array.from(once));
    d.reset();
    const fresh = new KernelDecoder(await weights(), CONTEXT);
    expect(Array.from(await d.step(seq.slice(0, 7)))).toEqual(Array.from(await fresh.step(seq.slice(0, 7))));
  });

  it('an id outside the vocabulary and a step past the context fail typed, and the decoder stays usable', async () => {
    const d = new KernelDecoder(await weights(), 32);
    const err = (p: Promise<unknown>): Promise<unknown> => p.then(() => undefined, (e: unknown) => e);
    const bad = await err(d.step([layout.vocab]));
    expect(isEdgewiseError(bad) && bad.code).toBe('runtime_error');
    expect(d.length).toBe(0);
    await d.step(ids(30));
    const over = await err(d.step(ids(3)));
    expect(isEdgewiseError(over) && over.code).toBe('context_overflow');
    expect(d.length).toBe(30);
    expect((await d.step([5])).length).toBe(layout.vocab);
  });

  it('an abort during the weight copy stops it with a typed error', async () => {
    const ac = new AbortController();
    ac.abort();
    const e = await loadKernelWeights(int8.graph, new Map([['model.data', bytesRange(int8.data)]]), { contextLength: CONTEXT, shared: false, signal: ac.signal }).then(() => undefined, (x: unknown) => x);
    expect(isEdgewiseError(e) && e.code).toBe('aborted');
  });
});

// The fused graph (GroupQueryAttention, SkipSimplifiedLayerNormalization, QuickGelu) against
// the real runtime: it must compute what the op-by-op graph computes, prompt in one run or
// in chunks through the cache, and graphs it does not recognise must keep their own ops.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { transformModel, type TransformOptions } from '../../../src/backends/onnx/transform/index.js';
import { decodeModel, encodeModel } from '../../../src/backends/onnx/transform/proto.js';
import { emptyPast, greedy, HAS_STORIES, layoutOf, open, read, step, STORIES_DIR, STORIES_SKIP, tinyLlama, type Layout } from './ort-node.js';

const opts = (form: 'int8' | 'fp32', extra: Partial<TransformOptions> = {}): TransformOptions => ({ form, tiedEmbeddings: true, dataName: 'model.data', contextLength: 256, ...extra });
const count = (ops: readonly (string | null | undefined)[], op: string): number => ops.filter((o) => o === op).length;

/** Logits of the last position after feeding `chunks` one after another through the cache. */
async function lastLogits(graph: Uint8Array, data: Uint8Array, l: Layout, chunks: number[][]): Promise<Float32Array> {
  const s = await open(graph, [{ name: 'model.data', bytes: data }]);
  const past = emptyPast(l);
  let length = 0;
  let logits = new Float32Array(0);
  for (const ids of chunks) {
    logits = (await step(s, l, past, ids, length)).slice();
    length += ids.length;
  }
  return logits;
}

/** Every norm but the first follows a residual Add (2 per layer and the final one, less the first); one QuickGelu per MLP. */
function expectNormsFused(ops: readonly (string | null | undefined)[], layers: number): void {
  expect(count(ops, 'SkipSimplifiedLayerNormalization')).toBe(2 * layers);
  expect(count(ops, 'SimplifiedLayerNormalization')).toBe(1);
  expect(count(ops, 'QuickGelu')).toBe(layers);
}

const maxDiff = (a: Float32Array, b: Float32Array): number => a.reduce((m, v, i) => Math.max(m, Math.abs(v - (b[i] as number))), 0);
const PROMPT = [1, 300, 20, 7, 99, 180, 41, 3, 250];

describe('fused graph on the generated tiny Llama (head size 16)', () => {
  let dir: string;
  let l: Layout;
  let src: Uint8Array;
  beforeAll(() => {
    dir = tinyLlama();
    l = layoutOf(dir);
    src = read(join(dir, 'onnx', 'model_q4.onnx'));
  }, 120_000);

  it('by default fuses the norms and SiLU and keeps attention op by op (the WASM GroupQueryAttention kernel is slow on long prompts)', async () => {
    const out = (await transformModel(src, new Map(), opts('int8')))!;
    const ops = (decodeModel(out.graph).graph!.node ?? []).map((n) => n.opType);
    expect(out.structure).toBe('fused');
    expect(ops).not.toContain('GroupQueryAttention');
    expect(ops).toContain('Softmax');
    expectNormsFused(ops, l.layers);
  });

  it('with fusions.attention, rebuilds every layer on the fused kernels and drops the op-by-op attention', async () => {
    const out = (await transformModel(src, new Map(), opts('int8', { fusions: { attention: true } })))!;
    const ops = (decodeModel(out.graph).graph!.node ?? []).map((n) => n.opType);
    expect(out.structure).toBe('fused');
    expect(count(ops, 'GroupQueryAttention')).toBe(l.layers);
    expectNormsFused(ops, l.layers);
    for (const gone of ['Softmax', 'Cos', 'Sin', 'Where', 'ReduceMean', 'Sigmoid']) expect(ops).not.toContain(gone);
    const ref = (await transformModel(src, new Map(), opts('int8', { graph: 'ops' })))!;
    expect(ref.structure).toBe('ops');
    expect(out.ops).toBeLessThan(ref.ops / 2);
  });

  for (const form of ['fp32', 'int8'] as const) {
    it(`${form}: the fused graph (attention too) computes what the op-by-op graph does`, async () => {
      const fused = (await transformModel(src, new Map(), opts(form, { fusions: { attention: true } })))!;
      const ops = (await transformModel(src, new Map(), opts(form, { graph: 'ops' })))!;
      const a = await lastLogits(fused.graph, fused.data, l, [PROMPT]);
      const b = await lastLogits(ops.graph, ops.data, l, [PROMPT]);
      const scale = b.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      // int8: the attention output is re-quantized for o_proj, so rounding differs a little.
      expect(maxDiff(a, b) / scale).toBeLessThan(form === 'fp32' ? 1e-4 : 2e-2);
    });
  }

  it('a prompt prefilled in chunks through the cache gives the logits of one run (GroupQueryAttention with a past)', async () => {
    const out = (await transformModel(src, new Map(), opts('fp32', { fusions: { attention: true } })))!;
    const whole = await lastLogits(out.graph, out.data, l, [PROMPT]);
    const chunked = await lastLogits(out.graph, out.data, l, [PROMPT.slice(0, 4), PROMPT.slice(4, 8), PROMPT.slice(8)]);
    expect(maxDiff(whole, chunked)).toBeLessThan(1e-4);
  });

  it('each fusion alone gives the same greedy ids as the file itself (fp32 form)', async () => {
    const want = await greedy(await open(src), l, PROMPT, 16);
    for (const fusions of [{ attention: true, norms: false, silu: false }, { silu: false }, { norms: false }, {}]) {
      const out = (await transformModel(src, new Map(), opts('fp32', { fusions })))!;
      expect(await greedy(await open(out.graph, [{ name: 'model.data', bytes: out.data }]), l, PROMPT, 16)).toEqual(want);
    }
  });

  it('keeps the op-by-op graph when it cannot tell the layers apart (no layer names)', async () => {
    const m = decodeModel(src);
    for (const n of m.graph!.node ?? []) n.name = '';
    for (const t of m.graph!.initializer ?? []) t.name = (t.name ?? '').replace(/_proj/, '_x');
    for (const n of m.graph!.node ?? []) n.input = (n.input ?? []).map((i) => i.replace(/_proj/, '_x'));
    const out = (await transformModel(encodeModel(m), new Map(), opts('fp32')))!;
    expect(out.structure).toBe('ops');
    expect(await greedy(await open(out.graph, [{ name: 'model.data', bytes: out.data }]), l, PROMPT, 8)).toEqual(await greedy(await open(src), l, PROMPT, 8));
  });
});

describe('fused graph on stories260K (head size 8: the CPU GroupQueryAttention kernel takes multiples of 16)', () => {
  const l: Layout = { layers: 5, kvHeads: 4, headDim: 8, vocab: 512 };
  if (!HAS_STORIES) console.warn(STORIES_SKIP);
  it.skipIf(!HAS_STORIES)('fuses the norms and SiLU, keeps its own attention, and still reproduces the greedy story', async () => {
    const src = read(join(STORIES_DIR, 'onnx', 'model_q4.onnx'));
    const out = (await transformModel(src, new Map(), opts('fp32')))!;
    const ops = (decodeModel(out.graph).graph!.node ?? []).map((n) => n.opType);
    expect(out.structure).toBe('fused');
    expect(ops).not.toContain('GroupQueryAttention');
    expect(ops).toContain('Softmax');
    expectNormsFused(ops, l.layers);
    expect(await greedy(await open(out.graph, [{ name: 'model.data', bytes: out.data }]), l, [1], 120)).toEqual(await greedy(await open(src), l, [1], 120));
  });
});

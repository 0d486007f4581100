// The WASM weight transform against the real runtime (onnxruntime-web in Node): the fp32
// form must compute what the quantized file computes, the int8 form must run, fuse and
// store the tied table once, and graphs it cannot read must be left alone.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PagedFile, transformModel, transformModelInto, type TransformOptions } from '../../../src/backends/onnx/transform/index.js';
import { decodeModel, dimsOf, DT, encodeModel } from '../../../src/backends/onnx/transform/proto.js';
import { greedy, HAS_STORIES, layoutOf, open, ort, read, STORIES_DIR, STORIES_SKIP, tinyLlama, type Layout } from './ort-node.js';

const PROMPTS = [[1, 72, 101, 108], [1, 300, 20, 7, 99, 180], [1]];
// contextLength: tiny-llama's max_position_embeddings (the fused graph's rotary tables cover it).
const opts = (form: 'int8' | 'fp32', extra: Partial<TransformOptions> = {}): TransformOptions => ({ form, tiedEmbeddings: true, dataName: 'model.data', contextLength: 256, ...extra });

async function greedyAll(graph: Uint8Array, l: Layout, data?: Uint8Array, steps = 24): Promise<number[][]> {
  const s = await open(graph, data ? [{ name: 'model.data', bytes: data }] : undefined);
  const out: number[][] = [];
  for (const p of PROMPTS) out.push(await greedy(s, l, p, steps));
  return out;
}

describe('weight transform on the generated tiny Llama', () => {
  let dir: string;
  let layout: Layout;
  beforeAll(() => {
    dir = tinyLlama();
    layout = layoutOf(dir);
  }, 120_000);

  for (const file of ['model_q4.onnx', 'model_int8.onnx']) {
    it(`fp32 form of ${file} gives the file's own greedy ids`, async () => {
      const src = read(join(dir, 'onnx', file));
      const out = await transformModel(src, new Map(), opts('fp32'));
      expect(out).toBeDefined();
      const [want, got] = [await greedyAll(src, layout), await greedyAll(out!.graph, layout, out!.data)];
      expect(got).toEqual(want);
    });
  }

  it('int8 form fuses the layers that share an input and stores the tied table once', async () => {
    const src = read(join(dir, 'onnx', 'model_q4.onnx'));
    const out = (await transformModel(src, new Map(), opts('int8')))!;
    // Per layer: q,k,v,o,gate,up,down; plus the head.
    expect(out.linears).toBe(7 * layout.layers + 1);
    // Per layer: one q/k/v matmul, o, one gate/up matmul, down; plus the head.
    expect(out.matmuls).toBe(4 * layout.layers + 1);
    expect(out.tiedEmbedding).toBe(true);
    const g = decodeModel(out.graph).graph!;
    const ops = (g.node ?? []).map((n) => n.opType);
    expect(ops).not.toContain('MatMulNBits');
    expect(ops.filter((o) => o === 'DynamicQuantizeMatMul')).toHaveLength(out.matmuls);
    const table = (g.initializer ?? []).filter((t) => { const d = dimsOf(t); return d.length === 2 && d.includes(layout.vocab); });
    // One [H, V] int8 table serves the lookup and the head; no float32 copy is left.
    expect(table).toHaveLength(1);
    expect(table[0]!.dataType).toBe(DT.INT8);
    expect(out.data.length).toBeLessThan(src.length);
  });

  it('streamed to a sink, the external file arrives in order, byte for byte what one buffer holds, and the graph is the same', async () => {
    const src = read(join(dir, 'onnx', 'model_q4.onnx'));
    for (const form of ['int8', 'fp32'] as const) {
      const whole = (await transformModel(src, new Map(), opts(form)))!;
      const pieces: Uint8Array[] = [];
      let announced = -1;
      const streamed = (await transformModelInto(src, new Map(), opts(form), async (size) => {
        announced = size;
        return { write: async (b) => { pieces.push(b.slice()); } };
      }))!;
      expect(streamed.data).toBeUndefined();
      const joined = new Uint8Array(pieces.reduce((a, p) => a + p.length, 0));
      pieces.reduce((at, p) => (joined.set(p, at), at + p.length), 0);
      expect(announced).toBe(whole.data.length);
      expect(joined.length).toBe(whole.data.length);
      expect(Buffer.compare(joined, whole.data)).toBe(0);
      expect(Buffer.compare(streamed.graph, whole.graph)).toBe(0);
      // More than one write: the file is streamed tensor by tensor, not packed and then handed over.
      expect(pieces.length).toBeGreaterThan(layout.layers);
    }
  });

  it('a sink that declines (no cache, no room) gets the file packed into one buffer', async () => {
    const src = read(join(dir, 'onnx', 'model_q4.onnx'));
    const out = (await transformModelInto(src, new Map(), opts('int8'), async () => undefined))!;
    const whole = (await transformModel(src, new Map(), opts('int8')))!;
    expect(Buffer.compare(out.data!, whole.data)).toBe(0);
  });

  it('int8 form runs and mostly agrees with the fp32 form (random weights, near-ties allowed)', async () => {
    const src = read(join(dir, 'onnx', 'model_q4.onnx'));
    const f = (await transformModel(src, new Map(), opts('fp32')))!;
    const i = (await transformModel(src, new Map(), opts('int8', { tiedEmbeddings: false })))!;
    const [a, b] = [(await greedyAll(f.graph, layout, f.data, 8)).flat(), (await greedyAll(i.graph, layout, i.data, 8)).flat()];
    expect(b.every((id) => Number.isInteger(id) && id >= 0 && id < layout.vocab)).toBe(true);
    // Greedy paths diverge after the first flip, so compare first tokens only.
    expect(PROMPTS.filter((_, p) => a[p * 8] === b[p * 8]).length).toBeGreaterThanOrEqual(2);
  });

  it('fused and unfused int8 forms compute the same thing', async () => {
    const src = read(join(dir, 'onnx', 'model_q4.onnx'));
    const a = (await transformModel(src, new Map(), opts('int8')))!;
    const b = (await transformModel(src, new Map(), opts('int8', { fuse: false })))!;
    expect(b.matmuls).toBe(7 * layout.layers + 1);
    expect(await greedyAll(a.graph, layout, a.data)).toEqual(await greedyAll(b.graph, layout, b.data));
  });

  it('lastPositionLogits: the head runs on the last position only, and decoding is unchanged', async () => {
    const src = read(join(dir, 'onnx', 'model_q4.onnx'));
    const full = (await transformModel(src, new Map(), opts('int8')))!;
    const last = (await transformModel(src, new Map(), opts('int8', { lastPositionLogits: true })))!;
    const s = await open(last.graph, [{ name: 'model.data', bytes: last.data }]);
    const n = 6;
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', BigInt64Array.from({ length: n }, (_, i) => BigInt(10 + i)), [1, n]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(n).fill(1n), [1, n]),
      position_ids: new ort.Tensor('int64', BigInt64Array.from({ length: n }, (_, i) => BigInt(i)), [1, n]),
    };
    for (let i = 0; i < layout.layers; i++) for (const kv of ['key', 'value']) feeds[`past_key_values.${i}.${kv}`] = new ort.Tensor('float32', new Float32Array(0), [1, layout.kvHeads, 0, layout.headDim]);
    const out = await s.run(feeds);
    expect(out['logits']!.dims).toEqual([1, 1, layout.vocab]);
    expect(out['present.0.key']!.dims[2]).toBe(n);
    expect(await greedyAll(last.graph, layout, last.data)).toEqual(await greedyAll(full.graph, layout, full.data));
  });

  it('reads weights from external data files', async () => {
    const ext = tinyLlama('tiny-llama-extdata');
    const src = read(join(ext, 'onnx', 'model_q4.onnx'));
    const data = read(join(ext, 'onnx', 'model_q4.onnx_data'));
    const out = (await transformModel(src, new Map([['model_q4.onnx_data', data]]), opts('fp32')))!;
    const s = await open(src, [{ name: 'model_q4.onnx_data', bytes: data }]);
    const want: number[][] = [];
    for (const p of PROMPTS) want.push(await greedy(s, layout, p, 24));
    expect(await greedyAll(out.graph, layout, out.data)).toEqual(want);
  });

  it('a source read by range (PagedFile): the same output, and only the layer being written is loaded beside the small tensors', async () => {
    const ext = tinyLlama('tiny-llama-extdata');
    const src = read(join(ext, 'onnx', 'model_q4.onnx'));
    const data = read(join(ext, 'onnx', 'model_q4.onnx_data'));
    // What the transform may hold up front: everything but the 4-bit layers' own tensors.
    const g = decodeModel(src).graph!;
    const nbits = new Set((g.node ?? []).filter((n) => n.opType === 'MatMulNBits').flatMap((n) => (n.input ?? []).slice(1, 4)));
    const sizeOf = (name: string): number => Number(g.initializer!.find((t) => t.name === name)?.externalData?.find((e) => e.key === 'length')?.value ?? 0);
    const upFront = (g.initializer ?? []).filter((t) => !nbits.has(t.name ?? '')).reduce((a, t) => a + sizeOf(t.name ?? ''), 0);
    const layers = (g.node ?? []).filter((n) => n.opType === 'MatMulNBits').map((n) => (n.input ?? []).slice(1, 4).reduce((a, i) => a + sizeOf(i), 0));
    for (const form of ['int8', 'fp32'] as const) {
      const whole = (await transformModel(src, new Map([['model_q4.onnx_data', data]]), opts(form)))!;
      let file: PagedFile | undefined;
      let peak = 0;
      let read = 0;
      file = new PagedFile({
        size: data.length,
        read: async (offset, length) => {
          peak = Math.max(peak, file!.loadedBytes);
          read += length;
          return data.slice(offset, offset + length);
        },
      });
      const paged = (await transformModel(src, new Map([['model_q4.onnx_data', file]]), opts(form)))!;
      expect(Buffer.compare(paged.data, whole.data)).toBe(0);
      expect(Buffer.compare(paged.graph, whole.graph)).toBe(0);
      // Most of the file is read, none of it many times (the tied head twice: once for the tie check).
      expect(read).toBeGreaterThanOrEqual(data.length * 0.5);
      expect(read).toBeLessThan(data.length * 1.5);
      // Fused q/k/v is the most loaded at once: three layers.
      expect(peak).toBeLessThanOrEqual(upFront + 3 * Math.max(...layers));
      expect(peak).toBeLessThan(data.length);
    }
  });

  it('a PagedFile refuses a read of bytes never loaded (a transform bug, named), and a load stops on abort', async () => {
    const data = new Uint8Array(64).map((_, i) => i);
    const file = new PagedFile({ size: 64, read: async (o, n) => data.subarray(o, o + n) });
    expect(() => file.subarray(0, 4)).toThrow(/before they were loaded/);
    await file.load(8, 16, undefined);
    expect([...file.subarray(10, 12)]).toEqual([10, 11]);
    expect(() => file.subarray(20, 30)).toThrow(/before they were loaded/);
    const stop = new AbortController();
    stop.abort();
    await expect(file.load(0, 8, stop.signal)).rejects.toMatchObject({ code: 'aborted' });
  });

  it('keeps the layers it is told to in float32 (mixed precision)', async () => {
    const src = read(join(dir, 'onnx', 'model_q4.onnx'));
    const out = (await transformModel(src, new Map(), opts('int8', { keepFp32: (w) => /down_proj|lm_head/.test(w) })))!;
    const ops = (decodeModel(out.graph).graph!.node ?? []).map((n) => n.opType);
    expect(ops.filter((o) => o === 'MatMul').length).toBeGreaterThanOrEqual(layout.layers + 1);
    // The head stays float32, so there is no int8 table to share.
    expect(out.tiedEmbedding).toBe(false);
  });

  it('returns undefined for a graph with nothing to rewrite (float32 weights)', async () => {
    expect(await transformModel(read(join(dir, 'onnx', 'model.onnx')), new Map(), opts('int8'))).toBeUndefined();
  });

  it('leaves MatMulNBits with a g_idx (act-order) input alone', async () => {
    const m = decodeModel(read(join(dir, 'onnx', 'model_q4.onnx')));
    for (const n of m.graph!.node ?? []) if (n.opType === 'MatMulNBits') n.input = [...(n.input ?? []).slice(0, 3), '', 'some_g_idx'];
    expect(await transformModel(encodeModel(m), new Map(), opts('int8'))).toBeUndefined();
  });

  it('throws on bytes that are not an ONNX graph (the loader turns this into a typed error)', async () => {
    await expect(transformModel(new Uint8Array([0xff, 0xff, 0xff]), new Map(), opts('int8'))).rejects.toThrow();
  });

  it('names an external data file the folder did not provide', async () => {
    const ext = tinyLlama('tiny-llama-extdata');
    await expect(transformModel(read(join(ext, 'onnx', 'model_q4.onnx')), new Map(), opts('fp32'))).rejects.toThrow(/model_q4\.onnx_data/);
  });
});

describe('weight transform on stories260K (a real trained model)', () => {
  const l: Layout = { layers: 5, kvHeads: 4, headDim: 8, vocab: 512 };
  if (!HAS_STORIES) console.warn(STORIES_SKIP);
  it.skipIf(!HAS_STORIES)("fp32 forms of the q4 and int8 files reproduce each file's greedy story from BOS", async () => {
    for (const file of ['model_q4.onnx', 'model_int8.onnx']) {
      const src = read(join(STORIES_DIR, 'onnx', file));
      const out = (await transformModel(src, new Map(), opts('fp32')))!;
      const want = await greedy(await open(src), l, [1], 120);
      expect(await greedy(await open(out.graph, [{ name: 'model.data', bytes: out.data }]), l, [1], 120)).toEqual(want);
    }
  });
});

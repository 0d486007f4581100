// The GGUF fixtures (test/fixtures/gguf.ts) hold the ONNX fixture's weights: the file is
// read back here with an independent parser, every tensor dequantized and compared with
// weights.ts, and, where node-llama-cpp is installed (the bench installs it on demand into
// test/bench/.peers/), llama.cpp's greedy ids on the f32 file must equal onnxruntime's on
// the fp32 ONNX fixture from the same prompt ids, and its tokenizer give the fixture
// tokenizer's ids (wllama only takes text prompts).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Tokenizer } from '@huggingface/tokenizers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GGML_TYPE, permuteRows, writeGguf, type GgufType } from '../fixtures/gguf.js';
import { TINY_LLAMA as S } from '../fixtures/shapes.js';
import { embeddingWeight, normWeight, projectionWeight } from '../fixtures/weights.js';
import { ort, read, tinyLlama } from './transform/ort-node.js';

interface Tensor { name: string; dims: number[]; type: number; offset: number }
interface Gguf { version: number; meta: Map<string, unknown>; tensors: Tensor[]; dataStart: number; bytes: Uint8Array }

/** A reader written from the GGUF spec (ggml docs/gguf.md), apart from the writer. */
function parse(bytes: Uint8Array): Gguf {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let o = 0;
  const u32 = (): number => { o += 4; return v.getUint32(o - 4, true); };
  const u64 = (): number => { o += 8; return Number(v.getBigUint64(o - 8, true)); };
  const str = (): string => { const n = u64(); o += n; return new TextDecoder().decode(bytes.subarray(o - n, o)); };
  const value = (type: number): unknown => {
    switch (type) {
      case 4: return u32();
      case 5: o += 4; return v.getInt32(o - 4, true);
      case 6: o += 4; return v.getFloat32(o - 4, true);
      case 7: o += 1; return bytes[o - 1] === 1;
      case 8: return str();
      case 9: { const t = u32(); const n = u64(); return Array.from({ length: n }, () => value(t)); }
      default: throw new Error(`unexpected metadata type ${type}`);
    }
  };
  if (u32() !== 0x46554747) throw new Error('not GGUF');
  const version = u32();
  const nTensors = u64();
  const nMeta = u64();
  const meta = new Map<string, unknown>();
  for (let i = 0; i < nMeta; i++) { const k = str(); meta.set(k, value(u32())); }
  const tensors: Tensor[] = [];
  for (let i = 0; i < nTensors; i++) {
    const name = str();
    const dims = Array.from({ length: u32() }, () => u64());
    tensors.push({ name, dims, type: u32(), offset: u64() });
  }
  const align = (meta.get('general.alignment') as number | undefined) ?? 32;
  return { version, meta, tensors, dataStart: Math.ceil(o / align) * align, bytes };
}

function half(bits: number): number {
  const e = (bits >> 10) & 0x1f;
  const m = bits & 0x3ff;
  const s = bits & 0x8000 ? -1 : 1;
  return e === 0 ? s * m * 2 ** -24 : s * (1 + m / 1024) * 2 ** (e - 15);
}

/** Values and the largest error each block allows: q8_0 ~d/2, q4_0 up to d (the clamped +8 end). */
function dequantize(g: Gguf, t: Tensor): { x: Float32Array; tol: Float32Array } {
  const n = t.dims.reduce((a, b) => a * b, 1);
  const at = g.dataStart + t.offset;
  const v = new DataView(g.bytes.buffer, g.bytes.byteOffset + at);
  const x = new Float32Array(n);
  const tol = new Float32Array(n);
  if (t.type === GGML_TYPE.f32.id) {
    for (let i = 0; i < n; i++) x[i] = v.getFloat32(i * 4, true);
    return { x, tol };
  }
  const q8 = t.type === GGML_TYPE.q8_0.id;
  const size = q8 ? GGML_TYPE.q8_0.bytes : GGML_TYPE.q4_0.bytes;
  for (let b = 0; b < n / 32; b++) {
    const d = half(v.getUint16(b * size, true));
    for (let j = 0; j < 32; j++) {
      const i = b * 32 + j;
      if (q8) x[i] = v.getInt8(b * size + 2 + j) * d;
      else {
        const byte = v.getUint8(b * size + 2 + (j % 16));
        x[i] = ((j < 16 ? byte & 15 : byte >> 4) - 8) * d;
      }
      // + relative slack for d's own fp16 rounding (2^-11).
      tol[i] = Math.abs(d) * (q8 ? 0.5 : 1) + Math.abs(x[i]!) * 2 ** -10 + 1e-7;
    }
  }
  return { x, tol };
}

/** weights.ts values for each GGUF tensor name, q/k rows in llama.cpp's RoPE order. */
function expected(name: string): Float32Array {
  if (name === 'token_embd.weight') return embeddingWeight(S);
  if (name === 'output_norm.weight') return normWeight(S, 'model.norm');
  const [, layer, part] = /^blk\.(\d+)\.(\w+)\.weight$/.exec(name) ?? [];
  const p = `model.layers.${layer}`;
  const h = S.hiddenSize;
  const q = S.numHeads * S.headDim;
  const kv = S.numKvHeads * S.headDim;
  switch (part) {
    case 'attn_norm': return normWeight(S, `${p}.input_layernorm`);
    case 'ffn_norm': return normWeight(S, `${p}.post_attention_layernorm`);
    case 'attn_q': return permuteRows(projectionWeight(S, `${p}.self_attn.q_proj`, q, h), S.numHeads, h);
    case 'attn_k': return permuteRows(projectionWeight(S, `${p}.self_attn.k_proj`, kv, h), S.numKvHeads, h);
    case 'attn_v': return projectionWeight(S, `${p}.self_attn.v_proj`, kv, h);
    case 'attn_output': return projectionWeight(S, `${p}.self_attn.o_proj`, h, q);
    case 'ffn_gate': return projectionWeight(S, `${p}.mlp.gate_proj`, S.intermediateSize, h);
    case 'ffn_up': return projectionWeight(S, `${p}.mlp.up_proj`, S.intermediateSize, h);
    case 'ffn_down': return projectionWeight(S, `${p}.mlp.down_proj`, h, S.intermediateSize);
    default: throw new Error(`unexpected tensor ${name}`);
  }
}

const TYPES: GgufType[] = ['f32', 'q8_0', 'q4_0'];
let dir = '';
const files = new Map<GgufType, Gguf>();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ew-gguf-'));
  writeGguf(S, TYPES.map((type) => ({ path: join(dir, `${type}.gguf`), type })));
  for (const t of TYPES) files.set(t, parse(new Uint8Array(readFileSync(join(dir, `${t}.gguf`)))));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('GGUF fixtures (tiny-llama)', () => {
  it('have a v3 header with llama arch and tokenizer metadata', () => {
    const g = files.get('q8_0')!;
    expect(g.version).toBe(3);
    const m = g.meta;
    expect(m.get('general.architecture')).toBe('llama');
    expect(m.get('general.file_type')).toBe(7);
    expect(files.get('q4_0')!.meta.get('general.file_type')).toBe(2);
    expect(m.get('llama.block_count')).toBe(S.numLayers);
    expect(m.get('llama.embedding_length')).toBe(S.hiddenSize);
    expect(m.get('llama.feed_forward_length')).toBe(S.intermediateSize);
    expect(m.get('llama.attention.head_count')).toBe(S.numHeads);
    expect(m.get('llama.attention.head_count_kv')).toBe(S.numKvHeads);
    expect(m.get('llama.rope.dimension_count')).toBe(S.headDim);
    expect(m.get('llama.rope.freq_base')).toBe(S.ropeTheta);
    expect(m.get('llama.context_length')).toBe(S.maxPositionEmbeddings);
    expect(m.get('llama.attention.layer_norm_rms_epsilon')).toBeCloseTo(S.rmsNormEps, 9);
    expect(m.get('tokenizer.ggml.model')).toBe('gpt2');
    const tokens = m.get('tokenizer.ggml.tokens') as string[];
    const tok = JSON.parse(readFileSync(join(tinyLlama(), 'tokenizer.json'), 'utf8')) as { model: { vocab: Record<string, number>; merges: string[] } };
    expect(tokens).toHaveLength(S.vocabSize);
    for (const [t, id] of Object.entries(tok.model.vocab)) expect(tokens[id]).toBe(t);
    expect(m.get('tokenizer.ggml.merges')).toEqual(tok.model.merges);
    expect((m.get('tokenizer.ggml.token_type') as number[]).slice(0, 4)).toEqual([3, 3, 3, 1]);
    expect([m.get('tokenizer.ggml.bos_token_id'), m.get('tokenizer.ggml.eos_token_id')]).toEqual([1, 2]);
  });

  it('list every tensor with its ggml dims, type and an aligned offset, and end with the last one', () => {
    for (const [type, g] of files) {
      expect(g.tensors).toHaveLength(2 + 9 * S.numLayers);
      expect(g.tensors[0]).toMatchObject({ name: 'token_embd.weight', dims: [S.hiddenSize, S.vocabSize], type: GGML_TYPE[type].id, offset: 0 });
      expect(g.tensors.find((t) => t.name === 'blk.1.ffn_down.weight')).toMatchObject({ dims: [S.intermediateSize, S.hiddenSize], type: GGML_TYPE[type].id });
      expect(g.tensors.find((t) => t.name === 'blk.0.attn_norm.weight')).toMatchObject({ dims: [S.hiddenSize], type: GGML_TYPE.f32.id });
      expect(g.tensors.every((t) => t.offset % 32 === 0)).toBe(true);
      const last = g.tensors[g.tensors.length - 1]!;
      expect(g.bytes.length).toBe(g.dataStart + last.offset + S.hiddenSize * 4);
    }
  });

  it('dequantize to the weights.ts values within each block format error', () => {
    for (const [type, g] of files) {
      let worst = 0;
      for (const t of g.tensors) {
        const want = expected(t.name);
        const { x, tol } = dequantize(g, t);
        expect(x.length, t.name).toBe(want.length);
        for (let i = 0; i < want.length; i++) {
          const err = Math.abs(x[i]! - want[i]!);
          if (err > tol[i]!) throw new Error(`${type} ${t.name}[${i}]: ${x[i]} vs ${want[i]} (tolerance ${tol[i]})`);
          worst = Math.max(worst, err);
        }
      }
      if (type === 'f32') expect(worst).toBe(0);
      else expect(worst).toBeGreaterThan(0);
    }
  });
});

// --------------------------------------------------------------------------------------
// llama.cpp against onnxruntime (optional peer)

interface NlcSequence { evaluate(tokens: number[], o: { temperature: number }): AsyncGenerator<number> }
interface NlcModel { tokenize(text: string): number[]; createContext(o: { contextSize: number; threads: number }): Promise<{ getSequence(): NlcSequence; dispose(): Promise<void> }>; dispose(): Promise<void> }
interface Nlc { getLlama(o: { gpu: false; build: 'never'; logLevel: 'error' }): Promise<{ loadModel(o: { modelPath: string }): Promise<NlcModel> }> }

const NLC = [join(process.cwd(), 'test', 'bench', '.peers', 'node_modules', 'node-llama-cpp', 'dist', 'index.js'), join(process.cwd(), 'node_modules', 'node-llama-cpp', 'dist', 'index.js')].find((p) => existsSync(p));
const PROMPT = [1, 60, 70, 80, 90, 100, 110, 120];
const TOKENS = 16;

async function onnxGreedy(): Promise<number[]> {
  const s = await ort.InferenceSession.create(read(join(tinyLlama(), 'onnx', 'model.onnx')));
  let past: Record<string, ort.Tensor> = {};
  const kv = (i: number, k: string, t: ort.Tensor): void => { past[`past_key_values.${i}.${k}`] = t; };
  for (let i = 0; i < S.numLayers; i++) for (const k of ['key', 'value']) kv(i, k, new ort.Tensor('float32', new Float32Array(0), [1, S.numKvHeads, 0, S.headDim]));
  const ids: number[] = [];
  let input = PROMPT;
  let done = 0;
  while (ids.length < TOKENS) {
    const n = input.length;
    const i64 = (a: number[], dims: number[]): ort.Tensor => new ort.Tensor('int64', BigInt64Array.from(a, BigInt), dims);
    const out = await s.run({ ...past, input_ids: i64(input, [1, n]), attention_mask: i64(new Array<number>(done + n).fill(1), [1, done + n]), position_ids: i64(input.map((_, i) => done + i), [1, n]) });
    past = {};
    for (let i = 0; i < S.numLayers; i++) for (const k of ['key', 'value']) kv(i, k, out[`present.${i}.${k}`] as ort.Tensor);
    done += n;
    const logits = (out.logits as ort.Tensor).data as Float32Array;
    const last = logits.subarray(logits.length - S.vocabSize);
    const id = last.indexOf(Math.max(...last));
    ids.push(id);
    input = [id];
  }
  await s.release();
  return ids;
}

describe('GGUF fixtures in llama.cpp (node-llama-cpp, optional)', () => {
  it.skipIf(!NLC)('greedy ids on the f32 file equal onnxruntime\'s on the fp32 ONNX fixture', async () => {
    const { getLlama } = (await import(pathToFileURL(NLC!).href)) as Nlc;
    const llama = await getLlama({ gpu: false, build: 'never', logLevel: 'error' });
    const model = await llama.loadModel({ modelPath: join(dir, 'f32.gguf') });
    const ctx = await model.createContext({ contextSize: 128, threads: 1 });
    const ids: number[] = [];
    for await (const t of ctx.getSequence().evaluate(PROMPT, { temperature: 0 })) {
      ids.push(t);
      if (ids.length === TOKENS) break;
    }
    await ctx.dispose();
    // The bench sends wllama text: llama.cpp must tokenize it as the fixture tokenizer does.
    const dirT = tinyLlama();
    const hf = new Tokenizer(JSON.parse(readFileSync(join(dirT, 'tokenizer.json'), 'utf8')), JSON.parse(readFileSync(join(dirT, 'tokenizer_config.json'), 'utf8')));
    for (const text of ['The old lighthouse keeper climbed the stairs every evening to light the lamp.', 'It loads 12 weights, once; then: "answers" quickly!\n\nNext  line']) {
      expect(model.tokenize(text), text).toEqual(hf.encode(text).ids);
    }
    await model.dispose();
    expect(ids).toEqual(await onnxGreedy());
  }, 30_000);
  if (!NLC) it('llama.cpp check skipped: node-llama-cpp is not installed (the cpu bench installs it into test/bench/.peers/)', () => undefined);
});

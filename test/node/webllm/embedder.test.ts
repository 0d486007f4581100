/**
 * The web-llm embedder over the recording fake of web-llm's MLCEngineInterface, whose
 * `embeddings.create()` is web-llm's own wrapper over a scripted `embedding()`: which
 * record web-llm is given, vectors in input order, batching by the smaller of `batchSize`
 * and the library's compiled batch, normalization, abort between batches and during the
 * load, and web-llm's failures as typed errors.
 */
import * as webllm from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import type { EmbedRequest } from '../../../src/backends/backend.js';
import { EMBEDDING_MODEL_TYPE } from '../../../src/backends/webllm/embedding-model.js';
import { createWebLLMEmbedder, type WebLLMEmbedder } from '../../../src/backends/webllm/index.js';
import { isEdgewiseError } from '../../../src/errors.js';
import type { WebLLMModelRecord, WebLLMModelSpec } from '../../../src/config-types.js';
import {
  createFakeMLCModule, fakeEmbedding, fakeTokenCount, progressReports, type FakeMLCModule, type FakeMLCScript,
} from '../../fakes/fake-mlc-engine.js';
import { MODEL_ID as GENERATION_ID, rejection } from './harness.js';

/** Prebuilt embedding ids of web-llm 0.2.86 (the fake serves web-llm's real prebuilt list). */
const B32 = 'snowflake-arctic-embed-m-q0f32-MLC-b32';
const B4 = 'snowflake-arctic-embed-s-q0f32-MLC-b4';
const TEXTS = ['a cat', 'the dog barks', 'x', 'two words', 'five small words in here', 'z z', 'last one'];

function overFake(script: FakeMLCScript = {}, spec: Partial<WebLLMModelSpec> = {}): { embedder: WebLLMEmbedder; mod: FakeMLCModule; imports: () => number } {
  const mod = createFakeMLCModule(script);
  let imported = 0;
  const embedder = createWebLLMEmbedder({ engine: 'webllm', id: B32, ...spec }, { loadModule: async () => { imported++; return mod; } });
  return { embedder, mod, imports: () => imported };
}

const request = (over: Partial<EmbedRequest> = {}): EmbedRequest => ({ texts: TEXTS, batchSize: 32, normalize: false, ...over });

/** The inputs of each `embedding()` call after the probe the load runs. */
function batches(mod: FakeMLCModule): unknown[] {
  return mod.calls.flatMap((c) => (c.method === 'embedding' ? [c.request.input] : [])).slice(1);
}

function copied(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

describe('webllm embedder load, over the recording fake MLCEngineInterface', () => {
  it('gives web-llm the prebuilt embedding record alone and reports the probed size', async () => {
    const { embedder, mod } = overFake({ embedDims: 12 });
    const info = await embedder.load({});
    const record = mod.prebuiltAppConfig.model_list.find((m) => m.model_id === B32);
    expect(record?.model_type).toBe(webllm.ModelType.embedding);
    expect(mod.engines[0]?.config.appConfig).toEqual({ model_list: [record], cacheBackend: 'indexeddb' });
    expect(info).toEqual({ ranOn: 'webllm', engine: 'webllm', contextLength: 512, dims: 12 });
    expect(embedder.embedderInfo).toEqual({ ranOn: 'webllm', dims: 12, maxLength: 512, hasPooledOutput: false });
    expect(mod.calls.filter((c) => c.method === 'embedding')).toHaveLength(1);
  });

  it('marks a custom record as an embedding model, so web-llm accepts embeddings.create', async () => {
    const record: WebLLMModelRecord = { model: 'https://models.example.test/Tiny-embed-MLC', model_id: 'Tiny-embed-MLC-b2', model_lib: 'https://models.example.test/tiny-ctx256_cs256_batch2-webgpu.wasm' };
    const { embedder, mod } = overFake({}, { id: record.model_id, record });
    const info = await embedder.load({});
    expect(mod.engines[0]?.config.appConfig?.model_list).toEqual([{ ...record, model_type: webllm.ModelType.embedding }]);
    expect(info.contextLength).toBe(256);
    await embedder.embed(request({ texts: ['a', 'b', 'c'] }));
    expect(batches(mod)).toEqual([['a', 'b'], ['c']]);
  });

  it('a generation model id is unsupported_model, saying to pass an embedding model; nothing is loaded', async () => {
    const { embedder, mod } = overFake({}, { id: GENERATION_ID });
    const e = await rejection(embedder.load({}));
    expect(isEdgewiseError(e) && e.code).toBe('unsupported_model');
    expect((e as Error).message).toMatch(/not an embedding model.*snowflake-arctic-embed/);
    expect(mod.engines).toHaveLength(0);
  });

  it('an unknown id is invalid_model_spec, naming web-llm embedding ids and `record`', async () => {
    const { embedder } = overFake({}, { id: 'Not-A-Model-MLC' });
    const e = await rejection(embedder.load({}));
    expect(isEdgewiseError(e) && e.code).toBe('invalid_model_spec');
    expect((e as Error).message).toMatch(/snowflake-arctic-embed.*`record`/);
  });

  it("the ModelType written out matches web-llm's enum", () => {
    expect(EMBEDDING_MODEL_TYPE).toBe(webllm.ModelType.embedding);
  });

  it('an abort during the load rejects aborted at once and unloads the engine', async () => {
    const { embedder, mod } = overFake({ progress: progressReports(false, 40), progressStepMs: 5 });
    const controller = new AbortController();
    const load = embedder.load({ signal: controller.signal });
    await new Promise((r) => setTimeout(r, 30));
    controller.abort();
    const e = await rejection(load);
    expect(isEdgewiseError(e) && e.code).toBe('aborted');
    expect(mod.calls).toContainEqual({ method: 'unload', duringReload: true });
    expect(mod.calls.some((c) => c.method === 'embedding')).toBe(false);
  });

  it("web-llm's load failure is typed, its cause kept", async () => {
    const error = copied('WebGPUNotAvailableError', 'WebGPU is not supported in your current environment');
    const { embedder } = overFake({ loadError: () => error });
    const e = await rejection(embedder.load({}));
    expect(isEdgewiseError(e) && e.code).toBe('webgpu_unavailable');
    expect((e as Error).cause).toBe(error);
  });
});

describe('webllm embed, over the recording fake MLCEngineInterface', () => {
  it('returns one Float32Array per text in input order, whatever order web-llm answers in', async () => {
    const { embedder } = overFake({ embeddingsReversed: true });
    await embedder.load({});
    const r = await embedder.embed(request());
    expect(r.vectors.map((v) => v instanceof Float32Array)).toEqual(TEXTS.map(() => true));
    expect(r.vectors).toEqual(TEXTS.map((t) => Float32Array.from(fakeEmbedding(t, 8))));
    expect(r).toMatchObject({ truncated: [], ranOn: 'webllm', promptTokens: TEXTS.reduce((n, t) => n + fakeTokenCount(t), 0) });
  });

  it("batches by the library's compiled batch when it is the smaller, calling onBatch after each", async () => {
    const { embedder, mod } = overFake({}, { id: B4 });
    await embedder.load({});
    const done: number[] = [];
    await embedder.embed(request(), { onBatch: (n) => done.push(n) });
    expect(batches(mod)).toEqual([TEXTS.slice(0, 4), TEXTS.slice(4)]);
    expect(done).toEqual([4, 7]);
  });

  it('batches by batchSize when it is the smaller', async () => {
    const { embedder, mod } = overFake();
    await embedder.load({});
    const done: number[] = [];
    await embedder.embed(request({ batchSize: 3 }), { onBatch: (n) => done.push(n) });
    expect(batches(mod)).toEqual([TEXTS.slice(0, 3), TEXTS.slice(3, 6), TEXTS.slice(6)]);
    expect(done).toEqual([3, 6, 7]);
  });

  it('normalizes to unit length, keeping the direction', async () => {
    const { embedder } = overFake();
    await embedder.load({});
    const r = await embedder.embed(request({ normalize: true }));
    r.vectors.forEach((v, i) => {
      expect(Math.hypot(...v)).toBeCloseTo(1, 5);
      const raw = fakeEmbedding(TEXTS[i] ?? '', 8);
      expect((v[0] ?? 0) / (v[1] ?? 1)).toBeCloseTo((raw[0] ?? 0) / (raw[1] ?? 1), 5);
    });
  });

  it('an abort between batches rejects aborted and runs no further batch', async () => {
    const { embedder, mod } = overFake({}, { id: B4 });
    await embedder.load({});
    const controller = new AbortController();
    const e = await rejection(embedder.embed(request(), { signal: controller.signal, onBatch: () => controller.abort() }));
    expect(isEdgewiseError(e) && e.code).toBe('aborted');
    expect(batches(mod)).toHaveLength(1);
  });

  it('an already-aborted signal runs no batch', async () => {
    const { embedder, mod } = overFake();
    await embedder.load({});
    const e = await rejection(embedder.embed(request(), { signal: AbortSignal.abort() }));
    expect(isEdgewiseError(e) && e.code).toBe('aborted');
    expect(batches(mod)).toHaveLength(0);
  });

  it('empty input answers [] without importing web-llm or loading a model', async () => {
    const { embedder, mod, imports } = overFake();
    expect(await embedder.embed(request({ texts: [] }))).toEqual({ vectors: [], truncated: [], promptTokens: 0, ranOn: 'webllm' });
    expect(imports()).toBe(0);
    expect(mod.engines).toHaveLength(0);
  });

  it('the next embed works after a failed one; unload twice is fine; embed after unload is a runtime_error', async () => {
    const { embedder, mod } = overFake({ embedError: { call: 1, error: () => copied('DeviceLostError', 'The WebGPU device was lost.') } });
    await embedder.load({});
    expect(isEdgewiseError(await rejection(embedder.embed(request())))).toBe(true);
    expect((await embedder.embed(request())).vectors).toHaveLength(TEXTS.length);
    await embedder.unload();
    await embedder.unload();
    expect(mod.calls.filter((c) => c.method === 'unload')).toHaveLength(1);
    const e = await rejection(embedder.embed(request()));
    expect(isEdgewiseError(e) && e.code).toBe('runtime_error');
  });
});

describe("webllm embed errors, over the recording fake MLCEngineInterface scripted with web-llm's errors", () => {
  const cases: readonly [string, () => Error, string][] = [
    ['EmbeddingExceedContextWindowSizeError', () => copied('EmbeddingExceedContextWindowSizeError', 'The embedding model you are using only supports up to 512 context size.However, an input in the batch has size 700.'), 'context_overflow'],
    ['DeviceLostError', () => copied('DeviceLostError', 'The WebGPU device was lost.'), 'device_lost'],
    ['EmbeddingInputEmptyError', () => copied('EmbeddingInputEmptyError', 'Embedding input cannot be empty string or empty token array.'), 'invalid_input'],
    ['anything else', () => new Error('boom'), 'runtime_error'],
  ];
  for (const [what, make, code] of cases) {
    it(`${what} → ${code}, cause kept`, async () => {
      const error = make();
      const { embedder } = overFake({ embedError: { call: 1, error: () => error } });
      await embedder.load({});
      const e = await rejection(embedder.embed(request()));
      expect(isEdgewiseError(e) && e.code).toBe(code);
      expect((e as Error).cause).toBe(error);
    });
  }

  it('an empty text is invalid_input, naming its index, before any batch', async () => {
    const { embedder, mod } = overFake();
    await embedder.load({});
    const e = await rejection(embedder.embed(request({ texts: ['a', '', 'b'] })));
    expect(isEdgewiseError(e) && e.code).toBe('invalid_input');
    expect(isEdgewiseError(e) && e.details).toMatchObject({ index: 1 });
    expect(batches(mod)).toHaveLength(0);
  });

  it("a pooling other than web-llm's first-token pooling is invalid_option", async () => {
    const { embedder } = overFake();
    await embedder.load({});
    const e = await rejection(embedder.embed(request({ pooling: 'mean' })));
    expect(isEdgewiseError(e) && e.code).toBe('invalid_option');
  });

  it('a probe failure at load is typed and unloads the engine', async () => {
    const error = copied('EmbeddingChunkingUnsupportedError', 'Embedding currently does not support chunking.');
    const { embedder, mod } = overFake({ embedError: { call: 0, error: () => error } });
    const e = await rejection(embedder.load({}));
    expect(isEdgewiseError(e) && e.code).toBe('unsupported_model');
    await new Promise((r) => setTimeout(r, 5));
    expect(mod.calls.at(-1)).toEqual({ method: 'unload', duringReload: false });
  });
});

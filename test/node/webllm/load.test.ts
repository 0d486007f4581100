/**
 * Loading through the web-llm adapter over the recording fake MLCEngine: which model and
 * AppConfig web-llm is given, the spec errors, and web-llm's progress reports as ours.
 */
import { describe, expect, it } from 'vitest';
import { webllmCacheKey } from '../../../src/backends/webllm/index.js';
import { isEdgewiseError } from '../../../src/errors.js';
import type { WebLLMModelRecord } from '../../../src/config-types.js';
import type { Progress } from '../../../src/types.js';
import { progressReports } from '../../fakes/fake-mlc-engine.js';
import { MODEL_ID, overFake, rejection } from './harness.js';

const RECORD: WebLLMModelRecord = {
  model: 'https://models.example.test/Tiny-q4f32_1-MLC',
  model_id: 'Tiny-q4f32_1-MLC',
  model_lib: 'https://models.example.test/Tiny-q4f32_1-webgpu.wasm',
  vram_required_MB: 100,
  required_features: [],
  overrides: { context_window_size: 2048 },
};

describe('webllm load over the recording fake MLCEngine: model and AppConfig', () => {
  it('gives web-llm the prebuilt record alone, cached in IndexedDB, and reloads that id', async () => {
    const { backend, mod } = overFake();
    const info = await backend.load();
    const construct = mod.calls.find((c) => c.method === 'construct');
    expect(construct?.method === 'construct' && construct.config.appConfig).toEqual({
      model_list: [mod.prebuiltAppConfig.model_list.find((m) => m.model_id === MODEL_ID)],
      cacheBackend: 'indexeddb',
    });
    expect(mod.calls.filter((c) => c.method === 'reload')).toEqual([{ method: 'reload', modelId: MODEL_ID }]);
    expect(info).toEqual({ ranOn: 'webllm', engine: 'webllm', hasChatTemplate: true, contextLength: 4096 });
  });

  it('builds the AppConfig from a custom record', async () => {
    const { backend, mod } = overFake({}, { id: RECORD.model_id, record: RECORD });
    const info = await backend.load();
    const construct = mod.engines[0]?.config;
    expect(construct?.appConfig).toEqual({ model_list: [RECORD], cacheBackend: 'indexeddb' });
    expect(construct?.appConfig?.model_list[0]).not.toBe(RECORD);
    expect(info.contextLength).toBe(2048);
  });

  it('an unknown id without a record is invalid_model_spec, naming prebuilt ids and `record`', async () => {
    const { backend, mod } = overFake({}, { id: 'Not-A-Model-MLC' });
    const e = await rejection(backend.load());
    expect(isEdgewiseError(e) && e.code).toBe('invalid_model_spec');
    expect(String((e as Error).message)).toMatch(/SmolLM2-360M-Instruct-q4f16_1-MLC/);
    expect(String((e as Error).message)).toMatch(/`record`/);
    expect(mod.engines).toHaveLength(0);
  });

  it('a record whose model_id differs from the id fails when the backend is created', () => {
    expect(() => overFake({}, { id: 'other', record: RECORD })).toThrow(expect.objectContaining({ code: 'invalid_model_spec' }));
  });

  it('concurrent loads share one engine; a loaded backend answers at once', async () => {
    const { backend, mod } = overFake();
    const [a, b] = await Promise.all([backend.load(), backend.load()]);
    expect(a).toEqual(b);
    await backend.load();
    expect(mod.engines).toHaveLength(1);
  });

  it('the cache key is webllm:<id>', () => {
    expect(webllmCacheKey({ id: MODEL_ID })).toBe(`webllm:${MODEL_ID}`);
  });
});

describe("webllm load over the recording fake MLCEngine: web-llm's progress as ours", () => {
  async function seen(cached: boolean, bytes?: number): Promise<Progress[]> {
    const out: Progress[] = [];
    const { backend } = overFake({ progress: progressReports(cached) }, bytes ? { bytes } : {});
    await backend.load({ onProgress: (p) => out.push({ ...p }) });
    return out;
  }

  it('a first load: network while fetching, cache while reading; one label; never back; the total only once ready', async () => {
    const ps = await seen(false);
    expect(new Set(ps.map((p) => p.file))).toEqual(new Set(['mlc weights']));
    expect(ps.every((p) => p.totalBytes === 1000 && p.total === 1000 && p.loaded === p.totalLoaded)).toBe(true);
    for (let i = 1; i < ps.length; i++) expect(ps[i]!.totalLoaded).toBeGreaterThanOrEqual(ps[i - 1]!.totalLoaded);
    const fetching = ps.slice(0, 4);
    expect(fetching.map((p) => p.source)).toEqual(['network', 'network', 'network', 'network']);
    // Fetching spans 0–80 %: the last shard fetched is not the end of the load.
    expect(fetching.at(-1)?.totalLoaded).toBe(800);
    expect(ps.slice(4, 8).every((p) => p.source === 'cache')).toBe(true);
    expect(ps.slice(0, -1).every((p) => p.totalLoaded < 1000)).toBe(true);
    expect(ps.at(-1)).toMatchObject({ totalLoaded: 1000, loaded: 1000 });
    expect(ps.filter((p) => p.totalLoaded === 1000)).toHaveLength(1);
  });

  it('a cached load reads from the cache from 0 %', async () => {
    const ps = await seen(true);
    expect(ps[0]).toMatchObject({ source: 'cache', totalLoaded: Math.floor(0.95 * 0.25 * 1000) });
    expect(ps.every((p) => p.source === 'cache')).toBe(true);
  });

  it("uses the spec's bytes as the scale when given", async () => {
    const ps = await seen(false, 200_000_000);
    expect(ps.every((p) => p.totalBytes === 200_000_000)).toBe(true);
    expect(ps[3]?.totalLoaded).toBe(160_000_000);
    expect(ps.at(-1)?.totalLoaded).toBe(200_000_000);
  });

  it('reports the total only after the engine is ready', async () => {
    const { backend, mod } = overFake({ progress: progressReports(false) });
    let readyAtTotal: boolean | undefined;
    await backend.load({ onProgress: (p) => { if (p.totalLoaded === p.totalBytes) readyAtTotal = mod.engines[0]?.loadedModel === MODEL_ID; } });
    expect(readyAtTotal).toBe(true);
  });

  it('an onProgress that throws fails the load typed (invalid_request) and frees the engine', async () => {
    const { backend, mod } = overFake();
    const e = await rejection(backend.load({ onProgress: () => { throw new Error('bad bar'); } }));
    expect(isEdgewiseError(e) && e.code).toBe('invalid_request');
    await new Promise((r) => setTimeout(r, 30));
    expect(mod.calls.some((c) => c.method === 'unload')).toBe(true);
    expect(mod.engines[0]?.loadedModel).toBeUndefined();
  });
});

/**
 * The adapter over the real `@mlc-ai/web-llm` 0.2.86 in Node. Node has no WebGPU, no
 * `location` and no IndexedDB, so a real load stops early (web-llm reads
 * `location.origin` before its first fetch) and never reaches its fetch or GPU checks;
 * those paths run in Chromium. What Node does prove: web-llm is imported lazily and only
 * on demand, its real prebuilt list drives the id check, and what its real code throws
 * comes out typed with the original as the cause.
 */
import * as webllm from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import { createWebLLMBackend, type WebLLMModule } from '../../../src/backends/webllm/index.js';
import { isEdgewiseError } from '../../../src/errors.js';
import { MODEL_ID, rejection, request } from './harness.js';

describe('webllm adapter over the real @mlc-ai/web-llm module, in Node', () => {
  it('loads web-llm only when asked, and only once', async () => {
    let imports = 0;
    const backend = createWebLLMBackend({ engine: 'webllm', id: MODEL_ID }, { loadModule: () => { imports++; return import('@mlc-ai/web-llm'); } });
    backend.supports({ threads: false, cores: 1, storageManager: false, online: true });
    expect(imports).toBe(0);
    await rejection(backend.load());
    await rejection(backend.load());
    expect(imports).toBe(1);
  });

  it('a real load fails typed, with what web-llm threw as the cause', async () => {
    const backend = createWebLLMBackend({ engine: 'webllm', id: MODEL_ID });
    const e = await rejection(backend.load());
    expect(isEdgewiseError(e)).toBe(true);
    expect(e).toMatchObject({ code: 'runtime_error', details: { modelId: MODEL_ID, phase: 'load' } });
    expect((e as Error).cause).toBeInstanceOf(Error);
    await backend.unload();
  });

  it("the real prebuilt list decides the ids: an unknown one is invalid_model_spec", async () => {
    const backend = createWebLLMBackend({ engine: 'webllm', id: 'SmolLM2-9000B-MLC' });
    const e = await rejection(backend.load());
    expect(e).toMatchObject({ code: 'invalid_model_spec' });
    expect((e as Error).message).toMatch(/-MLC'/);
  });

  it("web-llm's real cache calls fail typed where there is no IndexedDB", async () => {
    const backend = createWebLLMBackend({ engine: 'webllm', id: MODEL_ID });
    const e = await rejection(backend.cacheHas());
    expect(e).toMatchObject({ code: 'cache_error', details: { phase: 'cache' } });
    expect(String((e as Error).cause)).toMatch(/indexedDB/);
  });

  it('the real module fits the slice the adapter uses', () => {
    const slice: WebLLMModule = webllm;
    expect(typeof slice.MLCEngine).toBe('function');
    expect(slice.prebuiltAppConfig.model_list.some((m) => m.model_id === MODEL_ID)).toBe(true);
  });
});

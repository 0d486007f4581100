/**
 * web-llm's failures as typed errors, through the adapter over the recording fake
 * MLCEngine (scripted to throw web-llm's errors) and straight through the mapper with
 * errors web-llm's real code throws in Node. The original is always the `cause`.
 */
import { describe, expect, it } from 'vitest';
import { toEdgewiseError } from '../../../src/backends/webllm/failure.js';
import { isEdgewiseError, type EdgewiseErrorCode } from '../../../src/errors.js';
import { collect, overFake, rejection, request } from './harness.js';
import { copiedErrors, realErrors } from './webllm-errors.js';

type Source = () => Error | Promise<Error>;

const LOAD_CASES: readonly [string, Source, EdgewiseErrorCode][] = [
  ['WebGPUNotAvailableError (real)', realErrors.webgpuNotAvailable, 'webgpu_unavailable'],
  ['no adapter (real, navigator.gpu stubbed)', realErrors.noAdapter, 'webgpu_unavailable'],
  ['maxBufferSize too small (real, navigator.gpu stubbed)', realErrors.smallBuffer, 'webgpu_unavailable'],
  ['WebGPUNotFoundError', copiedErrors.webgpuNotFound, 'webgpu_unavailable'],
  ['FeatureSupportError', copiedErrors.feature, 'webgpu_unavailable'],
  ['ShaderF16SupportError', copiedErrors.shaderF16, 'missing_shader_f16'],
  ['DeviceLostError', copiedErrors.deviceLost, 'device_lost'],
  ['a 404 through the IndexedDB cache', copiedErrors.http404, 'model_not_found'],
  ['offline through the IndexedDB cache', copiedErrors.offline, 'model_not_found'],
  ['a 404 through the Cache API', copiedErrors.cacheApi404, 'model_not_found'],
  ['ModelNotFoundError (real)', realErrors.modelNotFound, 'invalid_model_spec'],
  ['IntegrityError (real)', realErrors.integrity, 'integrity_error'],
  ['quota', copiedErrors.quota, 'quota_exceeded'],
  ['anything else', copiedErrors.other, 'runtime_error'],
];

describe('webllm load errors, over the recording fake MLCEngine scripted with web-llm errors', () => {
  for (const [what, make, code] of LOAD_CASES) {
    it(`${what} → ${code}, cause kept, engine unloaded`, async () => {
      const error = await make();
      const { backend, mod } = overFake({ loadError: () => error });
      const e = await rejection(backend.load());
      expect(isEdgewiseError(e) && e.code).toBe(code);
      expect((e as Error).cause).toBe(error);
      expect((e as Error).message).toContain(error.message.slice(0, 40));
      await new Promise((r) => setTimeout(r, 10));
      expect(mod.calls.some((c) => c.method === 'unload')).toBe(true);
    });
  }

  it('a device failure makes supports() say no; a later successful load clears it', async () => {
    const { backend, mod } = overFake({ loadError: copiedErrors.shaderF16 });
    await rejection(backend.load());
    const caps = { threads: false, cores: 1, storageManager: false, online: true };
    expect(backend.supports(caps)).toMatchObject({ ok: false, code: 'load_failed' });
    mod.script = {};
    await backend.load();
    expect(backend.supports(caps)).toEqual({ ok: true });
  });
});

const STREAM_CASES: readonly [string, Source, EdgewiseErrorCode][] = [
  ['DeviceLostError', copiedErrors.deviceLost, 'device_lost'],
  ['a device loss from the GPU runtime', copiedErrors.deviceLostMidStream, 'device_lost'],
  ['ContextWindowSizeExceededError', copiedErrors.contextWindow, 'context_overflow'],
  ["web-llm's RangeError (a sampling option)", copiedErrors.configRange, 'invalid_sampling'],
  ['anything else', copiedErrors.other, 'runtime_error'],
];

describe('webllm errors mid-stream, over the recording fake MLCEngine', () => {
  for (const [what, make, code] of STREAM_CASES) {
    it(`${what} after two parts → thrown typed ${code}; the next request works`, async () => {
      const error = await make();
      const { backend, mod } = overFake({ errorAfter: { chunks: 2, error: () => error } });
      await backend.load();
      const texts: string[] = [];
      let thrown: unknown;
      try {
        for await (const p of backend.generate(request())) if (p.type === 'text') texts.push(p.text);
      } catch (e) {
        thrown = e;
      }
      expect(texts).toHaveLength(2);
      expect(isEdgewiseError(thrown) && thrown.code).toBe(code);
      expect((thrown as Error).cause).toBe(error);
      mod.script = {};
      expect((await collect(backend.generate(request()))).at(-1)).toMatchObject({ type: 'finish', reason: 'stop' });
    });
  }

  it("web-llm's own request validation (real MessageOrderError) reaches the caller typed", async () => {
    const e = toEdgewiseError(await realErrors.messageOrder(), 'generate', 'm');
    expect(e.code).toBe('invalid_message');
  });

  it('a request before the model is loaded (real ModelNotLoadedError) is a runtime_error with its cause', async () => {
    const cause = await realErrors.modelNotLoaded();
    const e = toEdgewiseError(cause, 'generate', 'm');
    expect(e.code).toBe('runtime_error');
    expect(e.cause).toBe(cause);
    expect(e.details).toMatchObject({ webllmError: 'ModelNotLoadedError', phase: 'generate' });
  });

  it("the built-in RangeError is not taken for web-llm's", () => {
    expect(toEdgewiseError(new RangeError('Invalid array length'), 'generate', 'm').code).toBe('runtime_error');
  });

  it('an EdgewiseError passes through unchanged; a thrown string still gets a typed error', () => {
    const typed = toEdgewiseError('boom', 'load', 'm');
    expect(typed.code).toBe('runtime_error');
    expect(toEdgewiseError(typed, 'load', 'm')).toBe(typed);
  });
});

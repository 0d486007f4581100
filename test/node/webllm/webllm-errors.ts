/**
 * web-llm's failures for the tests, as close to the real thing as Node allows.
 *
 * Real: thrown by web-llm 0.2.86's own code in Node (no GPU, no `navigator` in Node 20;
 * `navigator.gpu` stubbed where said), or `IntegrityError`, the one class it exports.
 * Copies: classes web-llm does not export and Node cannot reach (they need a GPU, or a
 * reload that gets past its fetches), rebuilt with the `name` and message the 0.2.86
 * bundle gives them (`lib/index.js`); the plain `Error`s its caches throw, with their text.
 */
import * as webllm from '@mlc-ai/web-llm';
import { vi } from 'vitest';

async function caught(f: () => Promise<unknown>): Promise<Error> {
  try {
    await f();
  } catch (e) {
    if (e instanceof Error) return e;
    throw new Error(`expected an Error, got ${String(e)}`);
  }
  throw new Error('expected web-llm to throw');
}

async function withGpu<T>(gpu: unknown, f: () => Promise<T>): Promise<T> {
  vi.stubGlobal('navigator', { gpu });
  // web-llm logs its buffer-size fallback with console.log.
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    return await f();
  } finally {
    log.mockRestore();
    vi.unstubAllGlobals();
  }
}

/** Errors web-llm's real code throws in Node. */
export const realErrors = {
  /** `WebGPUNotAvailableError`: `detectGPUDevice()` finds no `navigator.gpu`. */
  webgpuNotAvailable: () => caught(() => new webllm.MLCEngine().getGPUVendor()),
  /** A plain Error: `requestAdapter()` answered null. */
  noAdapter: () => withGpu({ requestAdapter: async () => null }, () => caught(() => new webllm.MLCEngine().getGPUVendor())),
  /** A plain Error: the adapter's maxBufferSize is under 256 MB. */
  smallBuffer: () => withGpu({ requestAdapter: async () => ({ limits: { maxBufferSize: 1 << 20 }, features: new Set() }) }, () => caught(() => new webllm.MLCEngine().getGPUVendor())),
  /** `ModelNotFoundError`: the id is not in the appConfig. */
  modelNotFound: () => caught(() => new webllm.MLCEngine({ appConfig: { model_list: [] } }).reload('no-such-model')),
  /** `ModelNotLoadedError`: a request before reload(). */
  modelNotLoaded: () => caught(() => new webllm.MLCEngine().chat.completions.create({ messages: [{ role: 'user', content: 'hi' }], stream: true })),
  /** `MessageOrderError`: the last message is not from the user. */
  messageOrder: () => caught(async () => webllm.postInitAndCheckFieldsChatCompletion({ messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }] }, 'm', webllm.ModelType.LLM)),
  integrity: async () => new webllm.IntegrityError('https://example.test/params_shard_0.bin', 'sha256-a', 'sha256-b'),
};

function copy(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

/** Copies of what web-llm throws where Node cannot take it. */
export const copiedErrors = {
  shaderF16: () => copy('ShaderF16SupportError', 'This model requires WebGPU extension shader-f16, which is not enabled in this browser. You can try to launch Chrome Canary in command line with flag "--enable-dawn-features=allow_unsafe_apis".'),
  feature: () => copy('FeatureSupportError', 'This model requires feature subgroups, which is not yet supported by this browser.'),
  deviceLost: () => copy('DeviceLostError', 'The WebGPU device was lost while loading the model. This issue often occurs due to running out of memory (OOM). To resolve this, try reloading with a model that has fewer parameters or uses a smaller context length.'),
  webgpuNotFound: () => copy('WebGPUNotFoundError', 'Cannot find WebGPU in the environment'),
  contextWindow: () => copy('ContextWindowSizeExceededError', 'Prompt tokens exceed context window size: number of prompt tokens: 5000; context window size: 4096\nConsider shortening the prompt, or increase `context_window_size`, or using sliding window via `sliding_window_size`.'),
  configRange: () => copy('RangeError', 'Make sure 0 < top_p <= 1.'),
  /** web-llm's IndexedDB cache on a 404. */
  http404: () => new Error('Failed to store https://huggingface.co/mlc-ai/x/resolve/main/mlc-chat-config.json with error: Error: Network response was not ok'),
  /** web-llm's IndexedDB cache when the network is down (Chromium's fetch text). */
  offline: () => new Error('Failed to store https://huggingface.co/mlc-ai/x/resolve/main/mlc-chat-config.json with error: TypeError: Failed to fetch'),
  /** web-llm's Cache API backend on a 404 (Chromium's text). */
  cacheApi404: () => new TypeError("Failed to execute 'add' on 'Cache': Request failed"),
  /** A device loss surfacing mid-decode from the GPU runtime rather than as DeviceLostError. */
  deviceLostMidStream: () => new Error('GPUDevice was lost: Device lost during onSubmittedWorkDone'),
  quota: () => new Error('Failed to store https://x/params_shard_3.bin with error: QuotaExceededError: The quota has been exceeded.'),
  /** Anything else: stays runtime_error. */
  other: () => new TypeError("Cannot read properties of undefined (reading 'origin')"),
};

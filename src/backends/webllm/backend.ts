/**
 * The web-llm backend: an MLC model compiled for WebGPU, run by `@mlc-ai/web-llm` inside
 * the SDK's worker. web-llm does the fetching, caching (in its own IndexedDB databases),
 * tokenising and decoding; this adapter gives it the Backend v2 shape: typed errors, our
 * `Progress`, an `AbortSignal` for load and generate, and one finish part per stream.
 */
import { EdgewiseError, isEdgewiseError } from '../../errors.js';
import type { WebLLMModelSpec } from '../../config-types.js';
import type { Backend, BackendInfo, BackendLoadOptions, BackendPart, BackendRequest } from '../backend.js';
import { toEdgewiseError } from './failure.js';
import { contextWindow, checkSpec, needsShaderF16, resolveModel, type ResolvedWebLLMModel } from './model.js';
import { importWebLLM, memoModule, type WebLLMEngine, type WebLLMModule } from './module.js';
import { abortedError, openEngine } from './open.js';
import { Serial } from './serial.js';
import { LoadSlot } from './slot.js';
import { streamChat } from './stream.js';
import { webllmSupport } from './support.js';

export interface WebLLMDeps {
  /** Where `@mlc-ai/web-llm` comes from; default `import('@mlc-ai/web-llm')`, on first use. */
  loadModule?: () => Promise<WebLLMModule>;
}

export interface WebLLMBackend extends Backend {
  /** Always undefined: web-llm has no tokenizer call short of loading the model's pipeline. */
  countTokens(request: Pick<BackendRequest, 'prompt' | 'messages'>): number | undefined;
  /** Whether web-llm's cache holds the model's weights (through its `hasModelInCache`). */
  cacheHas(): Promise<boolean>;
  /** Deletes the model's weights, library and config from web-llm's cache; true when the weights were there. */
  cacheDelete(): Promise<boolean>;
}

interface Loaded {
  engine: WebLLMEngine;
  modelId: string;
  info: BackendInfo;
}

const quiet = (p: Promise<unknown>): Promise<void> => p.then(() => undefined, () => undefined);

async function* failing(e: EdgewiseError): AsyncGenerator<BackendPart, void, undefined> {
  yield* [];
  throw e;
}

/**
 * @example
 * const backend = createWebLLMBackend({ engine: 'webllm', id: 'SmolLM2-360M-Instruct-q4f16_1-MLC' });
 * await backend.load({ onProgress: (p) => console.log(p.totalLoaded / p.totalBytes) });
 * for await (const part of backend.generate(request)) if (part.type === 'text') out += part.text;
 */
export function createWebLLMBackend(spec: WebLLMModelSpec, deps: WebLLMDeps = {}): WebLLMBackend {
  checkSpec(spec);
  const webllm = memoModule(deps.loadModule ?? importWebLLM);
  const serial = new Serial();
  const needsF16 = needsShaderF16(spec);
  const slot = new LoadSlot<Loaded>();
  let lastLoadError: EdgewiseError | undefined;

  async function resolved(): Promise<{ mod: WebLLMModule; model: ResolvedWebLLMModel }> {
    const mod = await webllm();
    return { mod, model: resolveModel(spec, mod.prebuiltAppConfig) };
  }

  async function open(o: BackendLoadOptions, stop: AbortSignal): Promise<Loaded> {
    const signal = o.signal ? AbortSignal.any([o.signal, stop]) : stop;
    if (signal.aborted) throw abortedError();
    const { mod, model } = await resolved();
    const engine = await openEngine(mod, model, { signal, bytes: spec.bytes, onProgress: o.onProgress });
    const contextLength = contextWindow(model.record);
    const info: BackendInfo = { ranOn: 'webllm', engine: 'webllm', hasChatTemplate: true, ...(contextLength ? { contextLength } : {}) };
    return { engine, modelId: model.modelId, info };
  }

  return {
    specificationVersion: 'v2',
    id: 'webllm',
    location: 'local',

    supports: (_request, capabilities) => webllmSupport(capabilities, needsF16, lastLoadError),

    /** Concurrent calls share one load, governed by the first caller's signal. */
    load(o: BackendLoadOptions = {}): Promise<BackendInfo> {
      const l = slot.value;
      if (l) return Promise.resolve(l.info);
      return slot.load((stop) => open(o, stop).then(
        (opened) => { lastLoadError = undefined; return opened; },
        (e: unknown) => { if (isEdgewiseError(e) && e.code !== 'aborted') lastLoadError = e; throw e; },
      )).then((opened) => opened.info);
    },

    countTokens: () => undefined,

    generate(request: BackendRequest, go: { signal?: AbortSignal } = {}): AsyncIterable<BackendPart> {
      const l = slot.value;
      if (!l) return failing(new EdgewiseError('runtime_error', 'generate() ran before the model was loaded; this is a bug in edgewise.'));
      return streamChat(request, { engine: l.engine, modelId: l.modelId, serial, signal: go.signal });
    },

    async unload(): Promise<void> {
      const l = await slot.take();
      if (!l) return;
      try {
        // A stream still running would otherwise hold the GPU until max_tokens.
        const r: unknown = l.engine.interruptGenerate();
        if (r instanceof Promise) await quiet(r);
        await l.engine.unload();
      } catch (e) {
        throw toEdgewiseError(e, 'unload', l.modelId);
      }
    },

    async cacheHas(): Promise<boolean> {
      const { mod, model } = await resolved();
      try {
        return await mod.hasModelInCache(model.modelId, model.appConfig);
      } catch (e) {
        throw toEdgewiseError(e, 'cache', model.modelId);
      }
    },

    async cacheDelete(): Promise<boolean> {
      const { mod, model } = await resolved();
      try {
        const had = await mod.hasModelInCache(model.modelId, model.appConfig);
        // Always delete: a partial download leaves shards that hasModelInCache does not count.
        await mod.deleteModelAllInfoInCache(model.modelId, model.appConfig);
        return had;
      } catch (e) {
        throw toEdgewiseError(e, 'cache', model.modelId);
      }
    },
  };
}

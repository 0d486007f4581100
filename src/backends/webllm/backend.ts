/**
 * The web-llm backend: an MLC model compiled for WebGPU, run by `@mlc-ai/web-llm` inside
 * the SDK's worker. web-llm does the fetching, caching (in its own IndexedDB databases),
 * tokenising, decoding and constrained decoding; this adapter gives it the `BackendV3`
 * shape: declared capabilities, typed errors, our `Progress`, an `AbortSignal` for load
 * and generate, response formats and tool calls, and one finish part per stream.
 */
import { EdgewiseError, isEdgewiseError } from '../../errors.js';
import type { WebLLMModelSpec } from '../../config-types.js';
import type { ModelInfo } from '../../types.js';
import type { BackendLoadOptions, BackendPart, BackendRequest, BackendState, BackendV3, GenerateOptions } from '../backend.js';
import { cacheCall } from './cache.js';
import { toEdgewiseError } from './failure.js';
import { webllmCapabilities } from './capabilities.js';
import { contextWindow, checkSpec, needsShaderF16, resolveModel, type ResolvedWebLLMModel } from './model.js';
import { importWebLLM, memoModule, type WebLLMEngine, type WebLLMModule } from './module.js';
import { abortedError, openEngine } from './open.js';
import { planChat, type ChatPlan } from './request.js';
import { Serial } from './serial.js';
import { LoadSlot } from './slot.js';
import { streamChat } from './stream.js';
import { webllmSupport } from './support.js';

export interface WebLLMDeps {
  /** Where `@mlc-ai/web-llm` comes from; default `import('@mlc-ai/web-llm')`, on first use. */
  loadModule?: () => Promise<WebLLMModule>;
}

/** A web-llm generation backend: `BackendV3` plus web-llm's own cache calls. */
export interface WebLLMBackend extends BackendV3 {
  generate(request: BackendRequest, options?: GenerateOptions): AsyncIterable<BackendPart>;
  /** Whether web-llm's cache holds the weights; false where the cache cannot be read. */
  isCached(): Promise<boolean>;
  /** Whether web-llm's cache holds the model's weights (through its `hasModelInCache`). */
  cacheHas(): Promise<boolean>;
  /** Deletes the model's weights, library and config from web-llm's cache; true when the weights were there. */
  cacheDelete(): Promise<boolean>;
}

interface Loaded {
  engine: WebLLMEngine;
  modelId: string;
  info: ModelInfo;
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
  /** The record's context window: the spec's own record at once, the prebuilt one once resolved. */
  const own = spec.record?.overrides?.context_window_size;
  let contextLength = typeof own === 'number' && own > 0 ? own : undefined;

  async function resolved(): Promise<{ mod: WebLLMModule; model: ResolvedWebLLMModel }> {
    const mod = await webllm();
    const model = resolveModel(spec, mod.prebuiltAppConfig);
    contextLength = contextWindow(model.record);
    return { mod, model };
  }

  async function open(o: BackendLoadOptions, stop: AbortSignal): Promise<Loaded> {
    const signal = o.signal ? AbortSignal.any([o.signal, stop]) : stop;
    if (signal.aborted) throw abortedError();
    const { mod, model } = await resolved();
    const engine = await openEngine(mod, model, { signal, bytes: spec.bytes, onProgress: o.onProgress });
    const window = contextWindow(model.record);
    const info: ModelInfo = { ranOn: 'webllm', engine: 'webllm', hasChatTemplate: true, ...(window ? { contextLength: window } : {}) };
    return { engine, modelId: model.modelId, info };
  }

  const cache = async (op: 'has' | 'delete'): Promise<boolean> => cacheCall((await resolved()).mod, spec, op);

  return {
    specificationVersion: 'v3',
    kind: 'webllm',
    location: 'local',
    capabilities: webllmCapabilities(spec.id),

    get state(): BackendState {
      const l = slot.value;
      return {
        ranOn: 'webllm',
        loaded: l !== undefined,
        loadError: lastLoadError,
        info: l?.info,
        contextLength,
        weightBytes: spec.bytes,
      };
    },

    supports: (capabilities) => webllmSupport(capabilities, needsF16, lastLoadError),

    /** Concurrent calls share one load, governed by the first caller's signal. */
    load(o: BackendLoadOptions = {}): Promise<ModelInfo> {
      const l = slot.value;
      if (l) return Promise.resolve(l.info);
      return slot.load((stop) => open(o, stop).then(
        (opened) => { lastLoadError = undefined; return opened; },
        (e: unknown) => { if (isEdgewiseError(e) && e.code !== 'aborted') lastLoadError = e; throw e; },
      )).then((opened) => opened.info);
    },

    generate(request: BackendRequest, go: GenerateOptions = {}): AsyncIterable<BackendPart> {
      const l = slot.value;
      if (!l) return failing(new EdgewiseError('runtime_error', 'generate() ran before the model was loaded; this is a bug in edgewise.'));
      let plan: ChatPlan;
      try {
        plan = planChat(request, l.modelId);
      } catch (e) {
        return failing(toEdgewiseError(e, 'generate', l.modelId));
      }
      return streamChat(request, plan, { engine: l.engine, modelId: l.modelId, serial, signal: go.signal });
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

    // A cache that cannot be read holds nothing the router may count on.
    isCached: () => cache('has').catch(() => false),
    cacheHas: () => cache('has'),
    cacheDelete: () => cache('delete'),
  };
}

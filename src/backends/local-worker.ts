/**
 * The page-side face of the worker's generation model: presents the worker's ONNX
 * backend as a Backend. The worker's life (start, death, restart, dispose) belongs to
 * the shared `WorkerHandle`; a death fails every call in flight with `worker_crashed`
 * and the next call loads again (from the cache) in a fresh worker.
 */
import type { ResolvedModel } from '../model/spec.js';
import { streamParts } from '../stream.js';
import type { ModelInfo } from '../types.js';
import type { WorkerHandle } from '../worker/handle.js';
import type { Backend, BackendLoadOptions, BackendPart, BackendRequest } from './backend.js';
import { ModelSlot } from './model-slot.js';
import type { OnnxConfig } from './onnx/backend.js';
import { abortedFinish } from './parts.js';

export interface LocalWorkerBackend extends Backend {
  readonly model: Readonly<ResolvedModel>;
  readonly loaded: boolean;
  /** The error of the last failed load, until a load succeeds. */
  readonly loadError: ModelSlot<ModelInfo>['loadError'];
  readonly info: ModelInfo | undefined;
  readonly bytes: number | undefined;
  /** The exact prompt length with the loaded tokenizer; undefined before load. */
  countTokens(request: Pick<BackendRequest, 'prompt' | 'messages'>): Promise<number | undefined>;
  /** Whether the model's weights are fully in IndexedDB. */
  isCached(): Promise<boolean>;
  /** Forgets the loaded model (its cache entry was deleted). */
  forget(): void;
}

export function createLocalWorkerBackend(handle: WorkerHandle, model: ResolvedModel, config: OnnxConfig): LocalWorkerBackend {
  const slot = new ModelSlot<ModelInfo>(handle, model.key, (c, requestId, onProgress) => c.api.load(model, { ...config, requestId }, onProgress));

  return {
    specificationVersion: 'v2',
    id: 'onnx',
    location: 'local',
    model,
    bytes: model.bytes,
    get loaded() { return slot.loaded; },
    get loadError() { return slot.loadError; },
    get info() { return slot.info; },
    supports: () => (slot.loadError ? { ok: false, code: 'load_failed', detail: slot.loadError.message } : { ok: true }),
    load: (o: BackendLoadOptions = {}) => slot.load(o),

    generate(request: BackendRequest, o: { signal?: AbortSignal } = {}): AsyncIterable<BackendPart> {
      async function* run(): AsyncGenerator<BackendPart> {
        if (o.signal?.aborted) {
          yield abortedFinish(request.startedAt, slot.info?.ranOn ?? 'wasm');
          return;
        }
        const c = handle.worker();
        const requestId = handle.begin();
        try {
          yield* streamParts({
            start: (onParts) => c.guard(c.api.generate({ ...request, requestId }, onParts)),
            abort: () => { if (!c.dead) void c.api.abort(requestId); },
          }, o.signal);
        } finally {
          handle.end(requestId);
        }
      }
      return run();
    },

    countTokens: (request) => (slot.loaded ? handle.call((api) => api.countTokens(request)) : Promise.resolve(undefined)),
    isCached: () => handle.call((api) => api.cacheHas(model.key)),
    forget: () => slot.reset(),

    async unload(): Promise<void> {
      slot.reset();
      const c = handle.running();
      if (c) await c.guard(c.api.unload()).catch(() => undefined);
    },
  };
}

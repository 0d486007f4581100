/**
 * The page-side face of the inference worker: presents the worker's ONNX backend as a
 * Backend, and owns the worker's life. It starts the worker on first use, shares one
 * load among callers, and when the worker dies it fails every call in flight with
 * `worker_crashed` and starts a fresh worker (and load, from the cache) on the next call.
 */
import { proxy } from 'comlink';
import { EdgewiseError } from '../errors.js';
import type { ResolvedModel } from '../model/spec.js';
import { streamParts } from '../stream.js';
import type { ModelInfo, Progress } from '../types.js';
import { startWorker, type WorkerClient } from '../worker/client.js';
import type { Backend, BackendLoadOptions, BackendPart, BackendRequest } from './backend.js';
import type { OnnxConfig } from './onnx/backend.js';
import { abortedFinish } from './parts.js';
import { SharedLoad } from './shared-load.js';

/** How long dispose() lets the worker finish cancelled requests before ending it. */
const DISPOSE_GRACE_MS = 300;

export interface LocalWorkerBackend extends Backend {
  readonly model: Readonly<ResolvedModel>;
  readonly loaded: boolean;
  /** The error of the last failed load, until a load succeeds. */
  readonly loadError: EdgewiseError | undefined;
  readonly info: ModelInfo | undefined;
  /** The exact prompt length with the loaded tokenizer; undefined before load. */
  countTokens(request: Pick<BackendRequest, 'prompt' | 'messages'>): Promise<number | undefined>;
  /** Runs a cache operation in the worker (which owns the store), starting it if needed. */
  withWorker<T>(op: (api: WorkerClient['api']) => Promise<T>): Promise<T>;
  readonly bytes: number | undefined;
  /** Whether the model's weights are fully in IndexedDB. */
  isCached(): Promise<boolean>;
  /** Forgets the loaded model (its cache entry was deleted). */
  forget(): void;
  dispose(): Promise<void>;
}

export function createLocalWorkerBackend(model: ResolvedModel, config: OnnxConfig): LocalWorkerBackend {
  let client: WorkerClient | undefined;
  let disposed = false;
  let nextId = 1;
  let info: ModelInfo | undefined;
  let loadError: EdgewiseError | undefined;
  let progressListeners = new Set<(p: Progress) => void>();
  // Requests in flight, so dispose() can cancel them instead of waiting for them.
  const active = new Set<number>();

  function worker(): WorkerClient {
    if (disposed) throw new EdgewiseError('disposed', 'The engine was disposed; create a new one with createEngine().');
    if (!client || client.dead) {
      client = startWorker(config.assetsUrl, () => {
        // The weights and the session died with the worker: the next call loads again.
        shared.reset();
        info = undefined;
      });
    }
    return client;
  }

  // One load for everyone; progress goes to every caller that asked for it meanwhile.
  const shared = new SharedLoad<ModelInfo>(async (signal) => {
    const c = worker();
    const requestId = nextId++;
    const onAbort = (): void => { if (!c.dead) void c.api.abort(requestId); };
    signal.addEventListener('abort', onAbort, { once: true });
    const onProgress = proxy((p: Progress) => {
      for (const l of progressListeners) {
        // An app's progress bug must not fail the load; it still shows in the console.
        try { l(p); } catch (e) { globalThis.reportError?.(e); }
      }
    });
    active.add(requestId);
    try {
      info = await c.guard(c.api.load(model, { ...config, requestId }, onProgress));
      loadError = undefined;
      return info;
    } catch (e) {
      if (!(e instanceof EdgewiseError && (e.code === 'aborted' || e.code === 'disposed'))) loadError = e instanceof EdgewiseError ? e : undefined;
      throw e;
    } finally {
      active.delete(requestId);
      signal.removeEventListener('abort', onAbort);
      progressListeners = new Set();
    }
  });

  const call = <T>(op: (api: WorkerClient['api']) => Promise<T>): Promise<T> => {
    try {
      const c = worker();
      return c.guard(op(c.api));
    } catch (e) {
      return Promise.reject(e);
    }
  };

  return {
    specificationVersion: 'v2',
    id: 'onnx',
    location: 'local',
    model,
    get loaded() { return shared.done; },
    get loadError() { return loadError; },
    get info() { return info; },
    supports: () => (loadError ? { ok: false, code: 'load_failed', detail: loadError.message } : { ok: true }),

    load(o: BackendLoadOptions = {}): Promise<ModelInfo> {
      if (disposed) return Promise.reject(new EdgewiseError('disposed', 'The engine was disposed; create a new one with createEngine().'));
      if (o.onProgress && !shared.done) progressListeners.add(o.onProgress);
      return shared.join(o.signal);
    },

    generate(request: BackendRequest, o: { signal?: AbortSignal } = {}): AsyncIterable<BackendPart> {
      const requestId = nextId++;
      async function* run(): AsyncGenerator<BackendPart> {
        if (o.signal?.aborted) {
          yield abortedFinish(request.startedAt, info?.ranOn ?? 'wasm');
          return;
        }
        const c = worker();
        active.add(requestId);
        try {
          yield* streamParts({
            start: (onParts) => c.guard(c.api.generate({ ...request, requestId }, onParts)),
            abort: () => { if (!c.dead) void c.api.abort(requestId); },
          }, o.signal);
        } finally {
          active.delete(requestId);
        }
      }
      return run();
    },

    countTokens: (request) => (shared.done ? call((api) => api.countTokens(request)) : Promise.resolve(undefined)),
    withWorker: (op) => call(op),
    bytes: model.bytes,
    isCached: () => call((api) => api.cacheHas(model.key)),
    forget() {
      shared.reset();
      info = undefined;
    },

    async unload(): Promise<void> {
      shared.reset();
      info = undefined;
      if (client && !client.dead) await client.guard(client.api.unload()).catch(() => undefined);
    },

    async dispose(): Promise<void> {
      if (disposed) return;
      disposed = true;
      shared.reset();
      const c = client;
      client = undefined;
      if (!c || c.dead) return;
      for (const id of active) void c.api.abort(id);
      // Cancelled requests get their `abort` finish from the worker (queued behind the
      // aborts); a stuck or dead worker gets no more than the grace period.
      const grace = new Promise<void>((resolve) => setTimeout(resolve, DISPOSE_GRACE_MS));
      await Promise.race([c.guard(c.api.unload()).catch(() => undefined), grace]);
      c.terminate();
    },
  };
}

/**
 * The worker side of the contract: owns the backend, the weights and the runtime.
 * Requests run one at a time (a session cannot run two decode loops at once); aborts
 * bypass the queue, and a request aborted while it waits leaves at once.
 */
import { releaseProxy, transfer, type Remote } from 'comlink';
import type { BackendPart, EmbedRequest, EmbedResult } from '../backends/backend.js';
import { createOnnxBackend, loseDeviceForTests } from '../backends/onnx/backend.js';
import { createWebLLMBackend, createWebLLMEmbedder } from '../backends/webllm/index.js';
import { createOnnxEmbedder, type EmbedderInfo, type OnnxEmbedder } from '../backends/onnx/embedder.js';
import { abortedFinish } from '../backends/parts.js';
import { EdgewiseError } from '../errors.js';
import { partBatcher } from './batch.js';
import { cacheUsage, clearCache, deleteCachedModel, hasCachedModel, listCachedModels } from '../store/index.js';
import type { ModelInfo, Progress } from '../types.js';
import type { Backend, BackendRequest } from '../backends/backend.js';
import type { ResolvedModel, ResolvedWorkerModel, WorkerApi, WorkerGenerateRequest, WorkerLoadOptions } from './protocol.js';

/** What the host needs of a generation backend in the worker (ONNX or web-llm). */
type WorkerGenerator = Backend & {
  countTokens(request: Pick<BackendRequest, 'prompt' | 'messages'>): number | undefined;
  liveGpuTensors?(): number;
};

type Callback<T> = ((value: T) => void) | Remote<(value: T) => void>;

function release(cb: unknown): void {
  const r = cb as { [releaseProxy]?: () => void } | undefined;
  r?.[releaseProxy]?.();
}

const SKIPPED = Symbol('skipped');

export function createHost(): WorkerApi {
  const controllers = new Map<number, AbortController>();
  let queue: Promise<unknown> = Promise.resolve();
  /** The generation model: ONNX, or web-llm (which shares the shape the host needs). */
  let backend: { key: string; onnx: WorkerGenerator } | undefined;
  let embedder: { key: string; onnx: OnnxEmbedder } | undefined;

  /**
   * Runs `task` after the ones queued before it. If the request is aborted while it
   * waits, `onQueuedAbort` settles the call at once and the task is skipped when its turn
   * comes: an aborted request neither waits for the queue nor runs later.
   */
  function enqueue<T>(requestId: number, task: (signal: AbortSignal) => Promise<T>, onQueuedAbort: () => T, done: () => void): Promise<T> {
    const controller = new AbortController();
    controllers.set(requestId, controller);
    let started = false;
    const run = queue.then(async () => {
      started = true;
      try {
        return controller.signal.aborted ? SKIPPED : await task(controller.signal);
      } finally {
        done();
      }
    });
    queue = run.catch(() => undefined);
    const early = new Promise<T>((resolve, reject) => {
      controller.signal.addEventListener('abort', () => {
        if (started) return;
        try { resolve(onQueuedAbort()); } catch (e) { reject(e); }
      }, { once: true });
    });
    const settled = Promise.race([run.then((v) => v as T), early]);
    settled.then(() => controllers.delete(requestId), () => controllers.delete(requestId));
    return settled;
  }

  /** Queue work that must not overlap a running request (releasing the session). */
  function serial<T>(task: () => Promise<T>): Promise<T> {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  }

  async function dropBackend(): Promise<void> {
    const b = backend;
    backend = undefined;
    await b?.onnx.unload();
  }

  async function dropEmbedder(): Promise<void> {
    const e = embedder;
    embedder = undefined;
    await e?.onnx.unload();
  }

  async function embedderFor(model: ResolvedWorkerModel, o: WorkerLoadOptions): Promise<OnnxEmbedder> {
    if (embedder?.key === model.key) return embedder.onnx;
    await dropEmbedder();
    embedder = {
      key: model.key,
      onnx: model.engine === 'webllm'
        ? createWebLLMEmbedder(model.spec)
        : createOnnxEmbedder(model, { cache: o.cache, eviction: o.eviction, numThreads: o.numThreads, assetsUrl: o.assetsUrl }),
    };
    return embedder.onnx;
  }

  async function backendFor(model: ResolvedWorkerModel, o: WorkerLoadOptions): Promise<WorkerGenerator> {
    if (backend?.key === model.key) return backend.onnx;
    await dropBackend();
    const onnx: WorkerGenerator = model.engine === 'webllm'
      ? createWebLLMBackend(model.spec)
      : createOnnxBackend(model, { cache: o.cache, eviction: o.eviction, numThreads: o.numThreads, assetsUrl: o.assetsUrl, ...(o.device ? { device: o.device } : {}), ...(o.wasmWeights ? { wasmWeights: o.wasmWeights } : {}) });
    backend = { key: model.key, onnx };
    return onnx;
  }

  return {
    hello(lockName: string): Promise<void> {
      const locks = globalThis.navigator?.locks;
      // Without Web Locks (insecure contexts) the page falls back to the worker's error event.
      if (!locks) return Promise.resolve();
      return new Promise((resolve) => {
        void locks.request(lockName, () => {
          resolve();
          // Held for the worker's whole life: the browser releases it when the worker dies.
          return new Promise<never>(() => undefined);
        });
      });
    },

    load(model: ResolvedWorkerModel, o: WorkerLoadOptions, onProgress?: Callback<Progress>): Promise<ModelInfo> {
      return enqueue(o.requestId, async (signal) => {
        const onnx = await backendFor(model, o);
        return onnx.load({ signal, ...(onProgress ? { onProgress: (p: Progress) => void onProgress(p) } : {}) });
      }, () => {
        throw new EdgewiseError('aborted', 'Loading was aborted.');
      }, () => release(onProgress));
    },

    generate(request: WorkerGenerateRequest, onParts: Callback<BackendPart[]>): Promise<void> {
      return enqueue(request.requestId, async (signal) => {
        const onnx = backend?.onnx;
        if (!onnx) throw new EdgewiseError('runtime_error', 'generate() ran before the model was loaded; this is a bug in edgewise.');
        // Unawaited and batched: no round trip per token, no flood of messages either.
        const push = partBatcher((parts) => void onParts(parts));
        for await (const part of onnx.generate(request, { signal })) push(part);
      }, () => void onParts([abortedFinish(request.startedAt, 'wasm')]), () => release(onParts));
    },

    loadEmbedder(model: ResolvedWorkerModel, o: WorkerLoadOptions, onProgress?: Callback<Progress>): Promise<EmbedderInfo> {
      return enqueue(o.requestId, async (signal) => {
        const onnx = await embedderFor(model, o);
        return onnx.load({ signal, ...(onProgress ? { onProgress: (p: Progress) => void onProgress(p) } : {}) });
      }, () => {
        throw new EdgewiseError('aborted', 'Loading was aborted.');
      }, () => release(onProgress));
    },

    embed(request: EmbedRequest & { requestId: number }, onBatch?: Callback<number>): Promise<EmbedResult> {
      return enqueue(request.requestId, async (signal) => {
        const onnx = embedder?.onnx;
        if (!onnx) throw new EdgewiseError('runtime_error', 'embed() ran before the embedding model was loaded; this is a bug in edgewise.');
        const result = await onnx.embed(request, { signal, ...(onBatch ? { onBatch: (done: number) => void onBatch(done) } : {}) });
        // Hand the vectors' memory to the page instead of copying it (each buffer once).
        return transfer(result, [...new Set(result.vectors.map((v) => v.buffer as ArrayBuffer))]);
      }, () => {
        throw new EdgewiseError('aborted', 'Embedding was aborted.');
      }, () => release(onBatch));
    },

    countTokens: async (request) => backend?.onnx.countTokens(request),
    info: async () => ({ liveGpuTensors: backend?.onnx.liveGpuTensors?.() ?? 0 }),
    loseDeviceForTests: () => loseDeviceForTests(),

    abort(requestId: number): void {
      controllers.get(requestId)?.abort();
    },

    cacheList: () => listCachedModels(),
    cacheUsage: () => cacheUsage(),
    cacheHas: (key) => hasCachedModel(key),
    cacheDelete: async (key) => {
      if (key === backend?.key) await serial(dropBackend);
      if (key === embedder?.key) await serial(dropEmbedder);
      return deleteCachedModel(key);
    },
    cacheClear: () => clearCache(),
    webllmCache: async (model, op) => {
      if (model.engine !== 'webllm') return false;
      if (op === 'delete' && backend?.key === model.key) await serial(dropBackend);
      const w = createWebLLMBackend(model.spec);
      return op === 'has' ? w.cacheHas() : w.cacheDelete();
    },
    unload: () => serial(async () => {
      await dropBackend();
      await dropEmbedder();
    }),
  };
}

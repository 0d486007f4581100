/**
 * The worker side of the contract: owns the backend, the weights and the runtime.
 * Requests run one at a time (a session cannot run two decode loops at once); aborts
 * bypass the queue.
 */
import { releaseProxy, type Remote } from 'comlink';
import { createOnnxBackend } from '../backends/onnx/backend.js';
import { EdgewiseError } from '../errors.js';
import { cacheUsage, clearCache, deleteCachedModel, hasCachedModel, listCachedModels } from '../store/index.js';
import type { Part, Progress } from '../types.js';
import type { ModelInfo, ResolvedModel, WorkerApi, WorkerGenerateRequest, WorkerLoadOptions } from './protocol.js';

type Callback<T> = ((value: T) => void) | Remote<(value: T) => void>;

function release(cb: unknown): void {
  const r = cb as { [releaseProxy]?: () => void } | undefined;
  r?.[releaseProxy]?.();
}

export function createHost(): WorkerApi {
  const backend = createOnnxBackend();
  const controllers = new Map<number, AbortController>();
  let queue: Promise<unknown> = Promise.resolve();
  let loadedKey: string | undefined;

  function serial<T>(task: () => Promise<T>): Promise<T> {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  }

  function track(requestId: number): AbortController {
    const c = new AbortController();
    controllers.set(requestId, c);
    return c;
  }

  return {
    load(model: ResolvedModel, o: WorkerLoadOptions, onProgress?: Callback<Progress>): Promise<ModelInfo> {
      const controller = track(o.requestId);
      return serial(async () => {
        try {
          if (controller.signal.aborted) throw new EdgewiseError('aborted', 'Loading was aborted.');
          const info = await backend.load(model, {
            cache: o.cache, eviction: o.eviction, numThreads: o.numThreads, assetsUrl: o.assetsUrl, signal: controller.signal,
            ...(onProgress ? { onProgress: (p: Progress) => void onProgress(p) } : {}),
          });
          loadedKey = model.key;
          return info;
        } finally {
          controllers.delete(o.requestId);
          release(onProgress);
        }
      });
    },

    generate(request: WorkerGenerateRequest, onParts: Callback<Part[]>): Promise<void> {
      const controller = track(request.requestId);
      return serial(async () => {
        try {
          // Unawaited: one message per part, no round trip per token.
          await backend.generate(request, controller.signal, (part) => void onParts([part]));
        } finally {
          controllers.delete(request.requestId);
          release(onParts);
        }
      });
    },

    abort(requestId: number): void {
      controllers.get(requestId)?.abort();
    },

    cacheList: () => listCachedModels(),
    cacheUsage: () => cacheUsage(),
    cacheHas: (key) => hasCachedModel(key),
    cacheDelete: async (key) => {
      if (key === loadedKey) await serial(() => backend.unload());
      return deleteCachedModel(key);
    },
    cacheClear: () => clearCache(),
    unload: () => serial(() => backend.unload()),
  };
}


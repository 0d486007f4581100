/**
 * `engine.cache`: the weight store the worker owns (ONNX models, both kinds), plus
 * web-llm's own cache for the engine's web-llm models. Every method rejects (never
 * throws) on a bad spec, and forgets a loaded model whose weights it deletes.
 */
import { EdgewiseError } from './errors.js';
import { cacheKey, resolveModel, resolveWebLLM, type ResolvedWorkerModel } from './model/spec.js';
import type { CacheUsage, CachedModelInfo } from './types.js';
import type { LocalModelSpec } from './config-types.js';
import { disposedError, type WorkerHandle } from './worker/handle.js';

export interface EngineCache {
  /** Models in the IndexedDB cache (edgewise's and web-llm's), with sizes and last use. */
  list(): Promise<CachedModelInfo[]>;
  /** Bytes edgewise holds, plus the origin's quota and usage. */
  usage(): Promise<CacheUsage>;
  /** Whether a model (default: this engine's first) is fully cached, so it loads offline. */
  has(model?: LocalModelSpec): Promise<boolean>;
  /** Removes a model (default: this engine's first) from the cache. */
  delete(model?: LocalModelSpec): Promise<boolean>;
  /** Removes every cached model edgewise stored (web-llm's own cache is left alone). */
  clear(): Promise<void>;
}

export interface CacheDeps {
  handle: WorkerHandle | undefined;
  disposed: () => boolean;
  /** The engine's worker models, the first being the default. */
  models: readonly ResolvedWorkerModel[];
  /** Forgets a loaded model by key (undefined: all of them). */
  forget: (key?: string) => void;
}

function resolve(spec: LocalModelSpec | undefined, models: readonly ResolvedWorkerModel[]): ResolvedWorkerModel {
  if (spec === undefined) {
    const first = models[0];
    if (!first) throw new EdgewiseError('invalid_model_spec', 'This engine has no local model of its own: pass the model to ask about, e.g. cache.has({ id, url }).');
    return first;
  }
  if (spec.engine === 'builtin') throw new EdgewiseError('invalid_model_spec', "The browser's built-in model is stored by the browser, not by edgewise; it has no cache entry here.");
  if (spec.engine === 'webllm') return resolveWebLLM(spec);
  const m = resolveModel(spec);
  return { ...m, key: cacheKey(m.id, m.dtype) };
}

export function createEngineCache(d: CacheDeps): EngineCache {
  const worker = async <T>(op: (h: WorkerHandle) => Promise<T>): Promise<T> => {
    if (d.disposed()) throw disposedError();
    if (!d.handle) throw new EdgewiseError('invalid_model_spec', 'This engine has no local model, so it has no weight cache; pass createEngine({ model }).');
    return op(d.handle);
  };
  return {
    list: () => worker(async (h) => {
      const stored = await h.call((api) => api.cacheList());
      for (const m of d.models) {
        if (m.engine !== 'webllm' || !(await h.call((api) => api.webllmCache(m, 'has')).catch(() => false))) continue;
        stored.push({ key: m.key, url: m.spec.record?.model ?? `web-llm prebuilt model ${m.id}`, bytes: m.bytes ?? 0, files: 0, lastUsed: 0, complete: true });
      }
      return stored;
    }),
    usage: () => worker((h) => h.call((api) => api.cacheUsage())),
    has: async (spec) => {
      const m = resolve(spec, d.models);
      return worker((h) => h.call((api) => (m.engine === 'webllm' ? api.webllmCache(m, 'has') : api.cacheHas(m.key))));
    },
    delete: async (spec) => {
      const m = resolve(spec, d.models);
      return worker(async (h) => {
        d.forget(m.key);
        return h.call((api) => (m.engine === 'webllm' ? api.webllmCache(m, 'delete') : api.cacheDelete(m.key)));
      });
    },
    clear: () => worker(async (h) => {
      d.forget();
      return h.call((api) => api.cacheClear());
    }),
  };
}

/**
 * `engine.cache`: the weight store the worker owns, plus the stores of kinds that keep
 * their own (web-llm), for the engine's models or any spec an app names. Every method
 * rejects (never throws) on a bad spec, and forgets a loaded model whose weights it deletes.
 */
import { EdgewiseError } from './errors.js';
import type { ResolvedWorkerModel } from './model/spec.js';
import { resolveStored } from './registry.js';
import type { IndexInfo } from './search/types.js';
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
  /** Removes a model (default: this engine's first) from the cache, derived weight forms included. */
  delete(model?: LocalModelSpec): Promise<boolean>;
  /** Removes every cached model edgewise stored (web-llm's own cache is left alone; search indexes too). */
  clear(): Promise<void>;
  /** The search indexes stored on this origin (`edgewise/search`), with their model, size and counts. */
  indexes(): Promise<IndexInfo[]>;
  /** Deletes a stored search index and everything of it; false when there was none. */
  deleteIndex(name: string): Promise<boolean>;
}

export interface CacheDeps {
  handle: WorkerHandle | undefined;
  disposed: () => boolean;
  /** The engine's worker models, the first being the default. */
  models: readonly ResolvedWorkerModel[];
}

function resolve(spec: LocalModelSpec | undefined, models: readonly ResolvedWorkerModel[]): ResolvedWorkerModel {
  if (spec === undefined) {
    const first = models[0];
    if (!first) throw new EdgewiseError('invalid_model_spec', 'This engine has no local model of its own: pass the model to ask about, e.g. cache.has({ id, url }).');
    return first;
  }
  const m = resolveStored(spec, 'generate');
  if (!m) throw new EdgewiseError('invalid_model_spec', 'This model is stored by the browser (the built-in model) or by your own backend, not by edgewise; it has no cache entry here.');
  return m;
}

export function createEngineCache(d: CacheDeps): EngineCache {
  const worker = async <T>(op: (h: WorkerHandle) => Promise<T>): Promise<T> => {
    if (d.disposed()) throw disposedError();
    if (!d.handle) throw new EdgewiseError('invalid_model_spec', 'This engine has no local model, so it has no weight cache; pass createEngine({ model }).');
    return op(d.handle);
  };
  return {
    list: () => worker((h) => h.call((api) => api.cacheList(d.models))),
    usage: () => worker((h) => h.call((api) => api.cacheUsage())),
    has: async (spec) => {
      const m = resolve(spec, d.models);
      return worker((h) => h.call((api) => api.cacheHas(m)));
    },
    delete: async (spec) => {
      const m = resolve(spec, d.models);
      return worker(async (h) => {
        h.forget(m.key);
        return h.call((api) => api.cacheDelete(m));
      });
    },
    clear: () => worker(async (h) => {
      h.forget();
      return h.call((api) => api.cacheClear());
    }),
    // The index database is not the weight cache: no worker needed, so remote-only engines list them too.
    indexes: async () => (await import('./search/catalog.js')).listIndexes(),
    deleteIndex: async (name) => (await import('./search/catalog.js')).deleteIndex(name),
  };
}

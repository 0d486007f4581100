/** Listing, measuring and deleting cached models. */
import { EdgewiseError } from '../errors.js';
import type { CacheUsage, CachedModelInfo } from '../types.js';
import { clearAll, defaultStore, deleteModel, getAllRecords, getModelRecords, storedBytes, type FileRecord, type UseStore } from './idb.js';
import { withModelLock } from './lock.js';
import { defaultEstimate } from './quota.js';

async function guard<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw new EdgewiseError('cache_error', `Could not ${what} (IndexedDB failed: ${e instanceof Error ? e.message : String(e)}). Try again; if it persists, clear this site's storage.`, { cause: e });
  }
}

function summarize(key: string, records: readonly FileRecord[]): CachedModelInfo {
  return {
    key,
    url: records[0]?.baseUrl ?? '',
    bytes: records.reduce((sum, r) => sum + storedBytes(r), 0),
    files: records.length,
    lastUsed: Math.max(0, ...records.map((r) => r.lastUsed)),
    complete: records.length > 0 && records.every((r) => r.state === 'complete'),
  };
}

/**
 * Every model with stored files, most recently used first. `complete` is false while
 * any of its files is partly downloaded.
 * @example
 * for (const m of await listCachedModels()) console.log(m.key, m.bytes, m.complete);
 */
export async function listCachedModels(store: UseStore = defaultStore()): Promise<CachedModelInfo[]> {
  const records = await guard('list cached models', () => getAllRecords(store));
  const byModel = new Map<string, FileRecord[]>();
  for (const r of records) byModel.set(r.model, [...(byModel.get(r.model) ?? []), r]);
  return [...byModel].map(([key, list]) => summarize(key, list)).sort((a, b) => b.lastUsed - a.lastUsed);
}

/**
 * Bytes held by edgewise, with the origin's storage figures where the browser gives them.
 * @example
 * const { bytes, quota, usage } = await cacheUsage();
 */
export async function cacheUsage(store: UseStore = defaultStore()): Promise<CacheUsage> {
  const records = await guard('measure the cache', () => getAllRecords(store));
  const usage: CacheUsage = { bytes: records.reduce((sum, r) => sum + storedBytes(r), 0) };
  const estimate = defaultEstimate();
  const figures = estimate ? await estimate().catch(() => undefined) : undefined;
  if (figures?.quota !== undefined) usage.quota = figures.quota;
  if (figures?.usage !== undefined) usage.usage = figures.usage;
  const storage = globalThis.navigator?.storage;
  if (typeof storage?.persisted === 'function') {
    const persisted = await storage.persisted().catch(() => undefined);
    if (persisted !== undefined) usage.persisted = persisted;
  }
  return usage;
}

/**
 * True when the model has stored files and all of them are complete; with `paths`, when
 * each of those files is stored complete. Reads no chunk, so it does not detect damage
 * (the next load does, and repairs it).
 * @example
 * if (await hasCachedModel('stories260K:q4', ['config.json', 'onnx/model_q4.onnx'])) showOfflineBadge();
 */
export async function hasCachedModel(key: string, paths?: readonly string[], store: UseStore = defaultStore()): Promise<boolean> {
  const records = await guard('read the cache', () => getModelRecords(store, key));
  if (paths !== undefined) return paths.every((p) => records.get(p)?.state === 'complete');
  return records.size > 0 && [...records.values()].every((r) => r.state === 'complete');
}

/**
 * Deletes every stored file of a model, complete or partial. Waits for a running load
 * of the same model to finish first.
 * @returns true when something was deleted.
 * @example
 * await deleteCachedModel('stories260K:q4');
 */
export async function deleteCachedModel(key: string, store: UseStore = defaultStore()): Promise<boolean> {
  return withModelLock(key, undefined, () =>
    guard(`delete ${key}`, async () => {
      const had = (await getModelRecords(store, key)).size > 0;
      await deleteModel(store, key);
      return had;
    }),
  );
}

/**
 * Deletes every model edgewise stored.
 * @example
 * await clearCache();
 */
export async function clearCache(store: UseStore = defaultStore()): Promise<void> {
  await guard('clear the cache', () => clearAll(store));
}

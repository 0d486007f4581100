/** Storage room: the quota preflight, persistence, LRU eviction and quota errors. */
import { EdgewiseError } from '../errors.js';
import { deleteModel, getAllRecords, storedBytes, type UseStore } from './idb.js';

/** Same shape as `navigator.storage.estimate()`; injectable for tests. */
export type EstimateFn = () => Promise<{ quota?: number; usage?: number }>;

/** `navigator.storage.estimate`, or undefined where the platform lacks it. */
export function defaultEstimate(): EstimateFn | undefined {
  const storage = globalThis.navigator?.storage;
  if (typeof storage?.estimate !== 'function') return undefined;
  return () => storage.estimate();
}

/** Free bytes according to the estimate, or undefined when unknown. */
export async function availableBytes(estimate: EstimateFn | undefined): Promise<number | undefined> {
  if (!estimate) return undefined;
  try {
    const { quota, usage } = await estimate();
    if (quota === undefined) return undefined;
    return Math.max(0, quota - (usage ?? 0));
  } catch {
    // An estimate that fails tells us nothing; the writes themselves still guard the quota.
    return undefined;
  }
}

/** True for the DOMException a browser throws when a write exceeds the quota. */
export function isQuotaError(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'QuotaExceededError';
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** The `quota_exceeded` error, with both numbers in the message and in `details`. */
export function quotaError(needed: number, available: number | undefined, cause?: unknown): EdgewiseError {
  const room = available === undefined ? 'an unknown amount' : `${available} bytes (${mb(available)})`;
  const message =
    `Not enough storage for the model: it needs ${needed} more bytes (${mb(needed)}) and the browser allows ${room}. ` +
    "Free space with engine.cache.delete(model) or engine.cache.clear(), create the engine with eviction: 'lru' to evict least recently used models, or load with cache: false.";
  const details = { needed, available: available ?? null };
  return new EdgewiseError('quota_exceeded', message, cause === undefined ? { details } : { details, cause });
}

interface RoomRequest {
  store: UseStore;
  /** The model being loaded: never evicted to make room for itself. */
  key: string;
  needed: number;
  estimate: EstimateFn | undefined;
  eviction: 'none' | 'lru';
}

/**
 * Makes sure `needed` bytes fit, evicting least recently used other models when allowed.
 * Freed bytes are counted from our own records rather than a new estimate, because
 * browsers update `usage` lazily after deletes.
 * @throws EdgewiseError `quota_exceeded` when the bytes do not fit.
 */
export async function ensureRoom(req: RoomRequest): Promise<void> {
  let available = await availableBytes(req.estimate);
  if (available === undefined || req.needed <= available) return;
  if (req.eviction === 'lru') {
    const victims = await evictionOrder(req.store, req.key);
    // Evict nothing when even evicting everything would not make room.
    if (victims.reduce((sum, v) => sum + v.bytes, available) >= req.needed) {
      for (const victim of victims) {
        await deleteModel(req.store, victim.key);
        available += victim.bytes;
        if (req.needed <= available) return;
      }
    }
  }
  throw quotaError(req.needed, available);
}

interface ModelUse {
  key: string;
  bytes: number;
  lastUsed: number;
}

/** Other models, least recently used first. */
async function evictionOrder(store: UseStore, keep: string): Promise<ModelUse[]> {
  const models = new Map<string, ModelUse>();
  for (const r of await getAllRecords(store)) {
    if (r.model === keep) continue;
    const m = models.get(r.model) ?? { key: r.model, bytes: 0, lastUsed: 0 };
    m.bytes += storedBytes(r);
    m.lastUsed = Math.max(m.lastUsed, r.lastUsed);
    models.set(r.model, m);
  }
  return [...models.values()].sort((a, b) => a.lastUsed - b.lastUsed);
}

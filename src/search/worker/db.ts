/**
 * The index database (`edgewise-indexes`, apart from the weight cache's
 * `edgewise-weights`): one connection per realm, a transaction helper that makes a whole
 * SearchWorkerApi call one IndexedDB transaction, and the mapping of IndexedDB failures
 * to typed errors. Raw IndexedDB, not idb-keyval: a call spans several object stores.
 */
import { EdgewiseError, isEdgewiseError } from '../../errors.js';

export const DB_NAME = 'edgewise-indexes';
const DB_VERSION = 1;

/** `meta`: name → MetaRecord; `docs`: [name, docId]; `chunks`: [name, docId, generation, seq]; `shadow`: [name, docId, seq] (reindex). */
export type StoreName = 'meta' | 'docs' | 'chunks' | 'shadow';
export const ALL_STORES: readonly StoreName[] = ['meta', 'docs', 'chunks', 'shadow'];

/**
 * TEST-ONLY fault injection, passed to createSearchHost() by a test's own worker; the
 * shipped worker never passes it, so apps cannot reach it. `beforeCommit` runs after a
 * write transaction has issued all its requests and may throw (a QuotaExceededError
 * DOMException, say): the transaction is then aborted as a full disk would abort it.
 */
export interface FaultsForTests {
  beforeCommit?(stores: readonly StoreName[]): void;
}

let opening: Promise<IDBDatabase> | undefined;

/** The shared connection, opened (and created or upgraded) on first use. */
export function openIndexDb(): Promise<IDBDatabase> {
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const r = indexedDB.open(DB_NAME, DB_VERSION);
    r.onupgradeneeded = () => {
      for (const s of ALL_STORES) if (!r.result.objectStoreNames.contains(s)) r.result.createObjectStore(s);
    };
    r.onsuccess = () => {
      const db = r.result;
      // Another realm upgrading or deleting the database must not wait on us; the browser
      // may also close it (storage cleared): the next call opens a fresh connection.
      db.onversionchange = () => {
        db.close();
        opening = undefined;
      };
      db.onclose = () => {
        opening = undefined;
      };
      resolve(db);
    };
    r.onerror = () => reject(r.error ?? new Error('indexedDB.open failed'));
    r.onblocked = () => reject(new DOMException('another tab holds an older version of the index database open', 'VersionError'));
  }).catch((e: unknown) => {
    opening = undefined;
    throw e;
  });
  return opening;
}

/** A request's result, awaited inside its transaction (the continuation runs while the transaction is active). */
export function req<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

/**
 * Runs `body` in one transaction over `stores` and resolves once it has committed. A
 * throw in `body` (or in the test fault hook) aborts it: IndexedDB then rolls back every
 * request it made, which is how a call is all-or-nothing. `body` must await only
 * IndexedDB requests, never timers or fetches, or the transaction commits early.
 */
export async function transact<T>(
  stores: readonly StoreName[],
  mode: IDBTransactionMode,
  body: (tx: IDBTransaction) => Promise<T>,
  context: { index: string; operation: string; faults?: FaultsForTests | undefined },
): Promise<T> {
  let tx: IDBTransaction;
  try {
    tx = (await openIndexDb()).transaction([...stores], mode);
  } catch (e) {
    throw storageError(e, context.index, context.operation);
  }
  const committed = new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new DOMException('The index transaction was aborted', 'AbortError'));
  });
  // A request's error also aborts the transaction; `onabort` reports it once.
  committed.catch(() => undefined);
  let result: T;
  try {
    result = await body(tx);
    if (mode === 'readwrite') context.faults?.beforeCommit?.(stores);
  } catch (e) {
    try {
      tx.abort();
    } catch {
      // Already aborted by the failing request.
    }
    await committed.catch(() => undefined);
    throw await withEstimate(storageError(e, context.index, context.operation));
  }
  try {
    await committed;
  } catch (e) {
    throw await withEstimate(storageError(e, context.index, context.operation));
  }
  return result;
}

/** A quota error with the origin's usage and quota in its details, when the browser says (after the abort, so no transaction waits on it). */
async function withEstimate(e: EdgewiseError): Promise<EdgewiseError> {
  if (e.code !== 'quota_exceeded') return e;
  try {
    const { usage, quota } = await navigator.storage.estimate();
    return new EdgewiseError(e.code, e.message, { cause: e.cause, details: { ...e.details, usage, quota } });
  } catch {
    return e;
  }
}

/** An IndexedDB failure as a typed error; EdgewiseErrors thrown inside a transaction pass through. */
export function storageError(e: unknown, index: string, operation: string): EdgewiseError {
  if (isEdgewiseError(e)) return e;
  const name = e instanceof DOMException || e instanceof Error ? e.name : 'Error';
  const message = e instanceof Error || e instanceof DOMException ? e.message : String(e);
  if (name === 'QuotaExceededError') {
    return new EdgewiseError(
      'quota_exceeded',
      `The browser's storage is full, so ${operation} on index "${index}" stored nothing. Free space (engine.cache.deleteIndex() of an unused index, or engine.cache.clear() of cached models) and retry.`,
      { cause: e, details: { index, operation } },
    );
  }
  return new EdgewiseError(
    'cache_error',
    `IndexedDB failed during ${operation} on index "${index}" (${name}: ${message}); the index is as it was before the call. Retry, or delete and rebuild the index if it keeps failing.`,
    { cause: e, details: { index, operation, name } },
  );
}

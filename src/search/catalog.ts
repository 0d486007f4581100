/**
 * The stored search indexes as `engine.cache` lists and deletes them: the index
 * database's meta records (a few hundred bytes each), read or deleted here, in the
 * caller's realm, under the same Web Lock the search worker writes with. A lazy chunk,
 * but the IIFE build inlines it, so it keeps to a raw transaction and one error (the
 * worker's transaction helper and quota messages stay out of the page's budget).
 */
import { EdgewiseError } from '../errors.js';
import { DB_NAME, openIndexDb } from './worker/db.js';
import { checkName, withLock } from './worker/names.js';
import { dropRecords, toInfo, type MetaRecord } from './worker/records.js';
import type { IndexInfo } from './types.js';

/** False when the origin has no index database, so a listing does not create an empty one. */
async function databaseExists(): Promise<boolean> {
  if (typeof indexedDB.databases !== 'function') return true;
  return (await indexedDB.databases()).some((d) => d.name === DB_NAME);
}

async function inTransaction<T>(mode: IDBTransactionMode, body: (tx: IDBTransaction) => Promise<T>): Promise<T> {
  try {
    const tx = (await openIndexDb()).transaction(['meta', 'docs', 'chunks', 'shadow'], mode);
    const done = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onabort = () => reject(tx.error ?? new DOMException('aborted', 'AbortError'));
    });
    const result = await body(tx);
    await done;
    return result;
  } catch (e) {
    throw new EdgewiseError('cache_error', `IndexedDB failed on the search index database (${String(e)}); nothing was changed. Retry, or reload the page if it keeps failing.`, { cause: e });
  }
}

/**
 * Every stored index.
 * @example
 * for (const i of await listIndexes()) console.log(i.name, i.model, i.docs, i.bytes);
 */
export async function listIndexes(): Promise<IndexInfo[]> {
  if (!(await databaseExists())) return [];
  return inTransaction('readonly', (tx) => new Promise<IndexInfo[]>((resolve, reject) => {
    const r = tx.objectStore('meta').getAll();
    r.onsuccess = () => resolve((r.result as MetaRecord[]).map(toInfo));
    r.onerror = () => reject(r.error ?? new Error('IndexedDB getAll failed'));
  }));
}

/**
 * Deletes an index and all its records in one transaction; false when there was none.
 * A search worker holding it notices at its next call (the index is gone).
 * @example
 * await deleteIndex('notes');
 */
export async function deleteIndex(name: string): Promise<boolean> {
  checkName(name);
  if (!(await databaseExists())) return false;
  return withLock(name, () => inTransaction('readwrite', (tx) => dropRecords(tx, name)));
}

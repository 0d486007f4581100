/**
 * The stored search indexes as `engine.cache` lists and deletes them: the index
 * database's own records, read or deleted here (in the caller's realm) with the same
 * functions and the same Web Lock the search worker uses. A lazy chunk.
 */
import { DB_NAME } from './worker/db.js';
import { checkName, withLock } from './worker/names.js';
import { dropIndex, listAll } from './worker/store.js';
import type { IndexInfo } from './types.js';

/** False when the origin has no index database, so a listing does not create an empty one. */
async function databaseExists(): Promise<boolean> {
  if (typeof indexedDB.databases !== 'function') return true;
  return (await indexedDB.databases()).some((d) => d.name === DB_NAME);
}

/**
 * Every stored index (meta records only: a few hundred bytes each).
 * @example
 * for (const i of await listIndexes()) console.log(i.name, i.model, i.docs, i.bytes);
 */
export async function listIndexes(): Promise<IndexInfo[]> {
  if (!(await databaseExists())) return [];
  return listAll();
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
  return withLock(name, () => dropIndex(name));
}

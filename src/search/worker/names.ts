/** Index names: the key of an index in IndexedDB and in its Web Lock. */
import { EdgewiseError } from '../../errors.js';

const NAME = /^[\w.-]{1,64}$/;

export function checkName(name: unknown): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new EdgewiseError('invalid_index', `Index name ${JSON.stringify(name)} is not valid: use 1 to 64 letters, digits, '.', '_' or '-'.`, {
      details: { reason: 'name', name: typeof name === 'string' ? name : String(name) },
    });
  }
  return name;
}

/** The error for a call on an index that is not stored (dropped by another tab, or never created). */
export function notFound(name: string): EdgewiseError {
  return new EdgewiseError('invalid_index', `There is no index named "${name}": create it with createIndex({ engine, name }) first.`, {
    details: { reason: 'not_found', name },
  });
}

/**
 * Runs `fn` holding the index's Web Lock, so two tabs (two workers) writing one index take
 * turns. IndexedDB already serialises overlapping readwrite transactions; the lock also
 * orders each worker's reload of its in-memory vectors against the other's writes.
 */
export async function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks) return fn();
  return await locks.request(`edgewise-index:${name}`, fn);
}

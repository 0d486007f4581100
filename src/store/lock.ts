/**
 * Serializes work on one model across tabs and workers with the Web Locks API, so two
 * loads of the same model never write the same chunks at once: the second one waits and
 * then finds the files cached. Where Web Locks are missing (insecure contexts), runs unlocked.
 */
export async function withModelLock<T>(key: string, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
  const locks = globalThis.navigator?.locks;
  if (!locks) return fn();
  return locks.request(`edgewise-store:${key}`, signal ? { signal } : {}, () => fn());
}

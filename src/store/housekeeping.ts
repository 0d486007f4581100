/**
 * Cache writes that outlive the request that started them. Deleting the part of a weight
 * rewrite a cancelled load had stored takes 20–150 ms of IndexedDB work at 1.7B: the
 * cancelled load settles without waiting for it, and the worker is not ended before it is
 * done (`WorkerApi.idle`, awaited by `dispose()` before it terminates the worker).
 */
const pending = new Set<Promise<unknown>>();

export function finishInBackground(work: Promise<unknown>): void {
  const settled = work.then(() => undefined, () => undefined);
  pending.add(settled);
  void settled.then(() => pending.delete(settled));
}

/** Resolves once no background work is left (work started meanwhile included). */
export async function backgroundDone(): Promise<void> {
  while (pending.size > 0) await Promise.all([...pending]);
}

/**
 * Settles like `promise`, or rejects as soon as `signal` aborts: with `reason()` where given
 * (a typed error), else with the signal's reason. The promise goes on, unwatched: for work
 * that cannot itself be cancelled (an IndexedDB request, a user's token callback) but that
 * an abort must not wait for.
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined, reason?: () => unknown): Promise<T> {
  if (!signal) return promise;
  const why = (): unknown => (reason ? reason() : signal.reason);
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) {
      promise.catch(() => undefined);
      return reject(why());
    }
    const onAbort = (): void => {
      promise.catch(() => undefined);
      reject(why());
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => { signal.removeEventListener('abort', onAbort); resolve(v); },
      (e: unknown) => { signal.removeEventListener('abort', onAbort); reject(e); },
    );
  });
}

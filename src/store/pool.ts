/**
 * Runs `fn` over `items` with at most `limit` in flight. The first failure aborts
 * `abort` (so the other tasks stop their streams), waits for them to settle, and is
 * the error thrown: later failures are consequences of that abort.
 */
export async function runPool<T>(items: readonly T[], limit: number, abort: AbortController, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined) {
      const item = items[next++];
      if (item === undefined) return;
      try {
        await fn(item);
      } catch (error) {
        if (failure === undefined) {
          failure = { error };
          abort.abort(error);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure.error;
}

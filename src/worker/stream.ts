/**
 * Adapts the worker's pushed parts into an AsyncIterable. Parts are queued as they
 * arrive; the iterator ends after the `finish` part. Leaving the loop early aborts
 * the request in the worker.
 */
import { proxy } from 'comlink';
import type { BackendPart as Part } from '../backends/backend.js';

export interface PartSource {
  /** Starts the request; parts arrive through `onParts`, the promise settles when the worker is done. */
  start(onParts: (parts: Part[]) => void): Promise<void>;
  /** Asks the worker to stop this request. */
  abort(): void;
}

export async function* streamParts(source: PartSource, signal: AbortSignal | undefined): AsyncGenerator<Part, void, undefined> {
  const queue: Part[] = [];
  let failed: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  let finished = false;
  const onAbort = (): void => source.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  const call = source.start(proxy((parts: Part[]) => {
    queue.push(...parts);
    wake?.();
  }));
  call.catch((error: unknown) => {
    failed = { error };
    wake?.();
  });
  try {
    for (;;) {
      let part: Part | undefined;
      while ((part = queue.shift()) !== undefined) {
        // Parts already in flight when the signal fired were made before the worker saw
        // the abort; dropping them makes the abort take effect at once for the caller.
        if (part.type === 'text' && signal?.aborted) continue;
        yield part;
        if (part.type === 'finish') {
          finished = true;
          return;
        }
      }
      if (failed) throw failed.error;
      await new Promise<void>((resolve) => { wake = resolve; });
      wake = undefined;
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (!finished && !failed) source.abort();
  }
}

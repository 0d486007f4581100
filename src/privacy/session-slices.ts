/**
 * The page-side step of a large redaction in slices: replacing ~7,000 spans of a 200 KB
 * paste costs the page 5 to 20 ms (the first time, before V8 has optimized the code), over
 * the 16 ms of a frame. The spans are applied in order and the page gets its thread back
 * whenever a slice has run `sliceMs`, so no single task of redaction outlasts a frame,
 * whatever the device. Small inputs finish in their first slice and never yield.
 */
import { EdgewiseError } from '../errors.js';

/** Spans applied between two looks at the clock: reading it per span would cost more than the span. */
const CHECK_EVERY = 128;

/** Hands the thread back for one turn: `scheduler.yield()` where there is one (it keeps the task's priority), else a macrotask. */
function yieldToPage(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export interface SliceClock {
  /** Called after every CHECK_EVERY units of work; resolves at once, or after a yield when the slice is spent. */
  tick(): Promise<void> | undefined;
  /** The longest slice so far, in ms. */
  longest(): number;
  /** Closes the last slice. */
  end(): void;
}

/** A clock for one step; `signal` is checked after each yield, so an abort stops the work between slices. */
export function sliceClock(sliceMs: number, signal?: AbortSignal): SliceClock {
  let start = performance.now();
  let longest = 0;
  let count = 0;
  const close = (): void => {
    longest = Math.max(longest, performance.now() - start);
  };
  return {
    tick() {
      if (++count % CHECK_EVERY !== 0 || performance.now() - start < sliceMs) return undefined;
      close();
      return yieldToPage().then(() => {
        // The same error the worker path gives when a request is aborted during detection.
        if (signal?.aborted) throw new EdgewiseError('aborted', 'Redaction was aborted by its signal.', { cause: signal.reason });
        start = performance.now();
      });
    },
    longest: () => longest,
    end: close,
  };
}

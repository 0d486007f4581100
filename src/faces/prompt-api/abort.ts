/** Settling a promise on abort, which the Prompt API requires at once, whatever the engine is doing. */
import { abortReason } from './errors.js';

/** `p`'s outcome, or the signal's reason as soon as it aborts (the work itself is cancelled through the same signal). */
export function raceAbort<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) {
    p.catch(() => undefined);
    return Promise.reject(abortReason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** One signal that aborts when any of them does (AbortSignal.any, as index.bs's dependent signals). */
export const anySignal = (signals: readonly (AbortSignal | undefined)[]): AbortSignal => {
  const list = signals.filter((s): s is AbortSignal => s !== undefined);
  return list.length === 1 ? (list[0] as AbortSignal) : AbortSignal.any(list);
};

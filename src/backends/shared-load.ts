/**
 * One load shared by every caller that asks while it runs. Each caller may leave at once
 * with its own signal; the load itself is cancelled only when every caller has left (a
 * caller without a signal never leaves). A failed or cancelled load does not stick: the
 * next caller starts a fresh one, which resumes the download from the cache.
 */
import { EdgewiseError } from '../errors.js';

interface Attempt<T> {
  promise: Promise<T>;
  controller: AbortController;
  /** Callers with a signal still waiting; callers without one pin the attempt. */
  waiting: number;
  pinned: boolean;
  settled: boolean;
}

export const abortedLoad = (): EdgewiseError => new EdgewiseError('aborted', 'Loading was aborted by its signal.');

export class SharedLoad<T> {
  private current: Attempt<T> | undefined;

  constructor(private readonly start: (signal: AbortSignal) => Promise<T>) {}

  /** True once a load succeeded and nothing reset it since. */
  get done(): boolean {
    return this.current?.settled === true;
  }

  join(signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(abortedLoad());
    const a = this.current ?? this.begin();
    if (a.settled) return a.promise;
    if (!signal) {
      a.pinned = true;
      return a.promise;
    }
    a.waiting++;
    return new Promise<T>((resolve, reject) => {
      const leave = (): void => {
        reject(abortedLoad());
        a.waiting--;
        if (a.waiting === 0 && !a.pinned && !a.settled) {
          a.controller.abort();
          if (this.current === a) this.current = undefined;
        }
      };
      signal.addEventListener('abort', leave, { once: true });
      a.promise.then(
        (v) => { signal.removeEventListener('abort', leave); resolve(v); },
        (e: unknown) => { signal.removeEventListener('abort', leave); reject(e); },
      );
    });
  }

  /** Forgets the current load (the model was unloaded or its worker died). */
  reset(): void {
    this.current?.controller.abort();
    this.current = undefined;
  }

  private begin(): Attempt<T> {
    const controller = new AbortController();
    const a: Attempt<T> = { promise: this.start(controller.signal), controller, waiting: 0, pinned: false, settled: false };
    this.current = a;
    a.promise.then(
      () => { a.settled = true; },
      () => { if (this.current === a) this.current = undefined; },
    );
    return a;
  }
}

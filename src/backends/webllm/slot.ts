/**
 * One engine load shared by concurrent callers, and an unload that stops it. The
 * generation backend and the embedder hold their engine the same way: a second `load()`
 * while one runs gets the same promise (governed by the first caller's signal), and
 * `take()` aborts a load in progress, waits for it to settle, then empties the slot.
 */

const quiet = (p: Promise<unknown>): Promise<void> => p.then(() => undefined, () => undefined);

export class LoadSlot<T> {
  #value: T | undefined;
  #pending: { promise: Promise<T>; stop: AbortController } | undefined;

  /** What the last load gave, until `take()`. */
  get value(): T | undefined {
    return this.#value;
  }

  /** `open` gets a signal that `take()` aborts; join it with the caller's own. */
  load(open: (stop: AbortSignal) => Promise<T>): Promise<T> {
    if (this.#value !== undefined) return Promise.resolve(this.#value);
    if (!this.#pending) {
      const stop = new AbortController();
      const promise: Promise<T> = open(stop.signal)
        .then((v) => { this.#value = v; return v; })
        .finally(() => { if (this.#pending?.promise === promise) this.#pending = undefined; });
      this.#pending = { promise, stop };
    }
    return this.#pending.promise;
  }

  /** Stops any load in progress and hands back what the slot held (undefined if nothing loaded). */
  async take(): Promise<T | undefined> {
    const pending = this.#pending;
    pending?.stop.abort();
    if (pending) await quiet(pending.promise);
    const v = this.#value;
    this.#value = undefined;
    return v;
  }
}

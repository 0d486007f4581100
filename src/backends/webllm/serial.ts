/**
 * One web-llm request at a time. web-llm serialises requests itself, but its
 * `interruptGenerate()` is engine-wide: an abort of a request still queued inside web-llm
 * would stop the one running. Queuing here instead means an interrupt only ever reaches
 * the request that asked for it, and a queued request can leave without touching web-llm.
 */

export type Release = () => void;

export class Serial {
  #tail: Promise<void> = Promise.resolve();

  /**
   * Resolves with a release function once every earlier holder has released, or with
   * `undefined` if the signal aborts first (the turn is then handed on unused).
   */
  acquire(signal?: AbortSignal): Promise<Release | undefined> {
    let release!: Release;
    const mine = new Promise<void>((resolve) => { release = resolve; });
    const before = this.#tail;
    this.#tail = before.then(() => mine);
    if (signal?.aborted) {
      release();
      return Promise.resolve(undefined);
    }
    return new Promise((resolve) => {
      const onAbort = (): void => resolve(undefined);
      signal?.addEventListener('abort', onAbort, { once: true });
      void before.then(() => {
        signal?.removeEventListener('abort', onAbort);
        // Whoever was ahead may have held the engine until now; an aborted turn passes on unused.
        if (signal?.aborted) release();
        else resolve(once(release));
      });
    });
  }
}

function once(f: () => void): Release {
  let called = false;
  return () => {
    if (!called) {
      called = true;
      f();
    }
  };
}

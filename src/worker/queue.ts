/**
 * The worker's request queue. A model cannot run two decode loops at once, so requests
 * run one at a time in arrival order; an abort bypasses the queue, and a request aborted
 * while it waits settles at once (through `onQueuedAbort`) and never runs.
 */
const SKIPPED = Symbol('skipped');

export class RequestQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly controllers = new Map<number, AbortController>();

  /**
   * Runs `task` after the ones queued before it. If request `requestId` is aborted while it
   * waits, `onQueuedAbort` settles the call at once and the task is skipped when its turn
   * comes: an aborted request neither waits for the queue nor runs later.
   */
  enqueue<T>(requestId: number, task: (signal: AbortSignal) => Promise<T>, onQueuedAbort: () => T, done: () => void = () => undefined): Promise<T> {
    const controller = new AbortController();
    this.controllers.set(requestId, controller);
    let started = false;
    const run = this.tail.then(async () => {
      started = true;
      try {
        return controller.signal.aborted ? SKIPPED : await task(controller.signal);
      } finally {
        done();
      }
    });
    this.tail = run.catch(() => undefined);
    const early = new Promise<T>((resolve, reject) => {
      controller.signal.addEventListener('abort', () => {
        if (started) return;
        try { resolve(onQueuedAbort()); } catch (e) { reject(e); }
      }, { once: true });
    });
    const settled = Promise.race([run.then((v) => v as T), early]);
    const forget = (): void => { this.controllers.delete(requestId); };
    settled.then(forget, forget);
    return settled;
  }

  /** Work that must not overlap a running request (releasing a session), queued like one. */
  serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task, task);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Cancels a queued or running request; unknown ids are ignored. */
  abort(requestId: number): void {
    this.controllers.get(requestId)?.abort();
  }
}

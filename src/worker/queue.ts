/**
 * The worker's request queue. A model cannot run two decode loops at once, so requests
 * run one at a time; an abort bypasses the queue, and a request aborted while it waits
 * settles at once (through `onQueuedAbort`) and never runs.
 *
 * Requests wait in lanes, one per page that shares the worker (one lane in a dedicated
 * worker): the next request comes from the lane after the last one served, so a tab
 * that queues ten requests delays another tab's request by one, not by ten. Within a
 * lane, arrival order.
 */
interface Waiting {
  start: () => Promise<unknown>;
}

export class RequestQueue {
  private readonly controllers = new Map<number, AbortController>();
  private readonly lanes = new Map<number, Waiting[]>();
  /** The lane served last; the next request comes from the lane after it. */
  private turn = -Infinity;
  private busy = false;

  /** `laneOf(requestId)`: whose request it is (a page sharing the worker); 0 for all by default. */
  constructor(private readonly laneOf: (requestId: number) => number = () => 0) {}

  /**
   * Runs `task` in its lane's turn. If request `requestId` is aborted while it waits,
   * `onQueuedAbort` settles the call at once and the task is skipped when its turn comes:
   * an aborted request neither waits for the queue nor runs later.
   */
  enqueue<T>(requestId: number, task: (signal: AbortSignal) => Promise<T>, onQueuedAbort: () => T, done: () => void = () => undefined): Promise<T> {
    const controller = new AbortController();
    this.controllers.set(requestId, controller);
    let started = false;
    const run = this.push(this.laneOf(requestId), async () => {
      started = true;
      try {
        // An aborted request settled through `early`; its turn passes without running it.
        return controller.signal.aborted ? undefined : await task(controller.signal);
      } finally {
        done();
      }
    });
    const early = new Promise<T>((resolve, reject) => {
      controller.signal.addEventListener('abort', () => {
        if (started) return;
        try { resolve(onQueuedAbort()); } catch (e) { reject(e); }
      }, { once: true });
    });
    const settled = Promise.race([run as Promise<T>, early]);
    const forget = (): void => { this.controllers.delete(requestId); };
    settled.then(forget, forget);
    return settled;
  }

  /** Work that must not overlap a running request (releasing a session), queued like one in the first lane. */
  serial<T>(task: () => Promise<T>): Promise<T> {
    return this.push(0, task);
  }

  /** Cancels a queued or running request; unknown ids are ignored. */
  abort(requestId: number): void {
    this.controllers.get(requestId)?.abort();
  }

  private push<T>(lane: number, task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiting = this.lanes.get(lane) ?? [];
      waiting.push({ start: () => task().then(resolve, reject) });
      this.lanes.set(lane, waiting);
      this.next();
    });
  }

  private next(): void {
    if (this.busy) return;
    const lanes = [...this.lanes.keys()].sort((a, b) => a - b);
    const lane = lanes.find((l) => l > this.turn) ?? lanes[0];
    if (lane === undefined) return;
    const waiting = this.lanes.get(lane) as Waiting[];
    const item = waiting.shift() as Waiting;
    if (waiting.length === 0) this.lanes.delete(lane);
    this.turn = lane;
    this.busy = true;
    // Started on a later microtask, as a promise chain would: the caller of enqueue() gets
    // its promise (and can abort it as queued) before the task runs.
    void Promise.resolve().then(item.start).finally(() => {
      this.busy = false;
      this.next();
    });
  }
}

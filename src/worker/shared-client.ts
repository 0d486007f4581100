/**
 * The page's way into the origin's shared worker (`shared-host.ts`), with no window in
 * which a page can reach a worker that is ending.
 *
 * The worker ends itself when its last page leaves (its WASM heap is only freed that
 * way). A page that called `new SharedWorker()` just then could be routed to the ending
 * worker and wait for an answer that never comes. So connecting and ending take turns
 * under one Web Lock: a page holds it from `new SharedWorker()` until the worker has
 * answered its hello; the worker takes it before it ends, ends only if no page connected
 * meanwhile, and holds it until it is gone. The page's comlink end is a MessageChannel made
 * at once, its other end handed to the worker once that worker has answered (a worker that
 * does not answer is asked again, afresh), so calls made before that wait in the port.
 */
const CONNECT_LOCK = 'edgewise-shared-connect';
/** How long a page waits for the worker's first word before it asks again (a cold start answers in ~150 ms). */
const ANSWER_MS = 3_000;
const CONNECT_TRIES = 3;
/** How long a page waits for its turn to connect. */
const TURN_WAIT_MS = 3_000;

export interface SharedConnection {
  /** The page's end: comlink's endpoint. */
  port: MessagePort;
  /** The worker answered: the next page may connect. */
  joined(): void;
  /** Closes the page's end and lets the worker know the page is gone. */
  leave(): void;
}

/**
 * Asks for Web Lock `name` and holds it until the returned function is called (before or
 * after the grant).
 */
export function holdLock(locks: LockManager, name: string): () => void {
  let release: (() => void) | undefined;
  let early = false;
  void locks.request(name, () => new Promise<void>((r) => {
    release = r;
    if (early) r();
  }));
  return () => {
    early = true;
    release?.();
  };
}

/**
 * `pageLock` is asked for at once and held until `leave()`: while it is held, the worker
 * knows the page is there. `onError` gets the SharedWorker's error event, or the error a
 * constructor threw (a CSP without `worker-src` for it, a bad URL).
 */
export function connectShared(spawn: () => SharedWorker, locks: LockManager, pageLock: string, onError: (e: unknown) => void): SharedConnection {
  const channel = new MessageChannel();
  const releasePage = holdLock(locks, pageLock);
  let releaseTurn: (() => void) | undefined;
  let done = false;
  const connect = async (): Promise<void> => {
    try {
      // The page's end goes only to a worker that answered: one that was ending would take it down with it.
      for (let tries = 1; ; tries++) {
        const worker = spawn();
        worker.addEventListener('error', onError);
        if (await answers(worker.port) || tries === CONNECT_TRIES) {
          worker.port.postMessage(null, [channel.port2]);
          return;
        }
        worker.port.close();
      }
    } catch (e) {
      onError(e);
    }
  };
  // A turn held past its time (a page frozen mid-connect) is not waited for forever.
  void locks.request(CONNECT_LOCK, { signal: AbortSignal.timeout(TURN_WAIT_MS) }, async () => {
    if (done) return;
    await connect();
    await new Promise<void>((r) => { releaseTurn = r; if (done) r(); });
  }).catch(() => { if (!done) void connect(); });
  const joined = (): void => {
    done = true;
    releaseTurn?.();
  };
  channel.port1.start();
  return {
    port: channel.port1,
    joined,
    leave() {
      joined();
      channel.port1.close();
      releasePage();
    },
  };
}

/** Whether the worker behind `port` says it is there (its `onconnect` answers at once). */
function answers(port: MessagePort): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ANSWER_MS);
    port.onmessage = () => {
      clearTimeout(timer);
      port.onmessage = null;
      resolve(true);
    };
  });
}

/** How long a page waits for a shared worker it asked to end before it lets others connect anyway. */
const END_WAIT_MS = 5_000;

/**
 * A page ends the shared worker for every page (its GPU failed): in the connect turn, so no
 * page, this one included, connects again before it is gone (`gone` settles when the page's
 * client hears of its death).
 */
export async function endShared(locks: LockManager, shutdown: () => void, gone: Promise<void>): Promise<void> {
  await locks.request(CONNECT_LOCK, async () => {
    shutdown();
    await Promise.race([gone, new Promise((r) => setTimeout(r, END_WAIT_MS))]);
  });
}

/**
 * The worker's side: in the connect turn, run `end` if `idle()` still holds (no page
 * connected meanwhile), and keep the turn until the worker is gone.
 */
export function endWhenIdle(locks: LockManager | undefined, idle: () => boolean, end: () => void): void {
  if (!locks) {
    if (idle()) end();
    return;
  }
  void locks.request(CONNECT_LOCK, () => {
    if (!idle()) return undefined;
    end();
    // Released by the browser when the worker is gone: no page connects to it before.
    return new Promise<never>(() => undefined);
  });
}

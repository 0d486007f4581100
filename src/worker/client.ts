/**
 * The main-thread side: starts the SDK's own module worker (no user wiring), returns
 * the typed remote, and notices when the worker dies.
 *
 * Death detection uses a Web Lock the worker takes at start and holds for its whole
 * life; the page queues for the same lock and is granted it the moment the worker is
 * gone, whether it was terminated, killed for memory or crashed (Chromium releases a
 * dead context's locks at once; measured ~1 ms after `terminate()`). A heartbeat was
 * the alternative, but a worker busy in a long synchronous runtime call (session
 * creation takes seconds for big models) would look dead to it. Where Web Locks are
 * missing (insecure contexts) the worker's `error` event is the only signal.
 *
 * The page queues for the lock only once the worker has been seen to hold it (its answer
 * to `hello`, or the lock listed as held by `navigator.locks.query()`): queued earlier, it
 * could be granted a lock the worker had not taken yet and bury a live worker. Start-up is
 * watched apart, or a worker killed before that point would leave nothing to notice and
 * its calls would hang: the `error` event, a poll of the lock table (a worker that took
 * the lock and died before its answer arrived), and a deadline for a worker that never ran
 * its script (terminated at spawn), which nothing else reports, not even a `close` event
 * on a port sent to it (checked in Chromium 156).
 */
import { wrap, releaseProxy, type Remote } from 'comlink';
import { EdgewiseError } from '../errors.js';
import type { WorkerApi } from './protocol.js';
import { connectShared, type SharedConnection } from './shared-client.js';
import { installErrorTransfer } from './transfer.js';

export interface WorkerClient {
  api: Remote<WorkerApi>;
  /**
   * Settles as `p` does, or rejects as soon as the worker dies (`worker_crashed`) or is
   * terminated (`disposed`). Every pending call is held in one set and dropped when it
   * settles: no reaction piles up on a long-lived promise.
   */
  guard<T>(p: Promise<T>): Promise<T>;
  readonly dead: boolean;
  /** Settles when the client ends: the worker died, or `terminate()`. */
  readonly gone: Promise<void>;
  terminate(): void;
}

/**
 * The folder of this bundle: where `dist/` keeps the worker and the runtime files. An
 * engine without `assetsUrl` passes this value, and `startWorker` then lets the bundler's
 * copy of the worker win (see there).
 */
export function defaultAssetsUrl(): string {
  // Not the literal `new URL('./', import.meta.url)`: bundlers read that as a file to emit,
  // and Vite warns that it does not exist.
  const here = import.meta.url;
  return new URL('./', here).href;
}

/**
 * Without `assetsUrl`, the worker is started with the literal `new Worker(new URL('./…',
 * import.meta.url), { type: 'module' })`: the pattern bundlers follow (Vite, in
 * dependencies too; webpack 5), so an app that installs the SDK gets the worker, its chunks
 * and the runtime files emitted with its own assets and nothing to copy. Unbundled, it is
 * the file beside this one, as in `dist/` or the IIFE (where Rollup turns `import.meta.url`
 * into the script's URL). The options must stay a literal: Vite reads them statically.
 * With `assetsUrl`, the worker comes from there, untouched by any bundler.
 */
function spawn(assetsUrl: string): Worker {
  if (assetsUrl === defaultAssetsUrl()) return new Worker(new URL('./edgewise.worker.js', import.meta.url), { type: 'module', name: 'edgewise-inference' });
  return new Worker(new URL('edgewise.worker.js', assetsUrl), { type: 'module', name: 'edgewise-inference' });
}

/** The same file as a SharedWorker: every page of the origin that names it gets the one instance. */
function spawnShared(assetsUrl: string): SharedWorker {
  if (assetsUrl === defaultAssetsUrl()) return new SharedWorker(new URL('./edgewise.worker.js', import.meta.url), { type: 'module', name: 'edgewise-inference' });
  return new SharedWorker(new URL('edgewise.worker.js', assetsUrl), { type: 'module', name: 'edgewise-inference' });
}

const crashed = (why: string): EdgewiseError => new EdgewiseError('worker_crashed',
  `The inference worker stopped (${why}); requests in flight were cancelled. The next call starts a fresh worker and reloads the model (from the cache when it is stored).`);

/**
 * How long a fresh worker may take to hold its lock (without Web Locks: to answer
 * `hello`). Measured cold start here: ~140 ms; the worker bundle is ~470 KB, which a link
 * of ~50 KB/s (slow 3G) fetches in about as many seconds as this allows once compressed.
 * A worker still loading past it is ended like a dead one: its calls fail with
 * `worker_crashed` (redaction falls back to the page) and the next call starts afresh.
 */
const STARTUP_DEADLINE_MS = 10_000;
/** How often the page looks for the worker's lock (or its answer) during start-up, and only then. */
const STARTUP_POLL_MS = 50;

const lockName = (): string => `edgewise-worker-${globalThis.crypto?.randomUUID?.() ?? Math.random().toString(36).slice(2)}`;

/**
 * `onDeath` runs once, when the worker dies on its own (not after `terminate()`). With
 * `group`, the page joins the origin's shared worker in that group (see `shared-host.ts`).
 */
export function startWorker(assetsUrl: string, onDeath: (e: EdgewiseError) => void, group?: string): WorkerClient {
  installErrorTransfer();
  const where = assetsUrl === defaultAssetsUrl() ? 'beside the SDK bundle (or where the app\'s bundler emitted it)' : `from ${assetsUrl}`;
  const locks = globalThis.navigator?.locks;
  const name = lockName();
  let worker: Worker | undefined;
  let shared: SharedConnection | undefined;
  const cannotStart = (cause: unknown): EdgewiseError => new EdgewiseError('runtime_error', `Could not start the inference worker ${where}; check the assetsUrl option and that the page may start module workers (CSP worker-src).`, { cause });
  if (group !== undefined && locks) {
    // Errors of the shared worker's start arrive later, once the page's turn to connect comes.
    shared = connectShared(() => spawnShared(assetsUrl), locks, `${name}-page`, (e) => {
      if (e instanceof Event) onScriptError(e);
      else die(crashed(cannotStart(e).message));
    });
  } else {
    try {
      worker = spawn(assetsUrl);
    } catch (cause) {
      throw cannotStart(cause);
    }
  }
  const endpoint = shared?.port ?? (worker as Worker);
  const api = wrap<WorkerApi>(endpoint);
  const pending = new Set<(e: EdgewiseError) => void>();
  let death: EdgewiseError | undefined;
  /** The start-up watch's next look (see below). */
  let watch: ReturnType<typeof setTimeout> | undefined;

  let ended: () => void = () => undefined;
  const gone = new Promise<void>((r) => { ended = r; });
  function end(e: EdgewiseError): boolean {
    if (death) return false;
    death = e;
    ended();
    clearTimeout(watch);
    for (const reject of pending) reject(e);
    pending.clear();
    api[releaseProxy]();
    // The shared worker lives on for other pages: it learns this one left from the page's lock.
    shared?.leave();
    worker?.terminate();
    return true;
  }
  const die = (e: EdgewiseError): void => { if (end(e)) onDeath(e); };

  // A module that fails to load or an uncaught failure inside: either way the runtime in
  // it can no longer be trusted, so it is treated as dead and replaced on the next call.
  // (A SharedWorker's error event is a plain Event: it fires when the script fails to load.)
  function onScriptError(ev: Event): void {
    ev.preventDefault();
    die(crashed(`${(ev as ErrorEvent).message || 'it failed to start or threw'}; check that edgewise.worker.js is served ${where}`));
  }
  worker?.addEventListener('error', onScriptError);
  endpoint.addEventListener('messageerror', () => die(crashed('a message could not be decoded')));

  let started = false;
  // The worker holds the lock (or, without Web Locks, has answered): from here on a grant
  // of the lock to the page means the worker is gone.
  const holding = (): void => {
    if (started || death) return;
    started = true;
    clearTimeout(watch);
    shared?.joined();
    if (locks) void locks.request(name, () => die(crashed('terminated by the browser or out of memory')));
  };
  const since = Date.now();
  // The lock table is read before the clock: a page thread busy past the deadline must not
  // bury a worker that took its lock meanwhile.
  const look = async (): Promise<void> => {
    const table = await locks?.query().catch(() => undefined);
    if (started || death) return;
    if (table?.held?.some((l) => l.name === name)) holding();
    else if (Date.now() - since > STARTUP_DEADLINE_MS) die(crashed(`it did not start within ${STARTUP_DEADLINE_MS / 1000} s`));
    else watch = setTimeout(() => void look(), STARTUP_POLL_MS);
  };
  // The first message on the port, so the shared worker knows the page's group before its requests.
  api.hello(name, shared ? { group: group as string, tabLock: `${name}-page` } : undefined).then(holding, () => undefined);
  void look();

  return {
    api,
    get dead() { return death !== undefined; },
    gone,
    guard<T>(p: Promise<T>): Promise<T> {
      if (death) {
        p.catch(() => undefined);
        return Promise.reject(death);
      }
      return new Promise<T>((resolve, reject) => {
        pending.add(reject);
        p.then((v) => { pending.delete(reject); resolve(v); }, (e: unknown) => { pending.delete(reject); reject(e); });
      });
    },
    terminate() {
      end(new EdgewiseError('disposed', 'The engine was disposed; create a new one with createEngine().'));
    },
  };
}

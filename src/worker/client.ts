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
 */
import { wrap, releaseProxy, type Remote } from 'comlink';
import { EdgewiseError } from '../errors.js';
import type { WorkerApi } from './protocol.js';
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
  terminate(): void;
}

/** Where the SDK's files (worker bundle, runtime wasm) live: beside this bundle. */
export function defaultAssetsUrl(): string {
  return new URL('./', import.meta.url).href;
}

const crashed = (why: string): EdgewiseError => new EdgewiseError('worker_crashed',
  `The inference worker stopped (${why}); requests in flight were cancelled. The next call starts a fresh worker and reloads the model (from the cache when it is stored).`);

const lockName = (): string => `edgewise-worker-${globalThis.crypto?.randomUUID?.() ?? Math.random().toString(36).slice(2)}`;

/** `onDeath` runs once, when the worker dies on its own (not after `terminate()`). */
export function startWorker(assetsUrl: string, onDeath: (e: EdgewiseError) => void): WorkerClient {
  installErrorTransfer();
  let worker: Worker;
  try {
    worker = new Worker(new URL('edgewise.worker.js', assetsUrl), { type: 'module', name: 'edgewise-inference' });
  } catch (cause) {
    throw new EdgewiseError('runtime_error', `Could not start the inference worker from ${assetsUrl}; check the assetsUrl option and that the page may start module workers (CSP worker-src).`, { cause });
  }
  const api = wrap<WorkerApi>(worker);
  const pending = new Set<(e: EdgewiseError) => void>();
  let death: EdgewiseError | undefined;

  function end(e: EdgewiseError): boolean {
    if (death) return false;
    death = e;
    for (const reject of pending) reject(e);
    pending.clear();
    api[releaseProxy]();
    worker.terminate();
    return true;
  }
  const die = (e: EdgewiseError): void => { if (end(e)) onDeath(e); };

  // A module that fails to load or an uncaught failure inside: either way the runtime in
  // it can no longer be trusted, so it is treated as dead and replaced on the next call.
  worker.addEventListener('error', (ev) => {
    ev.preventDefault();
    die(crashed(`${ev.message || 'it failed to start or threw'}; check that ${assetsUrl}edgewise.worker.js is served`));
  });
  worker.addEventListener('messageerror', () => die(crashed('a message could not be decoded')));

  const name = lockName();
  const locks = globalThis.navigator?.locks;
  if (locks) {
    api.hello(name).then(() => {
      if (!death) void locks.request(name, () => die(crashed('terminated by the browser or out of memory')));
    }, () => undefined);
  }

  return {
    api,
    get dead() { return death !== undefined; },
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

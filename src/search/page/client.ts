/**
 * The page side of the search worker: one worker per page, shared by every index handle,
 * started on first use and ended when the last handle closes. comlink is only the
 * transport; the contract is `SearchWorkerApi`. A worker that dies (a failed script load,
 * an uncaught error, memory) fails the calls in flight with `worker_crashed` instead of
 * leaving them pending forever, and the next call starts a fresh one.
 */
import { wrap, type Remote } from 'comlink';
import { EdgewiseError, isEdgewiseError } from '../../index.js';
import { installErrorTransfer } from '../../worker/transfer.js';
import type { SearchWorkerApi } from '../worker/protocol.js';

export interface SearchWorker {
  readonly api: Remote<SearchWorkerApi>;
  /** Settles with `call`, or rejects with `worker_crashed` when the worker dies first. */
  guard<T>(call: Promise<T>): Promise<T>;
}

interface Live extends SearchWorker {
  worker: Worker;
  users: number;
}

let live: Live | undefined;

/**
 * The error transfer rebuilds worker errors with the class this bundle inlines with it;
 * the app imports the core's. Same code, details and cause, as the core's class, so
 * `instanceof EdgewiseError` holds as well as `isEdgewiseError()`.
 */
function asCore(e: unknown): unknown {
  // `as object`: after isEdgewiseError() the compiler would take a false instanceof for impossible.
  if (!isEdgewiseError(e) || (e as object) instanceof EdgewiseError) return e;
  return new EdgewiseError(e.code, e.message, e.cause === undefined ? { details: e.details } : { cause: e.cause, details: e.details });
}

function start(): Live {
  installErrorTransfer();
  // The literal `new URL(..., import.meta.url)` inside `new Worker()` is what bundlers
  // (Vite, webpack 5, Parcel, esbuild) follow to ship the worker beside this file.
  const worker = new Worker(new URL('./edgewise.search.worker.js', import.meta.url), { type: 'module', name: 'edgewise-search' });
  let fail: (e: EdgewiseError) => void = () => undefined;
  const dead = new Promise<never>((_, reject) => { fail = reject; });
  // Nobody may be waiting yet: an unhandled rejection here would be noise.
  dead.catch(() => undefined);
  const self: Live = {
    worker,
    users: 0,
    api: wrap<SearchWorkerApi>(worker),
    guard: (call) => Promise.race([call, dead]).catch((e: unknown) => { throw asCore(e); }),
  };
  const died = (detail: string): void => {
    if (live === self) live = undefined;
    worker.terminate();
    fail(new EdgewiseError('worker_crashed', `The search worker stopped (${detail}); the stored indexes are unharmed and the next call starts a fresh worker.`));
  };
  worker.addEventListener('error', (e) => died(e.message || 'it failed to load or threw'));
  worker.addEventListener('messageerror', () => died('a message could not be read'));
  return self;
}

/** The shared worker; `release()` it when the handle is done with it. */
export function acquire(): SearchWorker {
  live ??= start();
  live.users++;
  return live;
}

export function release(w: SearchWorker): void {
  const l = w as Live;
  l.users--;
  if (l.users > 0 || live !== l) return;
  live = undefined;
  l.worker.terminate();
}

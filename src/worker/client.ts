/**
 * The main-thread side: starts the SDK's own module worker (no user wiring) and
 * returns the typed remote. A worker that fails to start rejects every call with a
 * typed error instead of leaving it pending forever.
 */
import { wrap, releaseProxy, type Remote } from 'comlink';
import { EdgewiseError } from '../errors.js';
import type { WorkerApi } from './protocol.js';
import { installErrorTransfer } from './transfer.js';

export interface WorkerClient {
  api: Remote<WorkerApi>;
  /** Resolves never; rejects when the worker dies or cannot start. Race calls against it. */
  failure: Promise<never>;
  terminate(): void;
}

/** Where the SDK's files (worker bundle, runtime wasm) live: beside this bundle. */
export function defaultAssetsUrl(): string {
  return new URL('./', import.meta.url).href;
}

export function startWorker(assetsUrl: string): WorkerClient {
  installErrorTransfer();
  let worker: Worker;
  try {
    worker = new Worker(new URL('edgewise.worker.js', assetsUrl), { type: 'module', name: 'edgewise-inference' });
  } catch (cause) {
    throw new EdgewiseError('runtime_error', `Could not start the inference worker from ${assetsUrl}; check the assetsUrl option and that the page may start module workers (CSP worker-src).`, { cause });
  }
  let fail: (e: EdgewiseError) => void = () => undefined;
  const failure = new Promise<never>((_, reject) => { fail = reject; });
  failure.catch(() => undefined);
  worker.addEventListener('error', (ev) => {
    fail(new EdgewiseError('runtime_error', `The inference worker failed to start or crashed (${ev.message || 'no message'}); check that ${assetsUrl}edgewise.worker.js is served.`));
  });
  const api = wrap<WorkerApi>(worker);
  return {
    api,
    failure,
    terminate() {
      api[releaseProxy]();
      worker.terminate();
      fail(new EdgewiseError('disposed', 'The engine was disposed; create a new one with createEngine().'));
    },
  };
}

/**
 * TEST-ONLY HOOK, not part of the SDK: wraps this page's `Worker` constructor so a test
 * can get hold of the worker the SDK starts and kill it, as a browser does when it
 * reclaims memory. Import it before creating an engine.
 *
 * It also hides `SharedWorker`, so engines fall back to a worker of the page's own (as in
 * a browser without it): a page cannot terminate a shared worker. The shared host's deaths
 * are tested in test/browser/shared-host/, killed through the DevTools protocol.
 */
const captured: Worker[] = [];
const NativeWorker = globalThis.Worker;

class CapturingWorker extends NativeWorker {
  constructor(url: string | URL, options?: WorkerOptions) {
    super(url, options);
    captured.push(this);
  }
}
globalThis.Worker = CapturingWorker;
Reflect.deleteProperty(globalThis, 'SharedWorker');

/** The most recently started worker (the SDK starts a fresh one after a crash). */
export function lastWorker(): Worker {
  const w = captured.at(-1);
  if (!w) throw new Error('no worker was started yet');
  return w;
}

export function workersStarted(): number {
  return captured.length;
}

/**
 * A worker killed before it answers its first message (before it has taken its Web Lock,
 * or before the page has started waiting on that lock) is noticed too: every call in
 * flight rejects with a typed `worker_crashed` instead of hanging, and the next call
 * starts a fresh worker. The page learns of deaths after start-up through the lock
 * (worker-death.test.ts); a worker that never ran its script is only caught by the
 * start-up deadline (10 s), so those cases wait for it.
 *
 * The kill goes through a test-only hook on this page's `Worker` constructor, as
 * capture-worker.ts does, so it can strike at the spawn itself or on the worker's
 * first message before the SDK's own listener sees it.
 */
import { createEngine, isEdgewiseError } from '/dist/edgewise.js';
import { FIXTURE_URL, assert, assertEqual, rejection } from '../helpers.js';
import { remoteReset, testRemote } from '../edge-cloud/remote-helpers.js';
import { DETECT, ask, phonePaste, whereDetected } from '../privacy/helpers.js';

type Kill = 'at spawn' | 'on its first message' | number;

/** How the next worker the SDK starts is killed; `undefined`: it is left alone. */
let nextKill: Kill | undefined;
let started = 0;

const NativeWorker = globalThis.Worker;
class KillingWorker extends NativeWorker {
  constructor(url: string | URL, options?: WorkerOptions) {
    super(url, options);
    started++;
    const kill = nextKill;
    nextKill = undefined;
    if (kill === 'at spawn') this.terminate();
    else if (kill === 'on its first message') {
      // Registered before the SDK's listener, so the page never sees this message: the
      // worker dies just before its answer would have arrived.
      this.addEventListener('message', (ev) => {
        ev.stopImmediatePropagation();
        this.terminate();
      }, { once: true });
    } else if (typeof kill === 'number') setTimeout(() => this.terminate(), kill);
  }
}
globalThis.Worker = KillingWorker;
// A page cannot kill a shared worker: without SharedWorker, engines run a worker of the page's own.
Reflect.deleteProperty(globalThis, 'SharedWorker');

/** The start-up deadline in client.ts, plus room for a loaded machine. */
const NOTICED_MS = 10_000 + 5_000;

/** Settles as `p` does, or rejects after `ms`: a hang fails the test instead of the suite's timeout. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still pending after ${ms} ms (the dead worker went unnoticed)`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

const codeOf = (e: unknown): string => (isEdgewiseError(e) ? e.code : `untyped: ${String(e)}`);

describe('reliability: a worker killed before it answers its first message', () => {
  const model = { id: 'tiny-llama-killed-at-start', url: FIXTURE_URL, dtype: 'q4' } as const;

  for (const kill of ['at spawn', 'on its first message'] as const) {
    it(`killed ${kill}: load() rejects with worker_crashed, and the next load() starts a fresh worker`, async function () {
      this.timeout(4 * NOTICED_MS);
      const engine = createEngine({ model, cache: false });
      try {
        const before = started;
        nextKill = kill;
        const t0 = performance.now();
        const e = await within(rejection(engine.load()), NOTICED_MS, 'load()');
        const ms = performance.now() - t0;
        console.log(`killed ${kill}: load() rejected after ${ms.toFixed(0)} ms (${codeOf(e)})`);
        assertEqual(codeOf(e), 'worker_crashed', 'a typed error');
        await within(engine.load(), NOTICED_MS, 'the next load()');
        assertEqual(started - before, 2, 'one fresh worker after the death');
        assert((await engine.text({ prompt: 'Hi', maxTokens: 3 })).length > 0, 'the fresh worker answers');
      } finally {
        nextKill = undefined;
        await engine.dispose();
      }
    });
  }

  it('killed at several moments of its start: every load() settles (worker_crashed or loaded), then the engine works', async function () {
    this.timeout(10 * NOTICED_MS);
    const outcomes: string[] = [];
    for (const delay of [15, 60, 120, 250, 400]) {
      const engine = createEngine({ model, cache: false });
      try {
        nextKill = delay;
        const t0 = performance.now();
        const code = await within(engine.load().then(() => 'loaded', codeOf), NOTICED_MS, `load() killed after ${delay} ms`);
        outcomes.push(`${delay} ms: ${code} in ${(performance.now() - t0).toFixed(0)} ms`);
        assert(code === 'loaded' || code === 'worker_crashed', `killed after ${delay} ms: ${code}`);
        // A load that beat the kill leaves an idle worker to be killed: let the kill land first.
        await new Promise((r) => setTimeout(r, Math.max(0, delay - (performance.now() - t0)) + 50));
        await within(engine.load(), NOTICED_MS, `the load() after a kill at ${delay} ms`);
        assert((await engine.text({ prompt: 'Hi', maxTokens: 3 })).length > 0, `text after a kill at ${delay} ms`);
      } finally {
        nextKill = undefined;
        await engine.dispose();
      }
    }
    console.log(`kills during start-up: ${outcomes.join('; ')}`);
  });

  it('the redaction worker killed at spawn: a large paste is detected on the page and goes out redacted', async function () {
    this.timeout(4 * NOTICED_MS);
    await remoteReset();
    performance.clearMeasures(DETECT);
    const engine = createEngine({ ...testRemote(), policy: 'remote-only' });
    try {
      nextKill = 'at spawn';
      const { finish } = await within(ask(engine, phonePaste(200_000), { maxTokens: 4 }), NOTICED_MS, 'the request');
      assert((finish.redactions?.phone ?? 0) > 400, `redacted (${JSON.stringify(finish.redactions)})`);
      assertEqual(whereDetected(), ['page'], 'detected on the page after the worker died');
    } finally {
      nextKill = undefined;
      await engine.dispose();
      await remoteReset();
    }
  });
});

/**
 * Issue 16: a large paste whose detection runs in the worker is never sent unredacted.
 * The worker killed mid-detection (as a browser reclaiming memory does): the patterns run
 * on the page instead and the request goes out redacted. The request aborted
 * mid-detection: it ends at once and nothing is sent.
 */
import { lastWorker, workersStarted } from '../reliability/capture-worker.js';
import { createEngine } from '/dist/edgewise.js';
import { assert, assertEqual } from '../helpers.js';
import { chatCalls, remoteReset, testRemote } from '../edge-cloud/remote-helpers.js';
import { ask, DETECT, phonePaste, whereDetected } from './helpers.js';

async function until(cond: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + 10_000;
  while (!cond()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

describe('privacy: the worker path never sends unredacted text', () => {
  beforeEach(async () => {
    await remoteReset();
    performance.clearMeasures(DETECT);
  });

  it('the worker killed during detection: the page detects instead and the request goes out redacted', async function () {
    this.timeout(60_000);
    const engine = createEngine({ ...testRemote(), policy: 'remote-only' });
    try {
      // A first large paste starts the worker and loads its detectors. (A worker killed before
      // its first answer is tested in reliability/worker-killed-at-start.test.ts.)
      await ask(engine, phonePaste(20_000), { maxTokens: 4 });
      const started = workersStarted();
      await remoteReset();
      performance.clearMeasures(DETECT);
      const pending = ask(engine, phonePaste(400_000), { maxTokens: 4 }).then((r) => r.finish);
      // The page needs a few ms to gather the texts and post them; detection then takes ~100 ms or more.
      await new Promise((r) => setTimeout(r, 20));
      assertEqual(workersStarted(), started, 'still the first worker');
      lastWorker().terminate();
      const finish = await pending;
      assert((finish.redactions?.phone ?? 0) > 900, `redacted (${JSON.stringify(finish.redactions)})`);
      const [call] = await chatCalls();
      assert(!JSON.stringify(call?.body).includes('7946 0'), 'no phone number reaches the server');
      assertEqual(whereDetected(), ['page'], 'detected on the page after the worker died');
    } finally {
      await engine.dispose();
    }
  });

  it('an abort during detection in the worker ends the request and sends nothing', async function () {
    this.timeout(60_000);
    const engine = createEngine({ ...testRemote(), policy: 'remote-only' });
    const before = workersStarted();
    try {
      const ctl = new AbortController();
      const pending = ask(engine, phonePaste(200_000), { maxTokens: 4, signal: ctl.signal }).then((r) => r.finish, (e: unknown) => e);
      await until(() => workersStarted() > before, 'the SDK to start its worker');
      ctl.abort();
      const outcome = await pending;
      console.log(`aborted during detection: ${JSON.stringify(outcome && typeof outcome === 'object' && 'reason' in outcome ? { reason: outcome.reason } : String(outcome))}`);
      assertEqual((await chatCalls()).length, 0, 'nothing reached the server');
    } finally {
      await engine.dispose();
    }
  });
});

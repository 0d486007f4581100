/**
 * Issue 16, defect 7: a 200 KB paste of phone numbers sent to the cloud used to be
 * redacted on the page's main thread (~276 ms of one blocking task). Detection of large
 * inputs now runs in the SDK's worker, and so does the literal pass over them; the page
 * only numbers the spans it gets back and builds the request, in slices that hand the thread
 * back (the SDK's `edgewise:redaction-apply` user-timing entry measures that step and its
 * longest slice). The issue wants the page never blocked more than 16 ms on redaction.
 *
 * Timings on a shared 2-core machine are noisy, so the hard checks are that detection ran
 * in the worker (the SDK's `edgewise:redaction-detect` user-timing entry says where), that
 * the longest block is far below the old path's, and that the page-side step's longest
 * slice fits in a frame (the first request's, and the median of three more); the measured figures are logged.
 */
import { createEngine, type Engine } from '/dist/edgewise.js';
import { assert, assertEqual } from '../helpers.js';
import { chatCalls, remoteFaults, remoteReset, testRemote } from '../edge-cloud/remote-helpers.js';
import { watchMainThread } from './block-monitor.js';
import { ask, DETECT, phonePaste, whereDetected } from './helpers.js';

/** maxTokens cuts the echo server's answer to a few chunks: the request is what is measured. */
const ASK = { maxTokens: 4 };

/** The SDK's entry for the page-side step of the latest redacted request (it keeps only that one). */
const APPLY = 'edgewise:redaction-apply';

/** The budget for any one block of the page on redaction: a frame. */
const FRAME_MS = 16;

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** The page-side step of `runs` requests of `content`, each its own entry; `detail.complete` must say the worker ran the literal pass. */
async function applyTimes(engine: Engine, content: string, runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    performance.clearMeasures(APPLY);
    await ask(engine, content, ASK);
    const [entry] = performance.getEntriesByName(APPLY) as PerformanceMeasure[];
    assert(entry !== undefined, 'the page-side step left its entry');
    const detail = entry.detail as { complete?: boolean; longestSliceMs?: number };
    assertEqual(detail.complete, true, 'the worker ran the literal pass');
    assert(typeof detail.longestSliceMs === 'number', 'the step reports its longest slice');
    times.push(detail.longestSliceMs as number);
  }
  return times;
}

describe('privacy: redaction of a large paste does not block the page', () => {
  beforeEach(async () => {
    await remoteReset();
    performance.clearMeasures(DETECT);
  });

  it('a 200 KB paste of phone numbers is detected in the worker; the longest main-thread block stays far below the old ~276 ms', async function () {
    this.timeout(180_000);
    const paste = phonePaste(200_000);
    const engine = createEngine({ ...testRemote(), policy: 'remote-only' });
    try {
      // A small first request loads the lazy remote and redaction chunks, whose parse is not redaction.
      await ask(engine, 'warm up with +44 20 7946 0958', ASK);
      performance.clearMeasures(DETECT);
      const { result, report } = await watchMainThread(() => ask(engine, paste, ASK));
      const detect = performance.getEntriesByName(DETECT)[0];
      const detectEnd = detect ? detect.startTime + detect.duration : NaN;
      console.log(`200 KB phone paste: longest gap ${report.longestGap.toFixed(1)} ms, ending ${(report.longestGapEnd - detectEnd).toFixed(1)} ms after detection answered (${detect?.duration.toFixed(1)} ms in the worker); long tasks ${report.longTasksSupported ? JSON.stringify(report.longTasks.map((d) => Math.round(d))) : 'unsupported'}`);
      const calls = await chatCalls();
      const sent = JSON.stringify(calls[calls.length - 1]?.body);
      assert(!sent.includes('7946 0') && !sent.includes('555-'), 'no phone number reaches the server');
      assert((result.finish.redactions?.phone ?? 0) > 4000, `every distinct number counted (${JSON.stringify(result.finish.redactions)})`);
      assertEqual(whereDetected(), ['worker'], 'detection ran in the worker');
      assert(report.longestGap < 100, `longest main-thread block ${report.longestGap.toFixed(1)} ms, want < 100 ms (the old path blocked ~276 ms)`);
      const [first] = performance.getEntriesByName(APPLY) as PerformanceMeasure[];
      // The page-side step hands the thread back between slices of ~8 ms, so even the first
      // large request, whose code V8 has not optimized yet (13 to 20 ms in one go before the
      // step was sliced), holds the page less than a frame at a time. The first is checked
      // alone; later ones on the median of three, since on a shared 2-core machine one slice
      // can lose the core to another process.
      const firstSlice = (first?.detail as { longestSliceMs?: number } | undefined)?.longestSliceMs ?? NaN;
      assert(firstSlice <= FRAME_MS, `the first 200 KB request held the page ${firstSlice.toFixed(1)} ms in one slice, want <= ${FRAME_MS} ms`);
      const large = await applyTimes(engine, paste, 3);
      const small = await applyTimes(engine, phonePaste(20_000), 3);
      console.log(`page-side redaction step, longest slice: 200 KB first ${firstSlice.toFixed(1)} ms (whole step ${first?.duration.toFixed(1)} ms), then ${large.map((t) => t.toFixed(1)).join(', ')} ms (median ${median(large).toFixed(1)}); 20 KB ${small.map((t) => t.toFixed(1)).join(', ')} ms (median ${median(small).toFixed(1)}); ${JSON.stringify((first?.detail as { spans?: number } | undefined)?.spans)} spans at 200 KB`);
      assert(median(large) <= FRAME_MS, `page-side redaction of 200 KB: median ${median(large).toFixed(1)} ms, want <= ${FRAME_MS} ms`);
      assert(median(small) <= FRAME_MS, `page-side redaction of 20 KB: median ${median(small).toFixed(1)} ms, want <= ${FRAME_MS} ms`);
    } finally {
      await engine.dispose();
    }
  });

  it('a short message is detected on the page (no worker round trip) and redacted the same way', async () => {
    const engine = createEngine({ ...testRemote(), policy: 'remote-only' });
    try {
      const { text, finish } = await ask(engine, 'call +44 20 7946 0958', ASK);
      assertEqual(whereDetected(), ['page'], 'small input stays on the page');
      assertEqual(finish.redactions, { phone: 1 }, 'counted');
      assert(text.startsWith('Echo'), 'answered');
      const [call] = await chatCalls();
      assert(!JSON.stringify(call?.body).includes('7946'), 'redacted');
    } finally {
      await engine.dispose();
    }
  });
  it("the app's patterns and terms cross to the worker (RegExps survive the structured clone)", async () => {
    const engine = createEngine({ ...testRemote(), policy: 'remote-only', redact: { patterns: [/EMP-\d{6}/], terms: ['Project Falcon'] } });
    // Large SSE chunks: the 20 KB echo comes back whole within maxTokens.
    await remoteFaults([{ match: '/chat/completions', chunkSize: 1024 }]);
    try {
      const content = `${'Minutes of the weekly sync, nothing personal here. '.repeat(400)}EMP-123456 leads Project Falcon.`;
      const { text, finish } = await ask(engine, content);
      assertEqual(whereDetected(), ['worker'], 'a large input is detected in the worker');
      const [call] = await chatCalls();
      const sent = JSON.stringify(call?.body);
      assert(!sent.includes('EMP-123456') && !sent.includes('Falcon'), 'pattern and term hidden');
      assertEqual(finish.redactions, { pattern: 1, term: 1 }, 'counted');
      assertEqual(text, `Echo: ${content}`, 'restored');
    } finally {
      await engine.dispose();
    }
  });
});

/**
 * Acceptance (issue 6.2): an abort ends the request where it waits, within 100 ms: in
 * the worker's queue behind other requests, while it waits for a load another caller
 * started, and during its own load. An aborted request never runs later.
 *
 * The 100 ms is measured and logged; a loaded 2-core runner cannot promise it, so each
 * test asserts what the abort must not wait for (the requests ahead, the throttled
 * download of ~5 s) plus a 1 s hang guard. Speed figures belong in test/bench.
 */
import { createEngine, type Part } from '/dist/edgewise.js';
import { FIXTURE_URL, MODEL_SERVER, assert, assertEqual, rejection, resetServer } from '../helpers.js';

const HANG_GUARD_MS = 1000;

async function drain(parts: AsyncIterable<Part>): Promise<Part[]> {
  const out: Part[] = [];
  for await (const p of parts) out.push(p);
  return out;
}

const throttleWeights = (): Promise<Response> => fetch(`${MODEL_SERVER}/__ctl/faults`, {
  method: 'POST',
  body: JSON.stringify([{ match: 'tiny-llama/onnx/model_q4.onnx', bytesPerSecond: 40_000, times: 1 }]),
});

describe('reliability: aborts end where the request waits', () => {
  it('a request aborted while queued behind five others ends within 100 ms and never runs', async () => {
    const engine = createEngine({ model: { id: 'tiny-llama', url: FIXTURE_URL, dtype: 'q4' }, cache: false });
    try {
      await engine.load();
      const aheadEnds: number[] = [];
      let running!: () => void;
      const oneRuns = new Promise<void>((r) => { running = r; });
      const ahead = Array.from({ length: 5 }, () => drain((async function* () {
        for await (const p of engine.generate({ prompt: 'Hi', maxTokens: 500 })) {
          if (p.type === 'text') running();
          yield p;
        }
      })()).then((parts) => {
        aheadEnds.push(performance.now());
        return parts;
      }));
      // Requests on one engine run one at a time, first in, first out, but the page may see a
      // later request's parts before an earlier one's (each request's parts come over their
      // own MessageChannel, and ports are not ordered against each other). The sixth starts
      // once one of the five produces text, so it is behind at least the one running.
      await oneRuns;
      const controller = new AbortController();
      const sixth = drain(engine.generate({ prompt: 'Hi', maxTokens: 500, signal: controller.signal }));
      await new Promise((r) => setTimeout(r, 20));
      const abortedAt = performance.now();
      controller.abort();
      const parts = await sixth;
      const sixthEnd = performance.now();
      const ms = sixthEnd - abortedAt;
      console.log(`queued abort: ended ${ms.toFixed(1)} ms after the abort`);
      assert(ms < HANG_GUARD_MS, `the queued request ended ${ms.toFixed(0)} ms after its abort`);
      assertEqual(parts.map((p) => p.type), ['finish'], 'only a finish part: it never ran');
      const finish = parts[0];
      assert(finish?.type === 'finish' && finish.reason === 'abort' && finish.usage.completionTokens === 0, 'an abort finish with no tokens');
      const done = await Promise.all(ahead);
      assert(sixthEnd < Math.min(...aheadEnds), 'it did not wait for the requests ahead of it, not even the one running');
      assert(done.every((d) => d.at(-1)?.type === 'finish'), 'the requests ahead all finished normally');
    } finally {
      await engine.dispose();
    }
  });

  it('a caller aborting while it waits for another caller\'s load ends within 100 ms; the load goes on for the other', async () => {
    await resetServer();
    await throttleWeights();
    const engine = createEngine({ model: { id: 'tiny-llama-shared-load', url: FIXTURE_URL, dtype: 'q4' }, cache: false });
    try {
      let aFirstPart = Infinity;
      const a = drain((async function* () {
        for await (const p of engine.generate({ prompt: 'Hi', maxTokens: 3 })) {
          aFirstPart = Math.min(aFirstPart, performance.now());
          yield p;
        }
      })());
      const controller = new AbortController();
      const b = drain(engine.generate({ prompt: 'Hi', maxTokens: 3, signal: controller.signal }));
      await new Promise((r) => setTimeout(r, 200));
      const abortedAt = performance.now();
      controller.abort();
      const bParts = await b;
      const ms = performance.now() - abortedAt;
      console.log(`shared-load abort: B ended ${ms.toFixed(1)} ms after its abort`);
      assert(ms < HANG_GUARD_MS, `B ended ${ms.toFixed(0)} ms after its abort`);
      const bEnd = performance.now();
      assertEqual(bParts.map((p) => (p.type === 'finish' ? p.reason : p.type)), ['abort'], 'B: one abort finish');
      const aParts = await a;
      const aFinish = aParts.at(-1);
      assert(aFinish?.type === 'finish' && aFinish.reason !== 'abort', 'A completes: its load was not cancelled by B');
      assert(bEnd < aFirstPart, 'B did not wait for the load: it ended before A, which waited for it, saw a part');
    } finally {
      await engine.dispose();
      await resetServer();
    }
  });

  it('the only caller aborting its own load ends within 100 ms with a typed aborted error', async () => {
    await resetServer();
    await throttleWeights();
    const engine = createEngine({ model: { id: 'tiny-llama-own-load', url: FIXTURE_URL, dtype: 'q4' }, cache: false });
    try {
      const controller = new AbortController();
      const loading = engine.load({ signal: controller.signal });
      await new Promise((r) => setTimeout(r, 200));
      const abortedAt = performance.now();
      controller.abort();
      const e = await rejection(loading);
      const ms = performance.now() - abortedAt;
      assertEqual((e as { code?: string }).code, 'aborted', 'typed aborted error');
      console.log(`own-load abort: ended ${ms.toFixed(1)} ms after the abort`);
      // The throttled download had ~5 s left: a load that ran on past the abort ends far later.
      assert(ms < HANG_GUARD_MS, `ended ${ms.toFixed(0)} ms after the abort`);
      await resetServer();
      assert((await engine.text({ prompt: 'Hi', maxTokens: 3 })).length > 0, 'the next call loads and works');
    } finally {
      await engine.dispose();
      await resetServer();
    }
  });
});

/**
 * Acceptance (issue 6.1): a worker killed mid-stream, mid-load or while idle never hangs
 * the engine. In-flight calls fail with a typed `worker_crashed` within a second, the
 * same engine recovers on its next call with the weights from the cache, and dispose()
 * always settles within a second. The kill goes through the test-only capture hook.
 */
import { createEngine, isEdgewiseError, type Engine, type Progress } from '/dist/edgewise.js';
import { FIXTURE_URL, MODEL_SERVER, assert, assertEqual, rejection, resetServer } from '../helpers.js';
import { lastWorker, workersStarted } from './capture-worker.js';

const codeOf = (e: unknown): string => (isEdgewiseError(e) ? e.code : `untyped: ${String(e)}`);

async function killMidStream(engine: Engine): Promise<{ code: string; endedMs: number; textParts: number }> {
  let textParts = 0;
  let killedAt = 0;
  try {
    for await (const p of engine.generate({ prompt: 'Once upon a time', maxTokens: 200 })) {
      if (p.type === 'text' && ++textParts === 2) {
        killedAt = performance.now();
        lastWorker().terminate();
      }
      if (p.type === 'finish') return { code: `finished:${p.reason}`, endedMs: 0, textParts };
    }
  } catch (e) {
    return { code: codeOf(e), endedMs: performance.now() - killedAt, textParts };
  }
  return { code: 'ended without finish', endedMs: 0, textParts };
}

describe('reliability: worker death', () => {
  const model = { id: 'tiny-llama-death', url: FIXTURE_URL, dtype: 'q4' } as const;

  it('killed mid-stream 10 times: worker_crashed within 1 s each time, the same engine recovers from the cache, dispose() within 1 s', async () => {
    const engine = createEngine({ model });
    await engine.cache.delete();
    await engine.load();
    const before = workersStarted();
    let worst = 0;
    for (let i = 0; i < 10; i++) {
      const r = await killMidStream(engine);
      assertEqual(r.code, 'worker_crashed', `run ${i}: the stream ends with a typed error`);
      worst = Math.max(worst, r.endedMs);
      assert(r.endedMs < 1000, `run ${i}: ended ${r.endedMs.toFixed(0)} ms after the kill`);
      const sources = new Set<string>();
      await engine.load({ onProgress: (p: Progress) => sources.add(p.source) });
      assertEqual([...sources], ['cache'], `run ${i}: the fresh worker read the weights from the cache`);
      const next = await engine.text({ prompt: 'Once upon a time', maxTokens: 4 });
      assert(next.length > 0, `run ${i}: the same engine answers after the crash`);
    }
    assertEqual(workersStarted() - before, 10, 'one fresh worker per crash');
    await engine.cache.delete();
    const t0 = performance.now();
    await engine.dispose();
    const disposeMs = performance.now() - t0;
    console.log(`worker kill: slowest of 10 streams ended ${worst.toFixed(1)} ms after the kill; dispose() took ${disposeMs.toFixed(1)} ms`);
    assert(disposeMs < 1000, 'dispose() settles within a second');
  });

  it('a crash while idle is noticed: the next call starts a fresh worker and works', async () => {
    const engine = createEngine({ model, cache: false });
    try {
      await engine.load();
      lastWorker().terminate();
      await new Promise((r) => setTimeout(r, 50));
      assert((await engine.text({ prompt: 'Hi', maxTokens: 3 })).length > 0, 'text after an idle crash');
    } finally {
      await engine.dispose();
    }
  });

  it('killed during load: load() rejects with worker_crashed within 1 s, and the next load() succeeds', async () => {
    await resetServer();
    await fetch(`${MODEL_SERVER}/__ctl/faults`, { method: 'POST', body: JSON.stringify([{ match: 'tiny-llama/onnx/model_q4.onnx', bytesPerSecond: 40_000, times: 1 }]) });
    const engine = createEngine({ model, cache: false });
    try {
      let killedAt = 0;
      const e = await rejection(engine.load({
        onProgress: (p) => {
          if (killedAt === 0 && p.file.endsWith('.onnx') && p.loaded > 0) {
            killedAt = performance.now();
            lastWorker().terminate();
          }
        },
      }));
      assertEqual(codeOf(e), 'worker_crashed', 'typed error');
      assert(performance.now() - killedAt < 1000, 'within a second of the kill');
      await resetServer();
      await engine.load();
      assert((await engine.text({ prompt: 'Hi', maxTokens: 3 })).length > 0, 'works after the crashed load');
    } finally {
      await engine.dispose();
      await resetServer();
    }
  });

  it('dispose() settles within 1 s mid-stream and after the worker died, and calls after it fail with disposed', async () => {
    const a = createEngine({ model, cache: false });
    await a.load();
    const stream = a.generate({ prompt: 'Once upon a time', maxTokens: 200 })[Symbol.asyncIterator]();
    await stream.next();
    let t0 = performance.now();
    await a.dispose();
    assert(performance.now() - t0 < 1000, 'dispose mid-stream within a second');
    let end = 'no end';
    try {
      for (let r = await stream.next(); !r.done; r = await stream.next()) if (r.value.type === 'finish') end = `finish:${r.value.reason}`;
    } catch (e) {
      end = codeOf(e);
    }
    assert(end === 'finish:abort' || end === 'disposed', `the stream ended with an abort finish or a typed disposed error (${end})`);

    const b = createEngine({ model, cache: false });
    await b.load();
    lastWorker().terminate();
    t0 = performance.now();
    await b.dispose();
    assert(performance.now() - t0 < 1000, 'dispose after a crash within a second');
    assertEqual(codeOf(await rejection(b.load())), 'disposed', 'load() after dispose()');
    assertEqual(codeOf(await rejection(b.text({ prompt: 'x' }))), 'disposed', 'text() after dispose()');
  });
});

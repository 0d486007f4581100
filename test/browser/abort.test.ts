/** Acceptance: an AbortSignal ends a stream within one token, and the engine stays usable. */
import { createEngine, type Part } from '/dist/edgewise.js';
import { FIXTURE_URL, assert, assertEqual } from './helpers.js';

describe('abort', () => {
  const engine = createEngine({ model: { id: 'tiny-llama', url: FIXTURE_URL, dtype: 'q4' }, cache: false });
  after(() => engine.dispose());

  it('ends the stream with a finish part of reason "abort" within one token, then the next generate works', async () => {
    await engine.load();
    const controller = new AbortController();
    const parts: Part[] = [];
    let textAtAbort = -1;
    for await (const part of engine.generate({ prompt: 'Hello there', maxTokens: 200, signal: controller.signal })) {
      parts.push(part);
      if (part.type === 'text' && parts.length === 5) {
        textAtAbort = parts.length;
        controller.abort();
      }
    }
    const finish = parts.at(-1);
    assert(finish?.type === 'finish', 'the stream ends with a finish part');
    assertEqual(finish.reason, 'abort', 'finish reason');
    const textAfterAbort = parts.length - 1 - textAtAbort;
    assertEqual(textAfterAbort, 0, 'no text reaches the caller after abort()');
    // The worker stops within a decode step of seeing the abort, long before maxTokens.
    assert(finish.usage.completionTokens < 100, `the worker stopped early (${finish.usage.completionTokens} of 200 tokens)`);

    const next = await engine.text({ prompt: 'Hello there', maxTokens: 8 });
    assert(next.length > 0, 'the next generate on the same engine produces text');
  });

  it('an already-aborted signal yields only a finish part of reason "abort"', async () => {
    const parts: Part[] = [];
    for await (const part of engine.generate({ prompt: 'Hi', maxTokens: 5, signal: AbortSignal.abort() })) parts.push(part);
    assertEqual(parts.map((p) => p.type), ['finish'], 'only a finish part');
    assertEqual(parts[0]?.type === 'finish' && parts[0].reason, 'abort', 'reason abort');
  });

  it('breaking out of the loop cancels the request in the worker and the engine keeps working', async () => {
    let n = 0;
    for await (const part of engine.generate({ prompt: 'Hi', maxTokens: 200 })) {
      if (part.type === 'text' && ++n === 2) break;
    }
    const parts: Part[] = [];
    for await (const part of engine.generate({ prompt: 'Hi', maxTokens: 4 })) parts.push(part);
    const finish = parts.at(-1);
    assert(finish?.type === 'finish' && (finish.reason === 'length' || finish.reason === 'stop'), 'second request completes normally');
  });
});

describe('abort while loading', () => {
  it('rejects load() with a typed "aborted" error promptly, and the next load succeeds', async () => {
    const { MODEL_SERVER, resetServer } = await import('./helpers.js');
    await resetServer();
    // Throttle the weights so the abort lands mid-download.
    await fetch(`${MODEL_SERVER}/__ctl/faults`, { method: 'POST', body: JSON.stringify([{ match: 'tiny-llama/onnx/model_q4.onnx', bytesPerSecond: 40_000, times: 1 }]) });
    const engine = createEngine({ model: { id: 'tiny-llama-abort-load', url: FIXTURE_URL, dtype: 'q4' } });
    try {
      await engine.cache.delete();
      const controller = new AbortController();
      let sawBytes = false;
      const loading = engine.load({ signal: controller.signal, onProgress: (p) => { if (p.file.endsWith('.onnx') && p.loaded > 0 && !sawBytes) { sawBytes = true; controller.abort(); } } });
      const t0 = performance.now();
      let code = '';
      try { await loading; } catch (e) { code = (e as { code: string }).code; }
      assertEqual(code, 'aborted', 'typed abort error');
      assert(performance.now() - t0 < 3000, 'the abort took effect promptly');
      await resetServer();
      await engine.load();
      assert((await engine.text({ prompt: 'Hi', maxTokens: 3 })).length > 0, 'the engine works after an aborted load');
    } finally {
      await engine.cache.delete();
      await engine.dispose();
      await resetServer();
    }
  });
});

describe('dispose during generation', () => {
  it('cancels the running request: the stream ends promptly (abort finish or typed "disposed"), never hangs', async () => {
    const engine = createEngine({ model: { id: 'tiny-llama', url: FIXTURE_URL, dtype: 'q4' }, cache: false });
    await engine.load();
    const seen: string[] = [];
    let disposing: Promise<void> | undefined;
    const t0 = performance.now();
    try {
      for await (const part of engine.generate({ prompt: 'Hello', maxTokens: 200 })) {
        seen.push(part.type === 'finish' ? `finish:${part.reason}` : 'text');
        if (seen.length === 3) disposing = engine.dispose();
      }
    } catch (e) {
      seen.push(`error:${(e as { code?: string }).code}`);
    }
    await disposing;
    const last = seen.at(-1);
    assert(last === 'finish:abort' || last === 'error:disposed', `ended with ${last}`);
    assert(performance.now() - t0 < 5000, 'ended promptly');
  });
});

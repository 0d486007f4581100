/**
 * Aborts through the web-llm adapter over the recording fake MLCEngine: during the load
 * (web-llm's engine unloaded, the load rejected `aborted` at once), and mid-stream
 * (`interruptGenerate()`, no text after the abort, an `abort` finish).
 */
import { describe, expect, it } from 'vitest';
import type { BackendPart } from '../../../src/backends/backend.js';
import { isEdgewiseError } from '../../../src/errors.js';
import type { Progress } from '../../../src/types.js';
import { progressReports } from '../../fakes/fake-mlc-engine.js';
import { collect, overFake, rejection, request } from './harness.js';

// 40 reports 25 ms apart: a 1 s load, so an abort that waited for web-llm's reload to end
// would take most of a second (was 5 ms apart with a 50 ms bound, too tight under load).
const slowLoad = { progress: progressReports(false, 40), progressStepMs: 25 };

describe('webllm abort during load, over the recording fake MLCEngine', () => {
  for (const abortedReload of ['resolve', 'reject'] as const) {
    it(`rejects aborted promptly and unloads the engine (web-llm's reload ${abortedReload}s when aborted)`, async () => {
      const { backend, mod } = overFake({ ...slowLoad, abortedReload });
      const controller = new AbortController();
      const progress: Progress[] = [];
      const load = backend.load({ signal: controller.signal, onProgress: (p) => progress.push(p) });
      await new Promise((r) => setTimeout(r, 40));
      const at = performance.now();
      controller.abort();
      const e = await rejection(load);
      expect(performance.now() - at).toBeLessThan(500);
      expect(isEdgewiseError(e) && e.code).toBe('aborted');
      expect(mod.calls).toContainEqual({ method: 'unload', duringReload: true });
      const reported = progress.length;
      await new Promise((r) => setTimeout(r, 60));
      expect(progress.length).toBe(reported);
      expect(mod.engines[0]?.loadedModel).toBeUndefined();
      // The next load starts afresh and works.
      mod.script = {};
      await backend.load();
      expect(mod.engines).toHaveLength(2);
    });
  }

  it('an already-aborted signal rejects before web-llm is asked', async () => {
    const { backend, mod } = overFake();
    const e = await rejection(backend.load({ signal: AbortSignal.abort() }));
    expect(isEdgewiseError(e) && e.code).toBe('aborted');
    expect(mod.engines).toHaveLength(0);
  });

  it('unload() during a load aborts it', async () => {
    const { backend, mod } = overFake(slowLoad);
    const load = backend.load();
    await new Promise((r) => setTimeout(r, 20));
    await backend.unload();
    const e = await rejection(load);
    expect(isEdgewiseError(e) && e.code).toBe('aborted');
    expect(mod.calls).toContainEqual({ method: 'unload', duringReload: true });
  });
});

describe('webllm abort mid-stream, over the recording fake MLCEngine', () => {
  const chunks = Array.from({ length: 20 }, (_, i) => `t${i} `);

  it('interrupts web-llm, ends with an abort finish carrying web-llm usage, no text after the abort', async () => {
    const { backend, mod } = overFake({ chunks, stepMs: 5, promptTokens: 11 });
    await backend.load();
    const controller = new AbortController();
    const parts: BackendPart[] = [];
    for await (const p of backend.generate(request(), { signal: controller.signal })) {
      parts.push(p);
      if (parts.length === 3) controller.abort();
    }
    expect(parts.map((p) => p.type)).toEqual(['text', 'text', 'text', 'finish']);
    const f = parts.at(-1);
    expect(f?.type === 'finish' && f.reason).toBe('abort');
    expect(f?.type === 'finish' && f.usage.promptTokens).toBe(11);
    expect(mod.calls.some((c) => c.method === 'interruptGenerate')).toBe(true);
  });

  it('an abort while web-llm computes the next token ends the stream within one step', async () => {
    // Steps of 1 s, the abort 100 ms into the second one: waiting for the step would take
    // 900 ms, so half a step still tells (was 200 ms steps and a 150 ms bound).
    const { backend, mod } = overFake({ chunks, stepMs: 1000 });
    await backend.load();
    const controller = new AbortController();
    const parts: BackendPart[] = [];
    let at = 0;
    setTimeout(() => { at = performance.now(); controller.abort(); }, 1100);
    for await (const p of backend.generate(request(), { signal: controller.signal })) parts.push(p);
    expect(performance.now() - at).toBeLessThan(500);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', reason: 'abort' });
    expect(mod.calls.some((c) => c.method === 'interruptGenerate')).toBe(true);
  });

  it('leaving the loop interrupts web-llm, and the next request is not interrupted', async () => {
    const { backend, mod } = overFake({ chunks, stepMs: 2 });
    await backend.load();
    for await (const p of backend.generate(request())) if (p.type === 'text') break;
    expect(mod.calls.filter((c) => c.method === 'interruptGenerate').length).toBeGreaterThan(0);
    const parts = await collect(backend.generate(request()));
    expect(parts.filter((p) => p.type === 'text')).toHaveLength(20);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', reason: 'stop' });
  });

  it('a request queued behind an aborted one never reaches web-llm and does not interrupt the running one', async () => {
    const { backend, mod } = overFake({ chunks: chunks.slice(0, 6), stepMs: 5 });
    await backend.load();
    const running = collect(backend.generate(request()));
    const controller = new AbortController();
    const queued = collect(backend.generate(request(), { signal: controller.signal }));
    await new Promise((r) => setTimeout(r, 8));
    controller.abort();
    expect((await queued).map((p) => p.type === 'finish' && p.reason)).toEqual(['abort']);
    expect((await running).at(-1)).toMatchObject({ type: 'finish', reason: 'stop' });
    expect(mod.calls.filter((c) => c.method === 'chatCompletion')).toHaveLength(1);
    expect(mod.calls.some((c) => c.method === 'interruptGenerate')).toBe(false);
  });
});

/**
 * Failures and aborts of generate() against a recording fake of the Prompt API:
 * QuotaExceededError is context_overflow, other DOMExceptions are runtime_error with
 * their cause, an abort at any stage is a prompt abort finish with no text after it,
 * and every per-request session is destroyed whatever happened.
 */
import { describe, expect, it } from 'vitest';
import type { BackendPart } from '../../../src/backends/backend.js';
import { collect, codeOf, request, setup } from './helpers.js';

describe('builtin failures and aborts (recording fake of the Prompt API)', () => {
  it('a prompt over the context window is context_overflow with the counts, before prompting', async () => {
    const { fake, backend } = setup({ contextWindow: 10 });
    await backend.load();
    const e = await collect(backend.generate(request({ prompt: 'x'.repeat(100) }))).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'context_overflow', details: { promptTokens: 25, contextLength: 10 } });
    expect(fake.callsOf('promptStreaming')).toHaveLength(0);
    expect(fake.live()).toHaveLength(1);
  });

  it("the browser's QuotaExceededError (from the stream, or from create() for long history) is context_overflow", async () => {
    const { fake, backend } = setup({ contextWindow: 10, usageNames: 'none' });
    await backend.load();
    const fromStream = await collect(backend.generate(request({ prompt: 'x'.repeat(100) }))).catch((x: unknown) => x);
    expect(fromStream).toMatchObject({ code: 'context_overflow', cause: { name: 'QuotaExceededError' } });
    const history = [{ role: 'user', content: 'x'.repeat(100) }, { role: 'assistant', content: 'ok' }, { role: 'user', content: 'and?' }] as const;
    expect(await codeOf(collect(backend.generate(request({ messages: history }))))).toBe('context_overflow');
    expect(fake.live()).toHaveLength(1);
  });

  it('another DOMException mid-stream is a runtime_error with the cause; the session is destroyed and the next call works', async () => {
    const crash = new DOMException('The model process crashed.', 'UnknownError');
    const { fake, backend } = setup({ promptError: { afterChunks: 2, error: crash } });
    await backend.load();
    const seen: BackendPart[] = [];
    const e = await (async () => { for await (const p of backend.generate(request())) seen.push(p); })().catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'runtime_error', cause: crash, details: { name: 'UnknownError' } });
    expect(seen.map((p) => p.type)).toEqual(['text', 'text']);
    expect(fake.live()).toHaveLength(1);
    const { promptError: _fixed, ...healthy } = fake.script;
    fake.script = healthy;
    expect((await collect(backend.generate(request()))).finish.reason).toBe('stop');
  });

  it('an already aborted signal finishes with abort and creates no session', async () => {
    const { fake, backend } = setup();
    await backend.load();
    const { parts, finish } = await collect(backend.generate(request(), { signal: AbortSignal.abort() }));
    expect(parts).toHaveLength(1);
    expect(finish).toMatchObject({ reason: 'abort', ranOn: 'builtin', usage: { completionTokens: 0 } });
    expect(fake.callsOf('create')).toHaveLength(1);
  });

  it('abort mid-stream: no text after it, the browser sees the signal, the session is destroyed', async () => {
    const { fake, backend } = setup({ chunks: ['a', 'b', 'c', 'd', 'e', 'f'], stepMs: 5 });
    await backend.load();
    const controller = new AbortController();
    const parts: BackendPart[] = [];
    let afterAbort = 0;
    for await (const p of backend.generate(request(), { signal: controller.signal })) {
      if (controller.signal.aborted && p.type === 'text') afterAbort++;
      parts.push(p);
      if (parts.length === 2) controller.abort();
    }
    expect(afterAbort).toBe(0);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', reason: 'abort', usage: { completionTokens: 1 } });
    expect(fake.sessions[1]?.destroyed).toBe(true);
    expect(fake.callsOf('create')[1]?.options.signal?.aborted).toBe(true);
  });

  it('abort while the per-request session is being created ends at once, even if the browser ignores the signal', async () => {
    const { fake, backend } = setup();
    await backend.load();
    // The create takes 1 s; ending in under half of it shows the abort did not wait for it
    // (was 500 ms and a 250 ms bound, too tight for a loaded 2-core runner).
    fake.script = { createMs: 1000, ignoreSignals: true };
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 10);
    const t0 = performance.now();
    const { parts, finish } = await collect(backend.generate(request(), { signal: controller.signal }));
    expect(performance.now() - t0).toBeLessThan(500);
    expect([parts.length, finish.reason]).toEqual([1, 'abort']);
    // The late session is destroyed when it arrives.
    await new Promise((r) => setTimeout(r, 1050));
    expect(fake.live()).toHaveLength(1);
  });

  it('abort while the browser ignores the signal mid-stream still ends promptly with no text after it', async () => {
    // The next chunk comes 1 s after the first: ending within half of that shows the abort
    // did not wait for it (was 300 ms steps and a 150 ms bound, too tight under load).
    const { backend } = setup({ chunks: ['a', 'b', 'c'], stepMs: 1000, ignoreSignals: true });
    await backend.load();
    const controller = new AbortController();
    const parts: BackendPart[] = [];
    let t0 = 0;
    for await (const p of backend.generate(request(), { signal: controller.signal })) {
      parts.push(p);
      if (p.type === 'text') setTimeout(() => { t0 = performance.now(); controller.abort(); }, 10);
    }
    expect(performance.now() - t0).toBeLessThan(500);
    expect(parts.map((p) => p.type)).toEqual(['text', 'finish']);
    expect(parts.at(-1)).toMatchObject({ reason: 'abort' });
  });
});

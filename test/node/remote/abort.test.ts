/** Aborting at every stage ends promptly with a finish of reason 'abort', and the server sees the connection close. */
import { describe, expect, it } from 'vitest';
import type { BackendPart } from '../../../src/backends/backend.js';
import { createRemoteBackend } from '../../../src/backends/remote/index.js';
import { chatPosts, collect, eventually, request, useServer } from './helpers.js';

const server = useServer();
const backend = (): ReturnType<typeof createRemoteBackend> => createRemoteBackend({ baseURL: server().url, model: 'echo-1', prices: { input: 1, output: 1 } });
const longMessage = [{ role: 'user', content: 'a fairly long message that takes a while to echo back' }] as const;

describe('remote backend: abort', () => {
  it('an already aborted signal finishes with abort and sends nothing', async () => {
    const { parts, finish } = await collect(backend().generate(request(), { signal: AbortSignal.abort() }));
    expect(parts).toHaveLength(1);
    expect(finish).toMatchObject({ reason: 'abort', ranOn: 'remote', usage: { promptTokens: 0, completionTokens: 0 }, cost: { total: 0 } });
    expect(server().log()).toEqual([]);
  });

  it('before the headers: finish abort at once (not an error), and the connection is closed', async () => {
    server().setFaults([{ match: 'chat', headersDelayMs: 5000 }]);
    const controller = new AbortController();
    const stream = collect(backend().generate(request(), { signal: controller.signal }));
    // Abort once the server holds the request, so the test is about a request in flight.
    await eventually(() => chatPosts(server()).length === 1);
    const t0 = performance.now();
    controller.abort();
    const { parts, finish } = await stream;
    expect(performance.now() - t0).toBeLessThan(500);
    expect(parts).toHaveLength(1);
    expect(finish.reason).toBe('abort');
    await eventually(() => chatPosts(server())[0]?.closedEarly === true);
  });

  it('during the backoff sleep: finish abort at once, no further request', async () => {
    server().setFaults([{ match: 'chat', status: 503, headers: { 'retry-after': '30' } }]);
    const controller = new AbortController();
    const t0 = performance.now();
    const stream = backend().generate(request(), { signal: controller.signal });
    setTimeout(() => controller.abort(), 150);
    const { parts, finish } = await collect(stream);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect([parts.length, finish.reason]).toEqual([1, 'abort']);
    expect(chatPosts(server())).toHaveLength(1);
  });

  it('during an injected sleep that ignores the signal: still prompt', async () => {
    server().setFaults([{ match: 'chat', status: 503 }]);
    const controller = new AbortController();
    const stubborn = (): Promise<void> => new Promise((r) => setTimeout(r, 5000));
    const b = createRemoteBackend({ baseURL: server().url, model: 'echo-1' }, { sleep: stubborn });
    setTimeout(() => controller.abort(), 100);
    const t0 = performance.now();
    const { finish } = await collect(b.generate(request(), { signal: controller.signal }));
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(finish.reason).toBe('abort');
  });

  it('mid-stream: no text after the abort, finish abort, and the server sees the connection closed', async () => {
    server().setFaults([{ match: 'chat', chunkDelayMs: 40 }]);
    const controller = new AbortController();
    const parts: BackendPart[] = [];
    for await (const part of backend().generate(request({ messages: longMessage }), { signal: controller.signal })) {
      parts.push(part);
      if (parts.length === 2) controller.abort();
    }
    expect(parts.map((p) => p.type)).toEqual(['text', 'text', 'finish']);
    expect(parts[2]).toMatchObject({ type: 'finish', reason: 'abort' });
    await eventually(() => chatPosts(server())[0]?.closedEarly === true);
    // 15 chunks in all; the server stopped well before the end.
    expect(chatPosts(server())[0]?.chunks).toBeLessThan(15);
  });

  it('mid-stream with text already buffered: nothing of it is emitted after the abort', async () => {
    // One-character chunks arrive faster than we read them, so many sit in the buffer.
    server().setFaults([{ match: 'chat', chunkSize: 1 }]);
    const controller = new AbortController();
    const parts: BackendPart[] = [];
    for await (const part of backend().generate(request({ messages: longMessage }), { signal: controller.signal })) {
      parts.push(part);
      if (parts.length === 3) controller.abort();
    }
    expect(parts.map((p) => p.type)).toEqual(['text', 'text', 'text', 'finish']);
    expect(parts.at(-1)).toMatchObject({ reason: 'abort', usage: { completionTokens: 0 } });
  });

  it('breaking out of the loop cancels the request', async () => {
    server().setFaults([{ match: 'chat', chunkDelayMs: 40 }]);
    for await (const part of backend().generate(request({ messages: longMessage }))) {
      if (part.type === 'text') break;
    }
    await eventually(() => chatPosts(server())[0]?.closedEarly === true);
  });

  it('aborting while the token function is pending finishes with abort and sends nothing', async () => {
    const controller = new AbortController();
    const b = createRemoteBackend({ baseURL: server().url, model: 'echo-1', token: () => new Promise<string>(() => undefined) });
    setTimeout(() => controller.abort(), 50);
    const { finish } = await collect(b.generate(request(), { signal: controller.signal }));
    expect(finish.reason).toBe('abort');
    expect(server().log()).toEqual([]);
  });

  it('the next call after an abort works', async () => {
    const controller = new AbortController();
    const b = backend();
    for await (const _part of b.generate(request(), { signal: controller.signal })) controller.abort();
    expect((await collect(b.generate(request()))).text).toBe('Echo: hello there world');
  });
});

/** The remote backend's stream against a real OpenAI-compatible server: parts, usage, cost, the request it sends. */
import { describe, expect, it } from 'vitest';
import { createRemoteBackend } from '../../../src/backends/remote/index.js';
import type { Capabilities } from '../../../src/capabilities.js';
import { chatPosts, collect, request, useServer } from './helpers.js';

const server = useServer();
const backend = (extra: Partial<Parameters<typeof createRemoteBackend>[0]> = {}): ReturnType<typeof createRemoteBackend> =>
  createRemoteBackend({ baseURL: server().url, model: 'echo-1', ...extra });

describe('remote backend: stream shape', () => {
  it('streams text parts, then exactly one finish with the server usage and ranOn remote', async () => {
    const { parts, text, finish } = await collect(backend().generate(request()));
    expect(text).toBe('Echo: hello there world');
    // The server sends 4-character chunks; each becomes one part, none empty.
    expect(parts.slice(0, -1).map((p) => (p.type === 'text' ? p.text : ''))).toEqual(['Echo', ': he', 'llo ', 'ther', 'e wo', 'rld']);
    expect(finish).toMatchObject({ type: 'finish', reason: 'stop', ranOn: 'remote', usage: { promptTokens: 3, completionTokens: 6 } });
    expect(finish.cost).toBeUndefined();
    expect(finish.usage.timeToFirstTokenMs).toBeGreaterThan(0);
    expect(finish.usage.totalMs).toBeGreaterThanOrEqual(finish.usage.timeToFirstTokenMs);
    expect(finish.usage.tokensPerSecond).toBeGreaterThanOrEqual(0);
  });

  it('measures time to first token from request.startedAt, and speed after the first token', async () => {
    server().setFaults([{ match: 'chat', firstByteDelayMs: 120, chunkDelayMs: 20 }]);
    const startedAt = performance.timeOrigin + performance.now() - 50;
    const { finish } = await collect(backend().generate(request({ startedAt })));
    expect(finish.usage.timeToFirstTokenMs).toBeGreaterThanOrEqual(165);
    // 6 chunks, 5 gaps of >= 20 ms after the first: at most 5 tokens per 100 ms, as the
    // server sends them. The client's clock sees the gaps a little shorter when chunks
    // queue up on the way (measured 99.99 ms here: 50.004 tokens/s), hence 10% of slack;
    // a rate over a wrong window is off by far more.
    expect(finish.usage.tokensPerSecond).toBeGreaterThan(0);
    expect(finish.usage.tokensPerSecond).toBeLessThanOrEqual((5 / 0.1) * 1.1);
    expect(finish.usage.totalMs).toBeGreaterThanOrEqual(finish.usage.timeToFirstTokenMs + 90);
  });

  it('prices the usage per million tokens, in USD unless told', async () => {
    const { finish } = await collect(backend({ prices: { input: 2, output: 10 } }).generate(request()));
    expect(finish.cost).toEqual({ input: (3 * 2) / 1e6, output: (6 * 10) / 1e6, total: (3 * 2 + 6 * 10) / 1e6, currency: 'USD' });
    const eur = await collect(backend({ prices: { input: 1, output: 1, currency: 'EUR' } }).generate(request()));
    expect(eur.finish.cost?.currency).toBe('EUR');
  });

  it("ends with 'length' when the server stops at max_tokens", async () => {
    const { text, finish } = await collect(backend().generate(request({ maxTokens: 2 })));
    expect(text).toBe('Echo: he');
    expect(finish).toMatchObject({ reason: 'length', usage: { completionTokens: 2 } });
  });

  it('with stream: false asks for one JSON completion and emits it as one text part', async () => {
    const { parts, finish } = await collect(backend({ prices: { input: 1, output: 1 } }).generate(request(), { stream: false }));
    expect(parts.map((p) => p.type)).toEqual(['text', 'finish']);
    expect(parts[0]).toEqual({ type: 'text', text: 'Echo: hello there world' });
    expect(finish).toMatchObject({ reason: 'stop', usage: { promptTokens: 3, completionTokens: 6 }, cost: { total: 9 / 1e6 } });
    const body = chatPosts(server())[0]?.body;
    expect(body?.stream).toBe(false);
    expect(body).not.toHaveProperty('stream_options');
  });
});

describe('remote backend: the request it sends', () => {
  it('POSTs the OpenAI body: model, messages, sampling, stream with usage; no topK or repetitionPenalty', async () => {
    const messages = [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }] as const;
    await collect(backend().generate(request({ messages, maxTokens: 20, temperature: 0.5, topP: 0.9, seed: 42, topK: 40, repetitionPenalty: 1.3, stop: ['\n\n'] })));
    const [entry] = chatPosts(server());
    expect(entry?.method).toBe('POST');
    expect(entry?.headers['content-type']).toBe('application/json');
    expect(entry?.body).toEqual({
      model: 'echo-1',
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }],
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 20,
      temperature: 0.5,
      top_p: 0.9,
      seed: 42,
      stop: ['\n\n'],
    });
  });

  it('turns a prompt into one user message and leaves out an empty stop list', async () => {
    const { messages: _chat, ...rest } = request();
    const { text } = await collect(backend().generate({ ...rest, prompt: 'Once upon a time' }));
    expect(text).toBe('Echo: Once upon a time');
    const body = chatPosts(server())[0]?.body;
    expect(body?.messages).toEqual([{ role: 'user', content: 'Once upon a time' }]);
    expect(body).not.toHaveProperty('stop');
  });

  it('accepts baseURL with or without a trailing slash, and sends the configured headers', async () => {
    await collect(createRemoteBackend({ baseURL: `${server().url}/`, model: 'echo-1', headers: { 'X-Team': 'docs' } }).generate(request()));
    await collect(backend().generate(request()));
    const entries = server().log();
    expect(entries.map((e) => e.path)).toEqual(['/v1/chat/completions', '/v1/chat/completions']);
    expect(entries[0]?.headers['x-team']).toBe('docs');
    expect(entries[0]?.headers.authorization).toBeUndefined();
  });
});

describe('remote backend: the rest of the BackendV3 contract', () => {
  const caps = (online: boolean): Capabilities => ({ threads: false, cores: 1, storageManager: false, online });

  it("is a v3 backend with kind and location 'remote'; supports() says 'offline' when offline", () => {
    const b = backend();
    expect([b.specificationVersion, b.kind, b.location]).toEqual(['v3', 'remote', 'remote']);
    expect(b.supports(caps(true))).toEqual({ ok: true });
    expect(b.supports(caps(false))).toMatchObject({ ok: false, code: 'offline' });
  });

  it('declares the OpenAI sampling settings, both JSON formats and tools; it is always loaded, on the remote', () => {
    const b = backend();
    expect(b.capabilities).toEqual({ sampling: ['temperature', 'topP', 'seed', 'stop'], responseFormats: ['json_schema', 'json_object'], tools: true });
    expect(b.state).toEqual({ ranOn: 'remote', loaded: true });
  });

  it('load() resolves without a request and unload() is a no-op, twice over', async () => {
    const b = backend();
    await expect(b.load()).resolves.toEqual({ ranOn: 'remote' });
    await expect(b.load()).resolves.toEqual({ ranOn: 'remote' });
    await b.unload();
    await b.unload();
    expect(server().log()).toEqual([]);
    expect((await collect(b.generate(request()))).text).toBe('Echo: hello there world');
  });
});

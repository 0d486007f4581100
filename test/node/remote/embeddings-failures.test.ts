/** Remote embeddings that fail: retries and their limits, typed errors, answers that are not the wire format, timeouts and aborts. */
import { describe, expect, it } from 'vitest';
import type { EmbedRequest } from '../../../src/backends/backend.js';
import { createRemoteBackend, type RemoteDeps } from '../../../src/backends/remote/index.js';
import { EdgewiseError, isEdgewiseError } from '../../../src/errors.js';
import type { RemoteOptions } from '../../../src/config-types.js';
import { embeddingPosts, eventually, recordingSleep, serverVector, useServer } from './helpers.js';

const server = useServer();

function setup(options: Partial<RemoteOptions> = {}, deps: RemoteDeps = {}): { backend: ReturnType<typeof createRemoteBackend>; waits: number[] } {
  const { waits, sleep } = recordingSleep();
  const backend = createRemoteBackend({ baseURL: server().url, model: 'echo-embed-1', ...options }, { sleep, random: () => 0.5, ...deps });
  return { backend, waits };
}
const embedRequest = (texts: readonly string[]): EmbedRequest => ({ texts, batchSize: 32, normalize: false });
const texts = (n: number): string[] => Array.from({ length: n }, (_, i) => `text ${i}`);

/** Awaits a rejection that must be our typed error. */
async function failure(promise: Promise<unknown>): Promise<EdgewiseError> {
  try {
    await promise;
  } catch (e) {
    if (!isEdgewiseError(e) || !(e instanceof EdgewiseError)) throw e;
    return e;
  }
  throw new Error('expected a rejection');
}

describe('remote embed: retries', () => {
  it('honours Retry-After on a 429 (through the injected sleep), then succeeds', async () => {
    server().setFaults([{ match: 'embeddings', status: 429, headers: { 'retry-after': '2' }, times: 1 }]);
    const { backend, waits } = setup();
    const { vectors } = await backend.embed(embedRequest(['alpha']));
    expect(vectors).toEqual([serverVector('alpha')]);
    expect(waits).toEqual([2000]);
    expect(embeddingPosts(server()).map((e) => e.status)).toEqual([429, 200]);
  });

  it('retries a 503 with jittered backoff, then succeeds', async () => {
    server().setFaults([{ match: 'embeddings', status: 503, times: 1 }]);
    const { backend, waits } = setup();
    await backend.embed(embedRequest(['alpha']));
    expect(waits).toEqual([375]);
    expect(embeddingPosts(server()).map((e) => e.status)).toEqual([503, 200]);
  });

  it('retries only the batch that failed', async () => {
    const { backend } = setup();
    const done: number[] = [];
    // Once the first batch is in, the second request fails once.
    const failSecond = (n: number): void => {
      done.push(n);
      if (n === 256) server().setFaults([{ match: 'embeddings', status: 500, times: 1 }]);
    };
    await backend.embed(embedRequest(texts(300)), { onBatch: failSecond });
    expect(embeddingPosts(server()).map((e) => [e.status, (e.body?.input as string[]).length])).toEqual([[200, 256], [500, 44], [200, 44]]);
    expect(done).toEqual([256, 300]);
  });

  it('gives up after maxRetries with remote_http_error carrying status, body and attempts', async () => {
    const body = { error: { message: 'Overloaded', type: 'server_error', code: 'overloaded' } };
    server().setFaults([{ match: 'embeddings', status: 503, body }]);
    const { backend, waits } = setup({ maxRetries: 1 });
    const error = await failure(backend.embed(embedRequest(['a'])));
    expect(error.code).toBe('remote_http_error');
    expect(error.details).toMatchObject({ status: 503, body, attempts: 2 });
    expect(waits).toHaveLength(1);
  });

  it('gives up on 429 with remote_rate_limited and details.retryAfterMs', async () => {
    server().setFaults([{ match: 'embeddings', status: 429, headers: { 'retry-after': '1' } }]);
    const error = await failure(setup({ maxRetries: 0 }).backend.embed(embedRequest(['a'])));
    expect([error.code, error.details.retryAfterMs, error.details.attempts]).toEqual(['remote_rate_limited', 1000, 1]);
  });

  it('does not retry 401: remote_unauthorized', async () => {
    server().setFaults([{ match: 'embeddings', status: 401 }]);
    const { backend, waits } = setup();
    const error = await failure(backend.embed(embedRequest(['a'])));
    expect(error.code).toBe('remote_unauthorized');
    expect(error.details).toMatchObject({ status: 401, attempts: 1 });
    expect(waits).toEqual([]);
    expect(embeddingPosts(server())).toHaveLength(1);
  });

  it('retries a body cut halfway, and fails with remote_network_error when it keeps happening', async () => {
    server().setFaults([{ match: 'embeddings', dropAfterChunks: 0, times: 1 }]);
    expect((await setup().backend.embed(embedRequest(['a']))).vectors).toEqual([serverVector('a')]);
    server().reset();
    server().setFaults([{ match: 'embeddings', dropAfterChunks: 0 }]);
    const error = await failure(setup({ maxRetries: 1 }).backend.embed(embedRequest(['a'])));
    expect(error.code).toBe('remote_network_error');
    expect(error.details).toMatchObject({ attempts: 2 });
    expect(error.details).not.toHaveProperty('afterFirstToken');
  });
});

describe('remote embed: answers that are not the embeddings shape', () => {
  const bodies: [string, unknown][] = [
    ['no data', { object: 'list', usage: { prompt_tokens: 1 } }],
    ['too few vectors', { data: [] }],
    ['an index out of range', { data: [{ index: 3, embedding: [1] }] }],
    ['no index', { data: [{ embedding: [1] }] }],
    ['a string that is not base64', { data: [{ index: 0, embedding: 'not base64!' }] }],
    ['base64 that is not whole float32s', { data: [{ index: 0, embedding: 'AAA=' }] }],
    ['an array of strings', { data: [{ index: 0, embedding: ['1'] }] }],
    ['an empty vector', { data: [{ index: 0, embedding: [] }] }],
    ['a value beyond float32', { data: [{ index: 0, embedding: [1e39] }] }],
    ['a bad usage', { data: [{ index: 0, embedding: [1] }], usage: { prompt_tokens: 'many' } }],
  ];

  it.each(bodies)('%s: remote_protocol_error, not retried', async (_what, body) => {
    server().setFaults([{ match: 'embeddings', status: 200, body }]);
    const error = await failure(setup().backend.embed(embedRequest(['a'])));
    expect(error.code).toBe('remote_protocol_error');
    expect(error.details.attempts).toBe(1);
    expect(embeddingPosts(server())).toHaveLength(1);
  });

  it('duplicate indexes or vectors of different lengths: remote_protocol_error', async () => {
    for (const data of [[{ index: 0, embedding: [1] }, { index: 0, embedding: [1] }], [{ index: 0, embedding: [1] }, { index: 1, embedding: [1, 2] }]]) {
      server().setFaults([{ match: 'embeddings', status: 200, body: { data } }]);
      expect((await failure(setup().backend.embed(embedRequest(['a', 'b'])))).code).toBe('remote_protocol_error');
    }
  });

  it('JSON cut short, and an HTML page with 200: remote_protocol_error', async () => {
    server().setFaults([{ match: 'embeddings', malformed: true }]);
    const cut = await failure(setup().backend.embed(embedRequest(['a'])));
    expect([cut.code, String(cut.details.sample)]).toEqual(['remote_protocol_error', '{"object": "list", "data": [']);
    server().setFaults([{ match: 'embeddings', status: 200, body: '<html>login</html>', headers: { 'content-type': 'text/html' } }]);
    expect((await failure(setup().backend.embed(embedRequest(['a'])))).code).toBe('remote_protocol_error');
  });

  it('an error object sent with 200 is remote_http_error, decided by its code', async () => {
    server().setFaults([{ match: 'embeddings', status: 200, body: { error: { message: 'input too long', code: 400 } } }]);
    const error = await failure(setup().backend.embed(embedRequest(['a'])));
    expect(error.code).toBe('remote_http_error');
    expect(error.details).toMatchObject({ status: 400, inBand: true, attempts: 1 });
  });
});

describe('remote embed: timeouts', () => {
  it("no headers within connectMs: remote_timeout phase 'connect', retried", async () => {
    server().setFaults([{ match: 'embeddings', headersDelayMs: 3000 }]);
    const error = await failure(setup({ timeouts: { connectMs: 200 }, maxRetries: 1 }).backend.embed(embedRequest(['a'])));
    expect(error.code).toBe('remote_timeout');
    expect(error.details).toMatchObject({ phase: 'connect', timeoutMs: 200, attempts: 2 });
    await eventually(() => embeddingPosts(server()).every((e) => e.closedEarly));
  });

  it("headers but no body within firstByteMs: phase 'first_byte'; a retry that answers in time succeeds", async () => {
    server().setFaults([{ match: 'embeddings', firstByteDelayMs: 3000, times: 1 }]);
    const { vectors } = await setup({ timeouts: { firstByteMs: 200 } }).backend.embed(embedRequest(['a']));
    expect(vectors).toEqual([serverVector('a')]);
    server().setFaults([{ match: 'embeddings', firstByteDelayMs: 3000 }]);
    const error = await failure(setup({ timeouts: { firstByteMs: 200 }, maxRetries: 0 }).backend.embed(embedRequest(['a'])));
    expect(error.details).toMatchObject({ phase: 'first_byte', attempts: 1 });
  });
});

describe('remote embed: abort', () => {
  const aborted = async (promise: Promise<unknown>): Promise<EdgewiseError> => {
    const error = await failure(promise);
    expect(error.code).toBe('aborted');
    return error;
  };

  it('an already aborted signal rejects with aborted and sends nothing', async () => {
    await aborted(setup().backend.embed(embedRequest(['a']), { signal: AbortSignal.abort() }));
    expect(server().log()).toEqual([]);
  });

  it('between requests: rejects with aborted, details.done, and sends no further request', async () => {
    const controller = new AbortController();
    const error = await aborted(setup().backend.embed(embedRequest(texts(600)), { signal: controller.signal, onBatch: () => controller.abort() }));
    expect(error.details.done).toBe(256);
    expect(embeddingPosts(server())).toHaveLength(1);
  });

  it('mid-request: rejects at once and the server sees the connection closed', async () => {
    server().setFaults([{ match: 'embeddings', headersDelayMs: 5000 }]);
    const controller = new AbortController();
    const pending = setup().backend.embed(embedRequest(['a']), { signal: controller.signal });
    await eventually(() => embeddingPosts(server()).length === 1);
    const t0 = performance.now();
    controller.abort(new Error('user left'));
    const error = await aborted(pending);
    expect(performance.now() - t0).toBeLessThan(500);
    expect((error.cause as Error).message).toBe('user left');
    await eventually(() => embeddingPosts(server())[0]?.closedEarly === true);
  });

  it('during the backoff: rejects at once, no further request; the next call works', async () => {
    server().setFaults([{ match: 'embeddings', status: 503, headers: { 'retry-after': '30' }, times: 1 }]);
    const controller = new AbortController();
    const b = createRemoteBackend({ baseURL: server().url, model: 'echo-embed-1' });
    setTimeout(() => controller.abort(), 100);
    const t0 = performance.now();
    await aborted(b.embed(embedRequest(['a']), { signal: controller.signal }));
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(embeddingPosts(server())).toHaveLength(1);
    expect((await b.embed(embedRequest(['a']))).vectors).toEqual([serverVector('a')]);
  });
});

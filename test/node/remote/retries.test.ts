/** Which failures are retried, how long the backend waits, and the typed error once it gives up. */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createRemoteBackend, type RemoteDeps } from '../../../src/backends/remote/index.js';
import { backoffMs, retryAfterMs } from '../../../src/backends/remote/retry.js';
import type { RemoteOptions } from '../../../src/config-types.js';
import { chatPosts, collect, collectError, recordingSleep, request, useServer } from './helpers.js';

const server = useServer();

function setup(options: Partial<RemoteOptions> = {}, deps: RemoteDeps = {}): { backend: ReturnType<typeof createRemoteBackend>; waits: number[] } {
  const { waits, sleep } = recordingSleep();
  const backend = createRemoteBackend({ baseURL: server().url, model: 'echo-1', ...options }, { sleep, random: () => 0.5, ...deps });
  return { backend, waits };
}

describe('remote backend: retries', () => {
  it('honours Retry-After in seconds on a 429, then succeeds', async () => {
    server().setFaults([{ match: 'chat', status: 429, headers: { 'retry-after': '1' }, times: 1 }]);
    const { backend, waits } = setup();
    const { text } = await collect(backend.generate(request()));
    expect(text).toBe('Echo: hello there world');
    expect(waits).toEqual([1000]);
    expect(chatPosts(server()).map((e) => e.status)).toEqual([429, 200]);
  });

  it('honours Retry-After as an HTTP date, measured on the injected clock', async () => {
    const at = Math.floor(Date.now() / 1000) * 1000;
    server().setFaults([{ match: 'chat', status: 429, headers: { 'retry-after': new Date(at + 7000).toUTCString() }, times: 1 }]);
    const { backend, waits } = setup({}, { now: () => at });
    await collect(backend.generate(request({ startedAt: at })));
    expect(waits).toEqual([7000]);
  });

  it('caps any wait at 60 s, whatever Retry-After asks', async () => {
    server().setFaults([{ match: 'chat', status: 503, headers: { 'retry-after': '3600' }, times: 1 }]);
    const { backend, waits } = setup();
    await collect(backend.generate(request()));
    expect(waits).toEqual([60_000]);
  });

  it('retries 500 and 503 with exponential backoff and equal jitter, then succeeds', async () => {
    server().setFaults([{ match: 'chat', status: 500, times: 1 }, { match: 'chat', status: 503, times: 2 }]);
    const { backend, waits } = setup({ maxRetries: 3 });
    const { text } = await collect(backend.generate(request()));
    expect(text).toBe('Echo: hello there world');
    expect(chatPosts(server()).map((e) => e.status)).toEqual([500, 503, 503, 200]);
    // random() = 0.5: half the step plus a quarter of it; steps of 500, 1000, 2000 ms.
    expect(waits).toEqual([375, 750, 1500]);
  });

  it('retries 408 and 409 too', async () => {
    server().setFaults([{ match: 'chat', status: 408, times: 1 }]);
    await collect(setup().backend.generate(request()));
    server().reset();
    server().setFaults([{ match: 'chat', status: 409, times: 1 }]);
    await collect(setup().backend.generate(request()));
    expect(chatPosts(server()).map((e) => e.status)).toEqual([409, 200]);
  });

  it('gives up after maxRetries with remote_http_error carrying status, the JSON body and attempts', async () => {
    server().setFaults([{ match: 'chat', status: 503, body: { error: { message: 'Overloaded', type: 'server_error', code: 'overloaded' } } }]);
    const { backend, waits } = setup();
    const { error, parts } = await collectError(backend.generate(request()));
    expect(parts).toEqual([]);
    expect(error.code).toBe('remote_http_error');
    expect(error.details).toMatchObject({ status: 503, attempts: 3, body: { error: { message: 'Overloaded', type: 'server_error', code: 'overloaded' } } });
    expect(error.message).toContain('Overloaded');
    expect(chatPosts(server())).toHaveLength(3);
    expect(waits).toHaveLength(2);
  });

  it('gives up on 429 with remote_rate_limited and details.retryAfterMs', async () => {
    server().setFaults([{ match: 'chat', status: 429, headers: { 'retry-after': '2' } }]);
    const { error } = await collectError(setup({ maxRetries: 1 }).backend.generate(request()));
    expect(error.code).toBe('remote_rate_limited');
    expect(error.details).toMatchObject({ status: 429, retryAfterMs: 2000, attempts: 2 });
    expect(chatPosts(server())).toHaveLength(2);
  });

  it('does not retry 401: remote_unauthorized with the OpenAI error body', async () => {
    const body = { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' } };
    server().setFaults([{ match: 'chat', status: 401, body }]);
    const { backend, waits } = setup();
    const { error } = await collectError(backend.generate(request()));
    expect(error.code).toBe('remote_unauthorized');
    expect(error.details).toMatchObject({ status: 401, body, attempts: 1 });
    expect(waits).toEqual([]);
    expect(chatPosts(server())).toHaveLength(1);
  });

  it.each([[403, 'remote_unauthorized'], [400, 'remote_http_error'], [404, 'remote_http_error'], [422, 'remote_http_error']] as const)('does not retry %i (%s)', async (status, code) => {
    server().setFaults([{ match: 'chat', status }]);
    const { error } = await collectError(setup().backend.generate(request()));
    expect([error.code, error.details.status, error.details.attempts]).toEqual([code, status, 1]);
    expect(chatPosts(server())).toHaveLength(1);
  });

  it('keeps a body that is not JSON as text, cut to a few KB', async () => {
    server().setFaults([{ match: 'chat', status: 502, body: `<html>${'x'.repeat(20_000)}</html>`, headers: { 'content-type': 'text/html' } }]);
    const { error } = await collectError(setup({ maxRetries: 0 }).backend.generate(request()));
    const body = error.details.body as string;
    expect(typeof body).toBe('string');
    expect(body.startsWith('<html>xxx')).toBe(true);
    expect(body.length).toBeLessThanOrEqual(4097);
    expect(body.endsWith('…')).toBe(true);
  });

  it('maxRetries: 0 sends one request', async () => {
    server().setFaults([{ match: 'chat', status: 500 }]);
    const { error } = await collectError(setup({ maxRetries: 0 }).backend.generate(request()));
    expect(error.details.attempts).toBe(1);
    expect(chatPosts(server())).toHaveLength(1);
  });

  it('retries a refused connection, then fails with remote_network_error', async () => {
    const port = await closedPort();
    const { waits, sleep } = recordingSleep();
    const backend = createRemoteBackend({ baseURL: `http://127.0.0.1:${port}/v1`, model: 'm' }, { sleep, random: () => 0 });
    const { error } = await collectError(backend.generate(request()));
    expect(error.code).toBe('remote_network_error');
    expect(error.details).toMatchObject({ attempts: 3, afterFirstToken: false });
    expect(error.cause).toBeDefined();
    expect(waits).toEqual([250, 500]);
  });
});

describe('remote backend: retry arithmetic', () => {
  const headers = (h: Record<string, string>): Headers => new Headers(h);

  it('reads Retry-After as seconds or an HTTP date, and retry-after-ms first', () => {
    const now = (): number => Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterMs(headers({ 'retry-after': '3' }), now)).toBe(3000);
    expect(retryAfterMs(headers({ 'retry-after': '0.5' }), now)).toBe(500);
    expect(retryAfterMs(headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:09 GMT' }), now)).toBe(9000);
    expect(retryAfterMs(headers({ 'retry-after': 'Tue, 31 Dec 2024 23:00:00 GMT' }), now)).toBe(0);
    expect(retryAfterMs(headers({ 'retry-after': '2', 'retry-after-ms': '1234' }), now)).toBe(1234);
    expect(retryAfterMs(headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(retryAfterMs(headers({}), now)).toBeUndefined();
  });

  it('backs off 500 ms × 2^n with equal jitter, capped at 60 s; a server wait wins', () => {
    expect([0, 1, 2, 3].map((n) => backoffMs(n, () => 0))).toEqual([250, 500, 1000, 2000]);
    expect([0, 1, 2, 3].map((n) => backoffMs(n, () => 0.999_999))).toEqual([0, 1, 2, 3].map((n) => expect.closeTo(500 * 2 ** n, 0) as number));
    expect(backoffMs(20, () => 1)).toBe(60_000);
    expect(backoffMs(0, () => 0.5, 4000)).toBe(4000);
    expect(backoffMs(0, () => 0.5, 90_000)).toBe(60_000);
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Issue 16, defect 6: every request ends. Bodies have byte caps, the whole request has a
 * deadline (`timeouts.totalMs`), keep-alive comments do not keep a stream alive forever,
 * a `token()` that never settles is timed, and a server's "retry after 0" gets a floor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteBackend, validateRemoteOptions } from '../../../src/backends/remote/index.js';
import { isEdgewiseError } from '../../../src/errors.js';
import { collectError, eventually, recordingSleep, request } from './helpers.js';
import { forever, sseChunk, startScriptedServer, type ScriptedServer } from './scripted-server.js';

let server: ScriptedServer;
beforeAll(async () => { server = await startScriptedServer(); });
afterAll(() => server.close());

const MB = 1024 * 1024;
const base = (): { baseURL: string; model: string } => ({ baseURL: `${server.origin}/v1`, model: 'm' });

describe('byte caps on whole bodies', () => {
  it('a non-streamed chat answer past the cap (8 MiB) stops reading: remote_protocol_error, not retried', async () => {
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      forever(res, 1, () => `{"pad":"${'x'.repeat(MB)}"},`);
    });
    const { error } = await collectError(createRemoteBackend({ ...base(), maxRetries: 2 }).generate(request(), { stream: false }));
    expect(error.code).toBe('remote_protocol_error');
    expect(error.details).toMatchObject({ limitBytes: 8 * MB, attempts: 1 });
    expect(error.message).toMatch(/8 MiB|8388608/);
    expect(server.received).toHaveLength(1);
    await eventually(() => server.closedEarly());
  });

  it('an embeddings answer past its cap for the inputs sent stops reading', async () => {
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      forever(res, 1, () => `${'0.123456789,'.repeat(MB / 12)}`);
    });
    const t0 = performance.now();
    const error = await createRemoteBackend({ ...base(), maxRetries: 0 }).embed({ texts: ['a'], batchSize: 1, normalize: false }).then(() => undefined, (e: unknown) => e);
    expect(isEdgewiseError(error) && error.code).toBe('remote_protocol_error');
    expect(isEdgewiseError(error) && typeof error.details.limitBytes).toBe('number');
    expect(performance.now() - t0).toBeLessThan(3000);
    await eventually(() => server.closedEarly());
  });
});

describe('a declared Content-Length over the cap', () => {
  it('fails before reading the body', async () => {
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(100 * MB) });
      res.write('{"choices":');
    });
    const { error } = await collectError(createRemoteBackend({ ...base(), maxRetries: 0 }).generate(request(), { stream: false }));
    expect(error.code).toBe('remote_protocol_error');
    expect(error.details.limitBytes).toBe(8 * MB);
    await eventually(() => server.closedEarly());
  });
});

describe('timeouts.totalMs: one deadline for the whole request', () => {
  it('is validated like the other timeouts', () => {
    expect(validateRemoteOptions({ ...base(), timeouts: { totalMs: 5000 } }).timeouts).toEqual({ totalMs: 5000 });
    for (const bad of [0, -1, 'x', Number.NaN]) {
      expect(() => validateRemoteOptions({ ...base(), timeouts: { totalMs: bad } })).toThrow(expect.objectContaining({ code: 'invalid_option', details: { option: 'remote.timeouts' } }) as Error);
    }
  });

  it('a stream that sends content for ever ends at totalMs with phase "total"', async () => {
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      forever(res, 20, () => sseChunk('a'));
    });
    const t0 = performance.now();
    const { error, text } = await collectError(createRemoteBackend({ ...base(), timeouts: { totalMs: 400 } }).generate(request()));
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(text.length).toBeGreaterThan(0);
    expect(error.code).toBe('remote_timeout');
    expect(error.details).toMatchObject({ phase: 'total', timeoutMs: 400, afterFirstToken: true });
    await eventually(() => server.closedEarly());
  }, 5000);

  it('an embeddings body that trickles for ever ends at totalMs', async () => {
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      forever(res, 20, () => ' ');
    });
    const error = await createRemoteBackend({ ...base(), maxRetries: 2, timeouts: { totalMs: 300 } }).embed({ texts: ['a'], batchSize: 1, normalize: false }).then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'remote_timeout', details: { phase: 'total', timeoutMs: 300, attempts: 1 } });
  }, 5000);

  it('a retry wait that would outlast the deadline is not waited: the server\'s own error comes at once', async () => {
    server.handle((_req, res) => { res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' }).end('{"error":{"message":"busy"}}'); });
    const t0 = performance.now();
    const { error } = await collectError(createRemoteBackend({ ...base(), maxRetries: 5, timeouts: { totalMs: 300 } }).generate(request()));
    expect(performance.now() - t0).toBeLessThan(250);
    expect(error.code).toBe('remote_http_error');
    expect(error.details).toMatchObject({ status: 503, attempts: 1 });
  }, 5000);

  it('covers every attempt: the one running at the deadline is cut, and no more start', async () => {
    server.handle(async (_req, res) => {
      await new Promise((r) => setTimeout(r, 200));
      if (!res.destroyed) res.writeHead(503, { 'content-type': 'application/json', 'retry-after-ms': '0' }).end('{}');
    });
    // Attempt 1 ends at 200 ms, the wait (100 ms) at 300, attempt 2 is cut at 400.
    const { error } = await collectError(createRemoteBackend({ ...base(), maxRetries: 10, timeouts: { totalMs: 400 } }).generate(request()));
    expect(error.code).toBe('remote_timeout');
    expect(error.details).toMatchObject({ phase: 'total', timeoutMs: 400, attempts: 2 });
    expect(server.received).toHaveLength(2);
    await eventually(() => server.closedEarly());
  }, 5000);
});

describe('keep-alive comments do not reset the idle clock', () => {
  it('content, then only `: keep-alive` comments: remote_timeout, phase "idle"', async () => {
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(sseChunk('Hi'));
      forever(res, 20, () => ': keep-alive\n\n');
    });
    const t0 = performance.now();
    const { error, text } = await collectError(createRemoteBackend({ ...base(), timeouts: { idleMs: 200 } }).generate(request()));
    expect(text).toBe('Hi');
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(error.code).toBe('remote_timeout');
    expect(error.details).toMatchObject({ phase: 'idle', timeoutMs: 200 });
  }, 5000);

  it('only comments from the start: the first-byte clock, which comments never reset either', async () => {
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      forever(res, 20, () => ': keep-alive\n\n');
    });
    const { error } = await collectError(createRemoteBackend({ ...base(), maxRetries: 0, timeouts: { firstByteMs: 200 } }).generate(request()));
    expect(error.details).toMatchObject({ phase: 'first_byte', timeoutMs: 200 });
  }, 5000);
});

describe('a token() that never settles', () => {
  it('runs under the connect clock: remote_timeout, phase "connect", and nothing is sent', async () => {
    server.handle((_req, res) => { res.writeHead(500).end(); });
    const t0 = performance.now();
    const backend = createRemoteBackend({ ...base(), maxRetries: 0, timeouts: { connectMs: 200 }, token: () => new Promise<string>(() => undefined) });
    const { error } = await collectError(backend.generate(request()));
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(error.code).toBe('remote_timeout');
    expect(error.details).toMatchObject({ phase: 'connect', timeoutMs: 200 });
    expect(error.message).toMatch(/token\(\)/);
    expect(server.received).toHaveLength(0);
  }, 5000);

  it('embeddings too', async () => {
    const backend = createRemoteBackend({ ...base(), maxRetries: 0, timeouts: { connectMs: 200 }, token: () => new Promise<string>(() => undefined) });
    const error = await backend.embed({ texts: ['a'], batchSize: 1, normalize: false }).then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'remote_timeout', details: { phase: 'connect' } });
  }, 5000);

  it('and the abort signal ends it at once', async () => {
    const controller = new AbortController();
    const backend = createRemoteBackend({ ...base(), token: () => new Promise<string>(() => undefined) });
    setTimeout(() => controller.abort(), 50);
    const parts = [];
    for await (const part of backend.generate(request(), { signal: controller.signal })) parts.push(part);
    expect(parts).toMatchObject([{ type: 'finish', reason: 'abort' }]);
  }, 5000);
});

describe('server-given retry delays have a floor', () => {
  it.each([['retry-after-ms', '0'], ['retry-after', '0']])('%s: %s waits at least 100 ms, growing, and maxRetries is honoured', async (name, value) => {
    server.handle((_req, res) => { res.writeHead(429, { 'content-type': 'application/json', [name]: value }).end('{"error":{"message":"slow down"}}'); });
    const { waits, sleep } = recordingSleep();
    const { error } = await collectError(createRemoteBackend({ ...base(), maxRetries: 3 }, { sleep }).generate(request()));
    expect(error.code).toBe('remote_rate_limited');
    expect(error.details.attempts).toBe(4);
    expect(server.received).toHaveLength(4);
    expect(waits).toEqual([100, 200, 400]);
  });

  it('real time: retry-after-ms: 0 with maxRetries 2 takes at least 300 ms over three requests', async () => {
    server.handle((_req, res) => { res.writeHead(503, { 'content-type': 'application/json', 'retry-after-ms': '0' }).end('{}'); });
    const t0 = performance.now();
    await collectError(createRemoteBackend({ ...base(), maxRetries: 2 }).generate(request()));
    expect(server.received).toHaveLength(3);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
  });
});

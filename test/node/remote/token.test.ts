/** The token function: asked once per HTTP request, sent as a bearer header, never kept; its failures are typed. */
import { describe, expect, it } from 'vitest';
import { createRemoteBackend } from '../../../src/backends/remote/index.js';
import { chatPosts, collect, collectError, recordingSleep, request, useServer } from './helpers.js';

const server = useServer();

function counting(values: unknown[]): { calls: () => number; token: () => Promise<string> } {
  let n = 0;
  return { calls: () => n, token: () => Promise.resolve(values[n++] as string) };
}

describe('remote backend: token', () => {
  it('calls token() once per request and sends its value as Authorization: Bearer', async () => {
    const t = counting(['tok-1', 'tok-2']);
    const b = createRemoteBackend({ baseURL: server().url, model: 'echo-1', token: t.token });
    await collect(b.generate(request()));
    expect(t.calls()).toBe(1);
    await collect(b.generate(request()));
    expect(t.calls()).toBe(2);
    expect(chatPosts(server()).map((e) => e.headers.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-2']);
  });

  it('asks again for each retry, so a token that expired during the backoff is not reused', async () => {
    server().setFaults([{ match: 'chat', status: 503, times: 1 }]);
    const t = counting(['first', 'second']);
    const b = createRemoteBackend({ baseURL: server().url, model: 'echo-1', token: t.token }, { sleep: recordingSleep().sleep });
    await collect(b.generate(request()));
    expect(t.calls()).toBe(2);
    expect(chatPosts(server()).map((e) => e.headers.authorization)).toEqual(['Bearer first', 'Bearer second']);
  });

  it('accepts a synchronous token function, and the token overrides a configured Authorization header', async () => {
    const b = createRemoteBackend({ baseURL: server().url, model: 'echo-1', headers: { Authorization: 'Bearer stale' }, token: () => 'fresh' });
    await collect(b.generate(request()));
    expect(chatPosts(server())[0]?.headers.authorization).toBe('Bearer fresh');
  });

  it('keeps the token out of the backend and its errors', async () => {
    server().setFaults([{ match: 'chat', status: 401 }]);
    const b = createRemoteBackend({ baseURL: server().url, model: 'echo-1', token: () => 'sk-secret-value' });
    const { error } = await collectError(b.generate(request()));
    expect(error.code).toBe('remote_unauthorized');
    expect(JSON.stringify({ message: error.message, details: error.details, backend: b })).not.toContain('sk-secret-value');
  });

  it('a token function that throws is remote_unauthorized, with the cause, and nothing is sent', async () => {
    const b = createRemoteBackend({ baseURL: server().url, model: 'echo-1', token: () => Promise.reject(new Error('session expired')) });
    const { error } = await collectError(b.generate(request()));
    expect(error.code).toBe('remote_unauthorized');
    expect(error.message).toContain('session expired');
    expect((error.cause as Error).message).toBe('session expired');
    expect(error.details.attempts).toBe(1);
    expect(server().log()).toEqual([]);
  });

  it.each([[undefined, 'undefined'], [42, 'number'], ['', 'an empty string']])('a token function that returns %j is remote_unauthorized', async (value, said) => {
    const b = createRemoteBackend({ baseURL: server().url, model: 'echo-1', token: () => value as string });
    const { error } = await collectError(b.generate(request()));
    expect(error.code).toBe('remote_unauthorized');
    expect(error.message).toContain(said);
    expect(server().log()).toEqual([]);
  });
});

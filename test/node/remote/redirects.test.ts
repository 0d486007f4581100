/**
 * Issue 16, defect 5: a redirect is never followed. Following a 307 re-sends the body and
 * every header (a custom `x-api-key` included) to wherever Location points, so any 3xx
 * is a `remote_protocol_error` naming only the target's origin, not retried, and the
 * other origin receives nothing. Two real servers: the endpoint and the one it points to.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteBackend } from '../../../src/backends/remote/index.js';
import { collectError, request } from './helpers.js';
import { startScriptedServer, type ScriptedServer } from './scripted-server.js';

let endpoint: ScriptedServer;
let elsewhere: ScriptedServer;
beforeAll(async () => { [endpoint, elsewhere] = await Promise.all([startScriptedServer(), startScriptedServer()]); });
afterAll(() => Promise.all([endpoint.close(), elsewhere.close()]));

const options = { model: 'm', maxRetries: 2, headers: { 'x-api-key': 'team-secret-value-42' }, token: () => 'tok-abcdef123456' };

function redirectTo(status: number, location: () => string): void {
  elsewhere.handle((_req, res) => { res.writeHead(200, { 'content-type': 'application/json' }).end('{}'); });
  endpoint.handle((_req, res) => { res.writeHead(status, { location: location() }).end(); });
}

describe('remote backend: redirects are refused, not followed', () => {
  it.each([307, 308, 301, 302, 303])('chat answered %i to another origin: nothing reaches it, one attempt, the origin named', async (status) => {
    redirectTo(status, () => `${elsewhere.origin}/steal/chat/completions?key=sk-in-location`);
    const backend = createRemoteBackend({ baseURL: `${endpoint.origin}/v1`, ...options });
    const { error } = await collectError(backend.generate(request()));
    expect(elsewhere.received).toHaveLength(0);
    expect(endpoint.received).toHaveLength(1);
    expect(error.code).toBe('remote_protocol_error');
    expect(error.details).toMatchObject({ status, attempts: 1, location: elsewhere.origin });
    expect(error.message).toContain(elsewhere.origin);
    const said = `${error.message} ${JSON.stringify(error.details)}`;
    expect(said).not.toContain('/steal');
    expect(said).not.toContain('sk-in-location');
  });

  it('embeddings answered 307: nothing reaches the other origin, not retried', async () => {
    redirectTo(307, () => `${elsewhere.origin}/v1/embeddings`);
    const backend = createRemoteBackend({ baseURL: `${endpoint.origin}/v1`, ...options });
    const error = await backend.embed({ texts: ['a'], batchSize: 1, normalize: false }).then(() => undefined, (e: unknown) => e);
    expect(elsewhere.received).toHaveLength(0);
    expect(endpoint.received).toHaveLength(1);
    expect(error).toMatchObject({ code: 'remote_protocol_error', details: { status: 307, attempts: 1 } });
  });

  it('a relative Location names the endpoint\'s own origin', async () => {
    redirectTo(307, () => '/v2/chat/completions');
    const backend = createRemoteBackend({ baseURL: `${endpoint.origin}/v1`, ...options });
    const { error } = await collectError(backend.generate(request()));
    expect(error.code).toBe('remote_protocol_error');
    expect(error.details.location).toBe(endpoint.origin);
    expect(endpoint.received).toHaveLength(1);
  });

  it('a browser\'s opaque redirect (no status, no Location) says "a redirect"', async () => {
    // Browsers answer redirect: 'manual' with type 'opaqueredirect', status 0 and no headers; Node cannot produce one, so this fake stands in for the browser's fetch.
    const opaque = (): Promise<Response> => {
      const res = new Response(null, { status: 200 });
      Object.defineProperty(res, 'type', { value: 'opaqueredirect' });
      Object.defineProperty(res, 'status', { value: 0 });
      return Promise.resolve(res);
    };
    const backend = createRemoteBackend({ baseURL: 'https://api.example.com/v1', ...options }, { fetch: opaque });
    const { error } = await collectError(backend.generate(request()));
    expect(error.code).toBe('remote_protocol_error');
    expect(error.message).toMatch(/a redirect/);
    expect(error.details.attempts).toBe(1);
  });
});

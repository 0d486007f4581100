/**
 * Issue 16, defect 4: which base URLs are taken, where the path goes when the URL has a
 * query (Azure's `?api-version=`), and that no credential or query value is echoed back
 * in an error, its details, or a support answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { createRemoteBackend, validateRemoteOptions } from '../../../src/backends/remote/index.js';
import { isEdgewiseError } from '../../../src/errors.js';
import { collect, collectError, request } from './helpers.js';
import { collect as collectRun, generate, setup } from '../run/helpers.js';
import { completionJson, sseChunk, startScriptedServer, type ScriptedServer } from './scripted-server.js';

let server: ScriptedServer;
beforeAll(async () => { server = await startScriptedServer(); });
afterAll(() => server.close());

function refusal(baseURL: string): { code: unknown; option: unknown; message: string } {
  try {
    validateRemoteOptions({ baseURL, model: 'm' });
  } catch (e) {
    if (!isEdgewiseError(e)) throw e;
    return { code: e.code, option: e.details.option, message: e.message };
  }
  throw new Error(`${baseURL} was accepted`);
}

describe('remote.baseURL: what is accepted', () => {
  it.each([
    'https://api.example.com/v1',
    'http://127.0.0.1:8080/v1',
    'http://127.5.6.7/v1',
    'http://[::1]:11434/v1',
    'http://localhost:11434/v1',
    'https://x.openai.azure.com/openai/deployments/d?api-version=2024-10-21',
  ])('takes %s', (baseURL) => {
    expect(validateRemoteOptions({ baseURL, model: 'm' }).baseURL).toBe(baseURL);
  });

  it.each([
    ['http://api.example.com/v1', /https:/],
    ['http://10.0.0.5:8000/v1', /https:/],
    ['http://localhost.example.com/v1', /https:/],
    ['http://128.0.0.1/v1', /https:/],
  ])('refuses plain http: to a host that is not loopback: %s', (baseURL, hint) => {
    const r = refusal(baseURL);
    expect([r.code, r.option]).toEqual(['invalid_option', 'remote.baseURL']);
    expect(r.message).toMatch(hint);
    expect(r.message).toMatch(/loopback|localhost/);
  });

  it.each([
    'https://user:hunter2-password@api.example.com/v1',
    'https://sk-live-key-in-userinfo@api.example.com/v1',
  ])('refuses user info, without echoing it: %s', (baseURL) => {
    const r = refusal(baseURL);
    expect([r.code, r.option]).toEqual(['invalid_option', 'remote.baseURL']);
    expect(r.message).toMatch(/token/);
    expect(r.message).not.toMatch(/hunter2|sk-live/);
  });

  it('refuses a fragment', () => {
    const r = refusal('https://api.example.com/v1#section');
    expect([r.code, r.option]).toEqual(['invalid_option', 'remote.baseURL']);
    expect(r.message).toMatch(/#|fragment/);
  });

  it('does not echo the query of a URL it refuses', () => {
    const r = refusal('http://api.example.com/v1?key=sk-query-secret');
    expect(r.message).not.toContain('sk-query-secret');
  });
});

describe('remote.baseURL with a query: the path goes before it', () => {
  it('chat and embeddings keep ?api-version= after the path (Azure)', async () => {
    server.handle((req, res) => {
      if (req.url.includes('/embeddings')) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: [{ index: 0, embedding: [1, 0] }], usage: { prompt_tokens: 1 } }));
      } else {
        res.writeHead(200, { 'content-type': 'text/event-stream' }).end(`${sseChunk('hi')}data: [DONE]\n\n`);
      }
    });
    const baseURL = `${server.origin}/openai/deployments/d?api-version=2024-10-21`;
    const backend = createRemoteBackend({ baseURL, model: 'm', maxRetries: 0 });
    const { text } = await collect(backend.generate(request()));
    expect(text).toBe('hi');
    await backend.embed({ texts: ['a'], batchSize: 1, normalize: false });
    expect(server.received.map((r) => r.url)).toEqual([
      '/openai/deployments/d/chat/completions?api-version=2024-10-21',
      '/openai/deployments/d/embeddings?api-version=2024-10-21',
    ]);
  });
});

describe('no credential or query value in what a failure says', () => {
  const secrets = ['2024-10-21', 'sk-query-secret', 'tok-abcdef123456', 'team-secret-value-42'];
  const leaks = (text: string): string[] => secrets.filter((s) => text.includes(s));

  it("a 500 whose body echoes the URL, the Authorization header and a custom header's value", async () => {
    server.handle((req, res) => {
      const said = `upstream failed for ${server.origin}${req.url} with Authorization: ${String(req.headers.authorization)} and x-api-key=${String(req.headers['x-api-key'])}`;
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: said, headers: { authorization: req.headers.authorization } } }));
    });
    const baseURL = `${server.origin}/v1?api-version=2024-10-21&key=sk-query-secret`;
    const backend = createRemoteBackend({ baseURL, model: 'm', maxRetries: 0, token: () => 'tok-abcdef123456', headers: { 'x-api-key': 'team-secret-value-42' } });
    const { error } = await collectError(backend.generate(request()));
    expect(error.code).toBe('remote_http_error');
    expect(leaks(error.message)).toEqual([]);
    expect(leaks(JSON.stringify(error.details))).toEqual([]);
    expect(error.message).toContain('api-version=***');
    expect(String(error.details.url)).toBe(`${server.origin}/v1/chat/completions?api-version=***&key=***`);
  });

  it('an error event inside a 200 stream that echoes the bearer token', async () => {
    server.handle((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' }).end(`event: error\ndata: ${JSON.stringify({ message: `bad request with ${String(req.headers.authorization)}` })}\n\n`);
    });
    const backend = createRemoteBackend({ baseURL: `${server.origin}/v1?key=sk-query-secret`, model: 'm', maxRetries: 0, token: () => 'tok-abcdef123456' });
    const { error } = await collectError(backend.generate(request()));
    expect(leaks(`${error.message} ${JSON.stringify(error.details)}`)).toEqual([]);
  });

  it('a refused connection: the message names the URL with its query values masked', async () => {
    const port = await new Promise<number>((ok) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const { port: p } = s.address() as { port: number };
        s.close(() => ok(p));
      });
    });
    const backend = createRemoteBackend({ baseURL: `http://127.0.0.1:${port}/v1?key=sk-query-secret`, model: 'm', maxRetries: 0 });
    const { error } = await collectError(backend.generate(request()));
    expect(error.code).toBe('remote_network_error');
    expect(error.message).toContain(`http://127.0.0.1:${port}/v1/chat/completions?key=***`);
    expect(leaks(`${error.message} ${JSON.stringify(error.details)}`)).toEqual([]);
  });

  it('an offline support answer names the endpoint masked', () => {
    const backend = createRemoteBackend({ baseURL: 'https://api.example.com/v1?key=sk-query-secret', model: 'm' });
    const support = backend.supports({ online: false } as Parameters<typeof backend.supports>[0]);
    expect(JSON.stringify(support)).not.toContain('sk-query-secret');
  });

  it('route.failover.message and the stats, when the remote fails and a local model takes over', async () => {
    server.handle((req, res) => {
      res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `no capacity for ${server.origin}${req.url} (${String(req.headers.authorization)})` } }));
    });
    const remote = createRemoteBackend({ baseURL: `${server.origin}/v1?key=sk-query-secret`, model: 'm', maxRetries: 0, token: () => 'tok-abcdef123456' });
    const s = setup({ policy: 'prefer-remote' });
    s.candidates.splice(s.candidates.findIndex((c) => c.location === 'remote'), 1, remote);
    const { parts, error } = await collectRun(generate(s, { prompt: 'hi' }));
    expect(error).toBeUndefined();
    const finish = parts.find((p) => p.type === 'finish');
    expect(finish).toMatchObject({ route: { failover: { from: 'remote', code: 'remote_http_error' } } });
    expect(leaks(JSON.stringify(finish))).toEqual([]);
    expect(leaks(JSON.stringify(s.ctx.stats.snapshot()))).toEqual([]);
  });

  it('a non-streamed answer still works with a query in the base URL', async () => {
    server.handle((_req, res) => { res.writeHead(200, { 'content-type': 'application/json' }).end(completionJson('ok')); });
    const backend = createRemoteBackend({ baseURL: `${server.origin}/v1?key=sk-query-secret`, model: 'm', maxRetries: 0 });
    expect((await collect(backend.generate(request(), { stream: false }))).text).toBe('ok');
  });
});

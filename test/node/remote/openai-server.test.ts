/** The OpenAI test server's own promises: CORS for isolated pages, the control routes, how fault rules combine. */
import { describe, expect, it } from 'vitest';
import { chatPosts, useServer, type LogEntry } from './helpers.js';

const server = useServer();
const root = (): string => server().url.replace(/\/v1$/, '');
const ctl = (path: string, body?: unknown): Promise<Response> =>
  fetch(`${root()}/__ctl/${path}`, body === undefined ? { method: 'POST' } : { method: 'POST', body: JSON.stringify(body) });
const chat = (content: string, extra: Record<string, unknown> = {}): Promise<Response> =>
  fetch(`${server().url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'echo-1', messages: [{ role: 'user', content }], ...extra }) });

describe('openai test server: CORS', () => {
  it('answers preflights with the requested headers allowed, authorization always', async () => {
    const pre = await fetch(`${server().url}/chat/completions`, { method: 'OPTIONS', headers: { 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-team' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-headers')).toBe('authorization, content-type, x-team');
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
    expect(server().log()).toEqual([]);
  });

  it('sends CORS, CORP and exposes Retry-After on every answer, errors included', async () => {
    await ctl('faults', [{ match: 'chat', status: 429, headers: { 'retry-after': '1' }, times: 1 }]);
    for (const r of [await chat('a'), await chat('b'), await fetch(`${server().url}/nope`)]) {
      expect(r.headers.get('access-control-allow-origin')).toBe('*');
      expect(r.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      expect(r.headers.get('access-control-expose-headers')).toContain('retry-after');
    }
  });
});

describe('openai test server: control routes', () => {
  it('logs each request with method, path, headers, parsed body, time and outcome; GET /__ctl/log serves it', async () => {
    const before = Date.now();
    await (await chat('one two', { stream: true, stream_options: { include_usage: true } })).text();
    const log = (await (await fetch(`${root()}/__ctl/log`)).json()) as LogEntry[];
    expect(log).toEqual(server().log());
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ method: 'POST', path: '/v1/chat/completions', status: 200, chunks: 4, dropped: false, closedEarly: false, fault: null });
    expect(log[0]?.body).toMatchObject({ messages: [{ role: 'user', content: 'one two' }], stream: true });
    expect(log[0]?.headers['content-type']).toBe('application/json');
    expect(log[0]?.time).toBeGreaterThanOrEqual(before);
  });

  it('POST /__ctl/faults sets rules, POST /__ctl/reset clears rules and log', async () => {
    expect((await ctl('faults', [{ match: 'chat', status: 500 }])).status).toBe(204);
    expect((await chat('x')).status).toBe(500);
    expect((await ctl('reset')).status).toBe(204);
    expect(server().log()).toEqual([]);
    expect((await chat('x')).status).toBe(200);
  });

  it('rejects malformed rules with 400 and a reason', async () => {
    for (const [rules, reason] of [
      [{ match: 'x' }, 'JSON array'],
      [[{ status: 500 }], '"match"'],
      [[{ match: 'x', sttaus: 500 }], 'unknown option(s) sttaus'],
      [[{ match: 'x', style: 'anthropic' }], 'style'],
      [[{ match: 'x', times: -1 }], 'times'],
      [[{ match: 'x', toolCalls: [] }], 'toolCalls'],
      [[{ match: 'x', toolCalls: [{ name: 'f', args: '{}' }] }], 'unknown option(s) args'],
      [[{ match: 'x', toolCalls: [{ arguments: 5 }] }], 'toolCalls[0].arguments'],
      [[{ match: 'x', refuseJsonSchema: 'yes' }], 'refuseJsonSchema'],
    ] as const) {
      const r = await ctl('faults', rules);
      expect(r.status).toBe(400);
      expect(await r.text()).toContain(reason);
    }
  });

  it('answers bad requests like OpenAI: invalid JSON and empty messages are 400, unknown routes 404', async () => {
    const bad = await fetch(`${server().url}/chat/completions`, { method: 'POST', body: '{nope' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/JSON/);
    expect((await chat('x', { messages: [] })).status).toBe(400);
    expect((await fetch(`${server().url}/completions`, { method: 'POST', body: '{}' })).status).toBe(404);
  });
});

describe('openai test server: fault rules', () => {
  it('steps through counted rules one per request, on top of standing rules', async () => {
    server().setFaults([{ match: 'chat', status: 500, times: 1 }, { match: 'chat', status: 503, times: 1 }, { match: 'chat', style: 'ollama' }]);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await chat('x', { stream: true })).status);
    expect(statuses).toEqual([500, 503, 200]);
    expect(chatPosts(server()).map((e) => e.fault)).toEqual(['style="ollama" status=500', 'style="ollama" status=503', 'style="ollama"']);
  });

  it('only applies rules whose match is in the path', async () => {
    server().setFaults([{ match: 'embeddings', status: 500 }]);
    expect((await chat('x')).status).toBe(200);
  });

  it('embeddings: shuffle lists the vectors in reverse, base64 ignores encoding_format, malformed cuts the JSON', async () => {
    server().setFaults([{ match: 'embeddings', shuffle: true, base64: true, times: 1 }, { match: 'embeddings', malformed: true, times: 1 }]);
    const embed = (): Promise<Response> => fetch(`${server().url}/embeddings`, { method: 'POST', body: JSON.stringify({ input: ['a', 'b'], encoding_format: 'float' }) });
    const body = (await (await embed()).json()) as { data: { index: number; embedding: unknown }[] };
    expect(body.data.map((d) => [d.index, typeof d.embedding])).toEqual([[1, 'string'], [0, 'string']]);
    expect(await (await embed()).text()).toBe('{"object": "list", "data": [');
  });

  it('marks a dropped stream, and one the client closed', async () => {
    server().setFaults([{ match: 'chat', dropAfterChunks: 1, times: 1 }, { match: 'chat', chunkDelayMs: 50 }]);
    await expect((await chat('a long enough message', { stream: true })).text()).rejects.toThrow();
    const controller = new AbortController();
    const r = await fetch(`${server().url}/chat/completions`, { method: 'POST', body: JSON.stringify({ messages: [{ role: 'user', content: 'a long enough message' }], stream: true }), signal: controller.signal });
    const reader = r.body?.getReader();
    await reader?.read();
    controller.abort();
    await new Promise((ok) => setTimeout(ok, 150));
    expect(chatPosts(server()).map((e) => [e.dropped, e.closedEarly])).toEqual([[true, true], [false, true]]);
  });
});

describe('openai test server: structured answers', () => {
  const schema = { type: 'object', properties: { word: { type: 'string', maxLength: 4 }, n: { type: 'integer', exclusiveMinimum: 2 }, ok: { type: 'boolean' }, tags: { type: 'array', items: { enum: ['x', 'y'] }, minItems: 2 } } };
  const content = async (r: Response): Promise<unknown> => JSON.parse(((await r.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content ?? '');

  it('answers a json_schema request with a sample of the schema, deterministically', async () => {
    const format = { type: 'json_schema', json_schema: { name: 'x', schema, strict: true } };
    const want = { word: 'abcd', n: 3, ok: true, tags: ['x', 'x'] };
    expect(await content(await chat('abcdef', { response_format: format }))).toEqual(want);
    expect(await content(await chat('abcdef', { response_format: format }))).toEqual(want);
  });

  it('answers json_object with a schema stated in the last system message, else with an echo object', async () => {
    expect(await content(await chat('hi there', { response_format: { type: 'json_object' } }))).toEqual({ echo: 'hi there' });
    const messages = [{ role: 'system', content: `Match this JSON Schema: ${JSON.stringify(schema)}` }, { role: 'user', content: 'abcdef' }];
    expect(await content(await chat('', { messages, response_format: { type: 'json_object' } }))).toEqual({ word: 'abcd', n: 3, ok: true, tags: ['x', 'x'] });
  });

  it('refuses json_schema with 400 under refuseJsonSchema, and answers json_object as usual', async () => {
    server().setFaults([{ match: 'chat', refuseJsonSchema: true }]);
    const refused = await chat('x', { response_format: { type: 'json_schema', json_schema: { name: 'x', schema } } });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { param: string } }).error.param).toBe('response_format');
    expect((await chat('x', { response_format: { type: 'json_object' } })).status).toBe(200);
    expect(chatPosts(server()).map((e) => e.status)).toEqual([400, 200]);
  });
});

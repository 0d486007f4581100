/** Structured output on the wire: response_format bodies, and the json_object retry when an endpoint refuses json_schema. */
import { describe, expect, it } from 'vitest';
import { createRemoteBackend } from '../../../src/backends/remote/index.js';
import type { RemoteOptions } from '../../../src/config-types.js';
import type { JSONSchema, ResponseFormat } from '../../../src/types.js';
import { chatPosts, collect, collectError, recordingSleep, request, useServer, type Fault } from './helpers.js';

const server = useServer();

function setup(options: Partial<RemoteOptions> = {}): { backend: ReturnType<typeof createRemoteBackend>; waits: number[] } {
  const { waits, sleep } = recordingSleep();
  return { backend: createRemoteBackend({ baseURL: server().url, model: 'echo-1', ...options }, { sleep, random: () => 0.5 }), waits };
}

const CITY: JSONSchema = {
  type: 'object',
  properties: { name: { type: 'string', maxLength: 5 }, population: { type: 'integer', minimum: 1 }, tags: { type: 'array', items: { type: 'string' } } },
  required: ['name', 'population'],
  additionalProperties: false,
};
/** What the test server samples from CITY for the default request's "hello there world". */
const CITY_VALUE = { name: 'hello', population: 1, tags: ['hello there world'] };
const schemaFormat = (name?: string): ResponseFormat => ({ type: 'json_schema', schema: CITY, ...(name === undefined ? {} : { name }) });
const refused = (status: number, message: string, times?: number): Fault => ({ match: 'chat', status, body: { error: { message, type: 'invalid_request_error', param: null, code: null } }, ...(times === undefined ? {} : { times }) });

describe('remote backend: response_format on the wire', () => {
  it('sends json_schema with its name, the schema and strict: true, and reports what it sent', async () => {
    const { parts, text, finish } = await collect(setup().backend.generate(request({ responseFormat: schemaFormat('city') })));
    const body = chatPosts(server())[0]?.body;
    expect(body?.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'city', schema: CITY, strict: true } });
    expect(body?.messages).toEqual([{ role: 'user', content: 'hello there world' }]);
    expect(JSON.parse(text)).toEqual(CITY_VALUE);
    expect(parts.some((p) => p.type === 'warning')).toBe(false);
    expect(finish.metadata).toEqual({ remote: { responseFormat: 'json_schema' } });
  });

  it("names the format 'response' by default, and fits a name to OpenAI's [a-zA-Z0-9_-]{1,64}", async () => {
    const { backend } = setup();
    await collect(backend.generate(request({ responseFormat: schemaFormat() })));
    await collect(backend.generate(request({ responseFormat: schemaFormat(`my city!${'x'.repeat(70)}`) })));
    const names = chatPosts(server()).map((e) => (e.body?.response_format as { json_schema: { name: string } }).json_schema.name);
    expect(names).toEqual(['response', `my_city_${'x'.repeat(56)}`]);
  });

  it("sends json_object, adding a line that says JSON only when no message does (OpenAI's rule)", async () => {
    const { backend } = setup();
    const plain = await collect(backend.generate(request({ responseFormat: { type: 'json_object' } })));
    await collect(backend.generate(request({ responseFormat: { type: 'json_object' }, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi' }] })));
    await collect(backend.generate(request({ responseFormat: { type: 'json_object' }, messages: [{ role: 'user', content: 'Reply in json please' }] })));
    const [first, second, third] = chatPosts(server()).map((e) => e.body);
    expect(first?.response_format).toEqual({ type: 'json_object' });
    expect(first?.messages).toEqual([{ role: 'system', content: 'Answer with one JSON object.' }, { role: 'user', content: 'hello there world' }]);
    expect(second?.messages).toEqual([{ role: 'system', content: 'Be brief.\n\nAnswer with one JSON object.' }, { role: 'user', content: 'hi' }]);
    expect(third?.messages).toEqual([{ role: 'user', content: 'Reply in json please' }]);
    expect(JSON.parse(plain.text)).toEqual({ echo: 'hello there world' });
    expect(plain.finish.metadata).toEqual({ remote: { responseFormat: 'json_object' } });
  });

  it('sends no response_format and no metadata without a format', async () => {
    const { finish } = await collect(setup().backend.generate(request()));
    expect(chatPosts(server())[0]?.body).not.toHaveProperty('response_format');
    expect(finish.metadata).toBeUndefined();
  });

  it('refuses a regex format, typed, before sending anything', async () => {
    const { error } = await collectError(setup().backend.generate(request({ responseFormat: { type: 'regex', pattern: '[a-z]+' } })));
    expect(error.code).toBe('invalid_response_format');
    expect(server().log()).toEqual([]);
  });
});

describe('remote backend: an endpoint that refuses json_schema', () => {
  it.each([true, false])('retries once at once with json_object and the schema in a system message, warning first (stream: %s)', async (stream) => {
    server().setFaults([{ match: 'chat', refuseJsonSchema: true }]);
    const { backend, waits } = setup();
    const { parts, text, finish } = await collect(backend.generate(request({ responseFormat: schemaFormat('city') }), { stream }));
    expect(parts[0]).toEqual({ type: 'warning', warning: { code: 'degraded', setting: 'responseFormat', message: expect.stringContaining('refused response_format json_schema (HTTP 400)') as string } });
    expect(parts.filter((p) => p.type === 'warning')).toHaveLength(1);
    expect(parts[1]?.type).toBe('text');
    // The server follows a schema stated in the system message, as a model would.
    expect(JSON.parse(text)).toEqual(CITY_VALUE);
    expect(finish.metadata).toEqual({ remote: { responseFormat: 'json_object' } });
    const [first, second] = chatPosts(server());
    expect([first?.status, second?.status]).toEqual([400, 200]);
    expect(second?.body?.response_format).toEqual({ type: 'json_object' });
    expect(second?.body?.messages).toEqual([
      { role: 'system', content: `Answer with one JSON value that matches this JSON Schema, and nothing else (no prose, no code fences):\n${JSON.stringify(CITY)}` },
      { role: 'user', content: 'hello there world' },
    ]);
    expect(waits).toEqual([]);
  });

  it('joins the schema to an existing first system message instead of adding a second', async () => {
    server().setFaults([{ match: 'chat', refuseJsonSchema: true }]);
    const messages = [{ role: 'system', content: 'You extract cities.' }, { role: 'user', content: 'Paris' }] as const;
    await collect(setup().backend.generate(request({ responseFormat: schemaFormat(), messages })));
    const sent = chatPosts(server())[1]?.body?.messages;
    expect(sent).toHaveLength(2);
    expect(sent?.[0]?.content).toMatch(/^You extract cities\.\n\nAnswer with one JSON value that matches this JSON Schema/);
  });

  it.each([
    ['422 naming json_schema (a validating proxy)', refused(422, 'json_schema is not supported by this deployment', 1)],
    ['400 from a grammar backend that cannot compile the schema (vLLM)', refused(400, 'The provided JSON schema contains features not supported by xgrammar.', 1)],
    ['500 naming response_format (llama-server of 2024)', refused(500, 'response_format type must be one of "text" or "json_object", but got: json_schema', 1)],
  ])('takes %s as a refusal, without a retry wait', async (_name, fault) => {
    server().setFaults([fault]);
    const { backend, waits } = setup();
    const { parts, finish } = await collect(backend.generate(request({ responseFormat: schemaFormat() })));
    expect(parts[0]?.type).toBe('warning');
    expect(finish.metadata?.remote?.responseFormat).toBe('json_object');
    expect(waits).toEqual([]);
    expect(chatPosts(server()).map((e) => e.body?.response_format)).toEqual([expect.objectContaining({ type: 'json_schema' }), { type: 'json_object' }]);
  });

  it('retries a 500 that does not name the format as any 500, keeping json_schema', async () => {
    server().setFaults([{ match: 'chat', status: 500, times: 1 }]);
    const { backend, waits } = setup();
    const { parts, finish } = await collect(backend.generate(request({ responseFormat: schemaFormat() })));
    expect(parts.some((p) => p.type === 'warning')).toBe(false);
    expect(finish.metadata?.remote?.responseFormat).toBe('json_schema');
    expect(waits).toEqual([375]);
  });

  it('does not take an unrelated 400, nor a refused json_object, for a refusal of json_schema', async () => {
    server().setFaults([refused(400, 'The model `echo-9` does not exist.')]);
    const a = await collectError(setup().backend.generate(request({ responseFormat: schemaFormat() })));
    expect([a.error.code, a.error.details.status, a.error.details.attempts, a.parts]).toEqual(['remote_http_error', 400, 1, []]);
    server().reset();
    server().setFaults([refused(400, 'response_format json_object is not supported')]);
    const b = await collectError(setup().backend.generate(request({ responseFormat: { type: 'json_object' } })));
    expect([b.error.code, b.error.details.attempts]).toEqual(['remote_http_error', 1]);
  });

  it('surfaces a refusal of json_object too, typed, with no warning left behind', async () => {
    server().setFaults([refused(400, "Invalid parameter: 'response_format' is not supported")]);
    const { error, parts } = await collectError(setup().backend.generate(request({ responseFormat: schemaFormat() })));
    expect(parts).toEqual([]);
    expect(error.code).toBe('remote_http_error');
    expect(error.details).toMatchObject({ status: 400, attempts: 2 });
    expect(chatPosts(server()).map((e) => (e.body?.response_format as { type: string }).type)).toEqual(['json_schema', 'json_object']);
  });

  it('retries the json_object attempt like any other, and surfaces the last failure typed once retries run out', async () => {
    server().setFaults([refused(400, 'response_format json_schema is unsupported', 1), { match: 'chat', status: 503 }]);
    const { backend, waits } = setup();
    const { error, parts } = await collectError(backend.generate(request({ responseFormat: schemaFormat() })));
    expect(parts).toEqual([]);
    expect(error.code).toBe('remote_http_error');
    expect(error.details).toMatchObject({ status: 503, attempts: 4 });
    expect(waits).toEqual([375, 750]);
    expect(chatPosts(server()).map((e) => e.status)).toEqual([400, 503, 503, 503]);
  });

  it('falls back after transient failures of the json_schema attempt, which spent their retries', async () => {
    server().setFaults([{ match: 'chat', status: 503, times: 2 }, { match: 'chat', refuseJsonSchema: true }]);
    const { backend, waits } = setup();
    const { parts, finish } = await collect(backend.generate(request({ responseFormat: schemaFormat() })));
    expect(parts[0]?.type).toBe('warning');
    expect(finish.reason).toBe('stop');
    expect(waits).toEqual([375, 750]);
    expect(chatPosts(server()).map((e) => e.status)).toEqual([503, 503, 400, 200]);
  });
});

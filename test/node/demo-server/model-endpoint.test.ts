/**
 * The demo server's /v1 with a real model: stories260K run by transformers.js on
 * onnxruntime-node, checked through real HTTP against the greedy sample documented in its
 * MODEL_CARD.md (the same oracle as test/browser/stories-oracle.test.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const STORIES = resolve(import.meta.dirname, '../../../../shared/models/stories260K-onnx');
const present = existsSync(join(STORIES, 'config.json'));
if (!present) console.warn(`SKIP demo endpoint with stories260K: ${STORIES} is absent (../shared/models)`);

interface Ended { id: string; finishReason: string; promptTokens: number; completionTokens: number }
interface Endpoint { ready: Promise<void>; handle(req: unknown, res: unknown, path: string): Promise<void>; config(baseURL: string): Promise<{ model: string; label: string }> }
// Plain .mjs without types: a variable specifier keeps tsc from asking for a declaration.
const endpointModule = '../../../demos/server/model-endpoint.mjs';
const choiceModule = '../../../demos/server/model-choice.mjs';
const { createModelEndpoint } = (await import(endpointModule)) as { createModelEndpoint(o: object): Endpoint };
const { folderChoice } = (await import(choiceModule)) as { folderChoice(dir: string): object | undefined };

/** The documented greedy sample, as the browser oracle test reads it. */
function documentedSample(): string {
  const card = readFileSync(join(STORIES, 'MODEL_CARD.md'), 'utf8');
  const block = /```\n\$ [^\n]*\n([\s\S]*?)```/.exec(card.slice(card.indexOf('temperature 0.0')));
  if (!block?.[1]) throw new Error('MODEL_CARD.md has no greedy sample');
  return block[1];
}

let server: Server;
let base = '';
const ended: Ended[] = [];

async function listen(endpoint: Endpoint): Promise<{ server: Server; base: string }> {
  const s = createServer((req, res) => { void endpoint.handle(req, res, new URL(req.url ?? '/', 'http://x').pathname); });
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  const address = s.address();
  return { server: s, base: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/v1` };
}

/** fetch keeps connections alive for seconds; close() alone would wait for them. */
const close = (s: Server): Promise<void> => new Promise((ok) => { s.close(() => ok()); s.closeAllConnections(); });

const chat = (body: unknown, init: RequestInit = {}): Promise<Response> =>
  fetch(`${base}/chat/completions`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), ...init });

/** The SSE events of a streamed answer, [DONE] as the string. */
async function events(res: Response): Promise<(Record<string, any> | '[DONE]')[]> {
  const text = await res.text();
  return text.split('\n\n').filter((e) => e.startsWith('data: ')).map((e) => e.slice(6)).map((d) => (d === '[DONE]' ? d : JSON.parse(d)));
}

describe.skipIf(!present)('demo /v1 with stories260K in Node (transformers.js on onnxruntime-node)', () => {
  beforeAll(async () => {
    const endpoint = createModelEndpoint({ choices: [folderChoice(STORIES)], log: () => {}, onEnd: (e: Ended) => ended.push(e) });
    await endpoint.ready;
    ({ server, base } = await listen(endpoint));
  });
  afterAll(() => close(server));

  it('streams the documented greedy continuation of "Once upon a time", with usage, naming the model', async () => {
    const res = await chat({ model: 'anything', messages: [{ role: 'user', content: 'Once upon a time' }], max_tokens: 120, temperature: 0, stream: true, stream_options: { include_usage: true } });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const list = await events(res);
    expect(list.at(-1)).toBe('[DONE]');
    const chunks = list.filter((e): e is Record<string, any> => e !== '[DONE]');
    const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
    expect(chunks.filter((c) => c.choices[0]?.delta?.content).length).toBeGreaterThan(20);
    expect(`Once upon a time${text}`).toBe(documentedSample().slice(0, 'Once upon a time'.length + text.length));
    expect(text.length).toBeGreaterThan(250);
    expect(new Set(chunks.map((c) => c.model))).toEqual(new Set(['stories260K-onnx']));
    expect(chunks.at(-2)?.choices[0].finish_reason).toBe('length');
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 5, completion_tokens: 120, total_tokens: 125 } });
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
  });

  it('answers without streaming; no temperature follows the model\'s generation_config (greedy); a stop string ends it', async () => {
    const res = await chat({ messages: [{ role: 'user', content: 'Once upon a time' }], stop: ['Lily'] });
    const body = await res.json() as Record<string, any>;
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ object: 'chat.completion', model: 'stories260K-onnx', choices: [{ message: { role: 'assistant', content: ', there was a little girl named ' }, finish_reason: 'stop' }] });
    expect(body.usage.prompt_tokens).toBe(5);
  });

  it('a client that disconnects stops its generation, and the next request is answered', async () => {
    const abort = new AbortController();
    const res = await chat({ messages: [{ role: 'user', content: 'Once' }], max_tokens: 480, temperature: 0, stream: true }, { signal: abort.signal });
    const reader = res.body!.getReader();
    let seen = '';
    while (!seen.includes('"content":" ')) seen += new TextDecoder().decode((await reader.read()).value);
    abort.abort();
    const next = await chat({ messages: [{ role: 'user', content: 'Once upon a time' }], max_tokens: 8, temperature: 0 });
    expect(((await next.json()) as Record<string, any>).choices[0].message.content).toBe(', there was a little girl');
    const gone = ended.find((e) => e.promptTokens === 2);
    expect(gone?.finishReason).toBe('abort');
    expect(gone?.completionTokens).toBeLessThan(480);
  });

  it('answers bad requests with typed OpenAI errors', async () => {
    const cases: [Promise<Response>, number, string][] = [
      [chat('{not json'), 400, 'not a JSON object'],
      [chat({ messages: [] }), 400, '`messages`'],
      [chat({ messages: [{ role: 'user', content: 'x' }], max_tokens: 0 }), 400, '`max_tokens`'],
      [chat({ messages: [{ role: 'user', content: 'x' }], temperature: 7 }), 400, '`temperature`'],
      [chat(JSON.stringify({ messages: [{ role: 'user', content: 'x'.repeat(1.2e6) }] })), 413, 'over'],
      [fetch(`${base}/chat/completions`), 405, 'POST'],
      [fetch(`${base}/completions`, { method: 'POST', body: '{}' }), 404, 'No route'],
    ];
    for (const [pending, status, words] of cases) {
      const res = await pending;
      const body = await res.json() as { error: { message: string; type: string; code: unknown; param: unknown } };
      expect(res.status, words).toBe(status);
      expect(body.error.message).toContain(words);
      expect(body.error.type).toBe('invalid_request_error');
      expect(body.error).toHaveProperty('param', null);
    }
  });

  it('keeps the stand-in\'s embeddings, labelled by their model name', async () => {
    const res = await fetch(`${base}/embeddings`, { method: 'POST', body: JSON.stringify({ input: ['a cat', 'a dog'] }) });
    const body = await res.json() as { model: string; data: { embedding: number[] }[] };
    expect(body.model).toBe('stand-in-embed');
    expect(body.data).toHaveLength(2);
  });
});

describe('demo /v1 without a model', () => {
  it('falls back to the labelled stand-in and says so in /api/config', async () => {
    const endpoint = createModelEndpoint({ choices: [], log: () => {} });
    const config = await endpoint.config('http://x/v1');
    expect(config).toMatchObject({ model: 'stand-in', label: expect.stringContaining('no real model') });
    const { server: s, base: b } = await listen(endpoint);
    try {
      const res = await fetch(`${b}/chat/completions`, { method: 'POST', body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }) });
      expect(((await res.json()) as Record<string, any>).choices[0].message.content).toMatch(/^\[stand-in endpoint\] /);
    } finally {
      await close(s);
    }
  });
});

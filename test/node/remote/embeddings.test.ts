/** Remote embeddings: the request sent, vectors in input order whatever the server's order or encoding, batching, tokens and cost. */
import { describe, expect, it } from 'vitest';
import type { EmbedRequest } from '../../../src/backends/backend.js';
import { inputsPerRequest } from '../../../src/backends/remote/embed.js';
import { createRemoteBackend, type RemoteDeps } from '../../../src/backends/remote/index.js';
import type { RemoteOptions } from '../../../src/config-types.js';
import { embeddingPosts, inputsOf, recordingSleep, serverVector, useServer } from './helpers.js';

const server = useServer();
const backend = (options: Partial<RemoteOptions> = {}, deps: RemoteDeps = {}): ReturnType<typeof createRemoteBackend> =>
  createRemoteBackend({ baseURL: server().url, model: 'echo-embed-1', ...options }, { sleep: recordingSleep().sleep, ...deps });
const embedRequest = (texts: readonly string[], overrides: Partial<EmbedRequest> = {}): EmbedRequest => ({ texts, batchSize: 32, normalize: false, ...overrides });
const texts = (n: number): string[] => Array.from({ length: n }, (_, i) => `text number ${i}`);

describe('remote embed: request and result', () => {
  it('POSTs {model, input, encoding_format: float} to {baseURL}/embeddings and returns the vectors in input order', async () => {
    const result = await backend({ headers: { 'X-Team': 'docs' } }).embed(embedRequest(['alpha', 'beta gamma', 'alpha']));
    const [post, ...more] = embeddingPosts(server());
    expect(more).toEqual([]);
    expect(post?.body).toEqual({ model: 'echo-embed-1', input: ['alpha', 'beta gamma', 'alpha'], encoding_format: 'float' });
    expect(post?.headers).toMatchObject({ 'content-type': 'application/json', 'x-team': 'docs' });
    expect(result.vectors.map((v) => v instanceof Float32Array)).toEqual([true, true, true]);
    expect(result.vectors).toEqual(['alpha', 'beta gamma', 'alpha'].map(serverVector));
    expect(result).toMatchObject({ truncated: [], promptTokens: 4, ranOn: 'remote' });
    expect(result.cost).toBeUndefined();
  });

  it('puts vectors back by data[i].index when the server lists them out of order', async () => {
    server().setFaults([{ match: 'embeddings', shuffle: true }]);
    const input = ['one', 'two', 'three', 'four'];
    expect((await backend().embed(embedRequest(input))).vectors).toEqual(input.map(serverVector));
  });

  it('decodes base64 little-endian float32 from a server that ignores encoding_format', async () => {
    server().setFaults([{ match: 'embeddings', base64: true, shuffle: true }]);
    const input = ['alpha', 'beta'];
    expect((await backend().embed(embedRequest(input))).vectors).toEqual(input.map(serverVector));
  });

  it('normalize: true L2-normalizes (servers other than OpenAI may not), and leaves a zero vector zero', async () => {
    const data = [{ index: 1, embedding: [0, 0] }, { index: 0, embedding: [3, 4] }];
    server().setFaults([{ match: 'embeddings', status: 200, body: { object: 'list', data, usage: { prompt_tokens: 2 } } }]);
    const raw = await backend().embed(embedRequest(['a', 'b']));
    expect(raw.vectors.map((v) => [...v])).toEqual([[3, 4], [0, 0]]);
    const unit = await backend().embed(embedRequest(['a', 'b'], { normalize: true }));
    expect(unit.vectors.map((v) => [...v])).toEqual([[expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)], [0, 0]]);
  });

  it('ignores pooling: the server decides', async () => {
    const result = await backend().embed(embedRequest(['alpha'], { pooling: 'cls' }));
    expect(embeddingPosts(server())[0]?.body).toEqual({ model: 'echo-embed-1', input: ['alpha'], encoding_format: 'float' });
    expect(result.vectors).toEqual([serverVector('alpha')]);
  });

  it('counts 0 prompt tokens when the server sends no usage', async () => {
    server().setFaults([{ match: 'embeddings', noUsage: true }]);
    expect((await backend({ prices: { input: 1, output: 1 } }).embed(embedRequest(['a b c']))).promptTokens).toBe(0);
  });

  it('prices the prompt tokens: promptTokens × prices.input / 1e6, output 0', async () => {
    const result = await backend({ prices: { input: 0.02, output: 5, currency: 'EUR' } }).embed(embedRequest(['one two three', 'four five']));
    expect(result.promptTokens).toBe(5);
    expect(result.cost).toEqual({ input: (5 * 0.02) / 1e6, output: 0, total: (5 * 0.02) / 1e6, currency: 'EUR' });
  });

  it('no texts: no request, an empty result', async () => {
    const result = await backend({ prices: { input: 1, output: 1 } }).embed(embedRequest([]));
    expect(result).toMatchObject({ vectors: [], truncated: [], promptTokens: 0, ranOn: 'remote', cost: { total: 0 } });
    expect(server().log()).toEqual([]);
  });
});

describe('remote embed: batching', () => {
  it('sends min(2048, max(batchSize, 256)) texts per request', () => {
    expect([1, 32, 256, 257, 1000, 2048, 5000].map(inputsPerRequest)).toEqual([256, 256, 256, 257, 1000, 2048, 2048]);
  });

  it('splits 600 texts at batchSize 32 into 256 + 256 + 88, sequentially, calling onBatch after each', async () => {
    const input = texts(600);
    const done: number[] = [];
    const result = await backend().embed(embedRequest(input), { onBatch: (n) => done.push(n) });
    const posts = embeddingPosts(server());
    expect(posts.map((p) => (inputsOf(p) as string[]).length)).toEqual([256, 256, 88]);
    expect(posts.flatMap((p) => inputsOf(p) as string[])).toEqual(input);
    expect(done).toEqual([256, 512, 600]);
    expect(result.vectors).toEqual(input.map(serverVector));
    // Three words per text, summed over the requests.
    expect(result.promptTokens).toBe(1800);
  });

  it('caps a request at 2,048 inputs, OpenAI\'s limit, whatever batchSize asks', async () => {
    const done: number[] = [];
    await backend().embed(embedRequest(texts(2100), { batchSize: 4096 }), { onBatch: (n) => done.push(n) });
    expect(embeddingPosts(server()).map((p) => (inputsOf(p) as string[]).length)).toEqual([2048, 52]);
    expect(done).toEqual([2048, 2100]);
  });

  it('keeps order across batches when each answer is out of order and base64', async () => {
    server().setFaults([{ match: 'embeddings', shuffle: true, base64: true }]);
    const input = texts(300);
    expect((await backend().embed(embedRequest(input))).vectors).toEqual(input.map(serverVector));
  });
});

describe('remote embed: token', () => {
  it('asks token() once per HTTP request, batches and retries alike, and sends it as a bearer header', async () => {
    server().setFaults([{ match: 'embeddings', status: 503, times: 1 }]);
    let n = 0;
    const b = backend({ token: () => `tok-${++n}` });
    await b.embed(embedRequest(texts(300)));
    expect(embeddingPosts(server()).map((p) => [p.status, p.headers.authorization])).toEqual([[503, 'Bearer tok-1'], [200, 'Bearer tok-2'], [200, 'Bearer tok-3']]);
  });

  it('a token function that throws is remote_unauthorized and nothing is sent', async () => {
    const b = backend({ token: () => Promise.reject(new Error('session expired')) });
    await expect(b.embed(embedRequest(['a']))).rejects.toMatchObject({ code: 'remote_unauthorized', details: { attempts: 1 } });
    expect(server().log()).toEqual([]);
  });
});

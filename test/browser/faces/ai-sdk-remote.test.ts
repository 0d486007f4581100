/**
 * Acceptance (issue 17, the AI SDK face) against the OpenAI-compatible test server, in
 * Chromium: the real `ai` package over the built `edgewise/ai-sdk` with policy
 * `remote-only`, failover before the first token inside one `streamText` call, remote
 * failures as `APICallError` (retryable or not, the EdgewiseError as `cause`), abort.
 * Expected texts follow the server's documented answer ("Echo: " + the last user message).
 */
import { createEngine, isEdgewiseError, type EngineOptions } from '/dist/edgewise.js';
import { FIXTURE_URL, MODEL_SERVER, assert, assertEqual, rejection } from '../helpers.js';
import { chatCalls, remoteFaults, remoteLog, remoteReset, testRemote } from '../edge-cloud/remote-helpers.js';
import { ai, createEdgewise } from './ai-sdk-load.js';

const { streamText, generateText, generateObject, embedMany, tool, jsonSchema, stepCountIs, APICallError } = ai;

function cloud(extra: Record<string, unknown> = {}): ReturnType<typeof createEdgewise> {
  const options: EngineOptions = { ...testRemote({ maxRetries: 0, ...extra }), policy: 'remote-only' };
  return createEdgewise(options);
}

describe('AI SDK face against a remote endpoint', function () {
  this.timeout(60_000);
  beforeEach(remoteReset);
  after(remoteReset);

  it('streamText and generateText: the server\'s text, response model, cost, redactions and the engine\'s warnings', async () => {
    const ew = cloud();
    try {
      const result = streamText({ model: ew(), prompt: 'Hi there, write to ann@example.com', topK: 5 });
      assertEqual(await result.text, 'Echo: Hi there, write to ann@example.com', 'echoed, the address restored in the answer');
      assert((await result.warnings)?.some((w) => w.type === 'unsupported' && w.feature === 'topK') === true, 'the engine\'s warning part joined stream-start');
      const sent = JSON.stringify((await chatCalls())[0]?.body);
      assert(!sent.includes('ann@example.com') && sent.includes('[EMAIL_1]'), `redacted before it left: ${sent.slice(0, 200)}`);
      const meta = (await result.providerMetadata)?.['edgewise'];
      assertEqual(meta?.['ranOn'], 'remote', 'ran remote');
      assertEqual(meta?.['redactions'], { email: 1 }, 'redaction counts, never values');
      const cost = meta?.['cost'] as { input: number; output: number; total: number; currency: string };
      assert(cost.total > 0 && Math.abs(cost.total - cost.input - cost.output) < 1e-12 && cost.currency === 'USD', `cost from the prices: ${JSON.stringify(cost)}`);
      assertEqual((await result.response).modelId, 'test-model', 'response.modelId: the remote model');
      assertEqual(ew().modelId, 'test-model', 'the default id of a remote-only engine is the remote model');
      const text = await generateText({ model: ew('test-model'), prompt: 'Hello', topK: 5 });
      assertEqual(text.text, 'Echo: Hello', 'generateText');
      assert(text.warnings?.some((w) => w.type === 'unsupported' && w.feature === 'topK') === true, `the remote's topK warning reached result.warnings: ${JSON.stringify(text.warnings)}`);
    } finally {
      await ew.engine.dispose();
    }
  });

  it('generateObject: the schema goes out as json_schema and the answer is validated', async () => {
    const ew = cloud();
    try {
      const schema = jsonSchema<{ city: string; plan: { mode: 'train' | 'bus' } }>({
        type: 'object',
        properties: { city: { type: 'string', maxLength: 20 }, plan: { type: 'object', properties: { mode: { enum: ['train', 'bus'] } }, required: ['mode'], additionalProperties: false } },
        required: ['city', 'plan'], additionalProperties: false,
      });
      const { object } = await generateObject({ model: ew(), schema, schemaName: 'trip', prompt: 'Oslo by rail' });
      // The server answers a sample of the schema: the last user message cut to maxLength, the first enum value.
      assertEqual(object, { city: 'Oslo by rail', plan: { mode: 'train' } }, 'validated object');
      const format = ((await chatCalls())[0]?.body as { response_format?: { type: string; json_schema?: { name?: string } } }).response_format;
      assertEqual([format?.type, format?.json_schema?.name], ['json_schema', 'trip'], 'response_format on the wire');
    } finally {
      await ew.engine.dispose();
    }
  });

  it('a tool loop: the server calls the tool, the AI SDK runs it, the result goes back as a tool message, the second step answers', async () => {
    const ew = cloud();
    try {
      await remoteFaults([{ match: '/chat/completions', times: 1, toolCalls: [{ name: 'add', arguments: { a: 2, b: 3 } }] }]);
      const add = tool({
        description: 'Adds two integers',
        inputSchema: jsonSchema<{ a: number; b: number }>({ type: 'object', properties: { a: { type: 'integer' }, b: { type: 'integer' } }, required: ['a', 'b'], additionalProperties: false }),
        execute: async ({ a, b }) => a + b,
      });
      const result = await generateText({ model: ew(), tools: { add }, prompt: 'What is 2 + 3?', stopWhen: stepCountIs(3) });
      assertEqual(result.steps.map((s) => s.finishReason), ['tool-calls', 'stop'], 'a call, then an answer');
      assertEqual(result.steps[0]?.toolResults[0]?.output, 5, 'the SDK ran add(2, 3)');
      assertEqual(result.text, 'Echo: What is 2 + 3?', 'the second step\'s text');
      const second = (await chatCalls())[1]?.body as { messages: { role: string; tool_call_id?: string; content?: string; tool_calls?: { id: string }[] }[] };
      const toolMessage = second.messages.find((m) => m.role === 'tool');
      assertEqual([toolMessage?.tool_call_id, toolMessage?.content], ['call_echo_0', '5'], 'the result went back for the call');
      assertEqual(second.messages.find((m) => m.role === 'assistant')?.tool_calls?.[0]?.id, 'call_echo_0', 'after the call it answers');
    } finally {
      await ew.engine.dispose();
    }
  });

  it('embedMany: vectors from /embeddings, usage and providerMetadata.edgewise', async () => {
    const ew = cloud();
    try {
      const { embeddings, usage, providerMetadata } = await embedMany({ model: ew.embeddingModel(), values: ['one two', 'three'] });
      assertEqual(embeddings.map((v) => v.length), [8, 8], 'the server\'s 8-dimensional vectors');
      for (const v of embeddings) assert(Math.abs(Math.hypot(...v) - 1) < 1e-5, 'unit vectors');
      assert(embeddings[0]?.join() !== embeddings[1]?.join(), 'one per text');
      assertEqual(usage.tokens, 3, 'the server counts words');
      assertEqual(providerMetadata?.['edgewise']?.['ranOn'], 'remote', 'ran remote');
    } finally {
      await ew.engine.dispose();
    }
  });

  it('failover inside one streamText call: the local model 404s before its first token, the remote answers, route.failover says so', async () => {
    const ew = createEdgewise({ model: { id: 'ai-sdk-missing', url: `${MODEL_SERVER}/fixtures/no-such-model/`, dtype: 'q4' }, ...testRemote(), policy: 'prefer-local', cache: false });
    try {
      const result = streamText({ model: ew(), prompt: 'Hi' });
      assertEqual(await result.text, 'Echo: Hi', 'the remote\'s answer');
      const route = (await result.providerMetadata)?.['edgewise']?.['route'] as { reason: string; failover?: { from: string; code: string } };
      assert(route.failover !== undefined, `failover set: ${JSON.stringify(route)}`);
      assertEqual(route.failover.code, 'model_not_found', 'what failed locally');
      assertEqual((await chatCalls()).length, 1, 'one remote call');
    } finally {
      await ew.engine.dispose();
    }
  });

  it('a 503 and a 429 are retryable APICallErrors with the EdgewiseError as cause; a 401 is not; the AI SDK retries the retryable ones', async () => {
    const ew = cloud();
    try {
      for (const [status, code] of [[503, 'remote_http_error'], [429, 'remote_rate_limited']] as const) {
        await remoteFaults([{ match: '/chat/completions', status, times: 1 }]);
        const e = await rejection(generateText({ model: ew(), prompt: 'Hi', maxRetries: 0 }));
        assert(APICallError.isInstance(e), `${status}: an APICallError (${String(e)})`);
        assertEqual([e.isRetryable, e.statusCode], [true, status], `${status}: retryable, with its status`);
        assert(isEdgewiseError(e.cause) && e.cause.code === code, `${status}: the EdgewiseError (${code}) is the cause`);
        assert(e.url.endsWith('/v1/chat/completions') && !JSON.stringify(e).includes('tok-'), `${status}: the URL, never the token: ${e.url}`);
      }
      await remoteFaults([{ match: '/chat/completions', status: 401, times: 1 }]);
      const denied = await rejection(generateText({ model: ew(), prompt: 'Hi', maxRetries: 3 }));
      assert(APICallError.isInstance(denied) && !denied.isRetryable && isEdgewiseError(denied.cause) && denied.cause.code === 'remote_unauthorized', `401: not retryable (${String(denied)})`);
      await remoteReset();
      await remoteFaults([{ match: '/chat/completions', status: 503, times: 1 }]);
      let streamError: unknown;
      const retried = streamText({ model: ew(), prompt: 'Again', maxRetries: 1, onError: ({ error }) => { streamError = error; } });
      assertEqual(await retried.text, 'Echo: Again', 'streamText retried the 503 (doStream rejected before the first token)');
      assertEqual([(await chatCalls()).length, streamError], [2, undefined], 'two requests, no error left');
    } finally {
      await ew.engine.dispose();
    }
  });

  it('a connection dropped after the first token ends the stream with an error part: a retryable APICallError, no failover', async () => {
    const ew = cloud();
    try {
      await remoteFaults([{ match: '/chat/completions', times: 1, chunkSize: 2, dropAfterChunks: 2 }]);
      let error: unknown;
      const result = streamText({ model: ew(), prompt: 'Hello world', onError: ({ error: e }) => { error = e; } });
      const types: string[] = [];
      for await (const p of result.fullStream) types.push(p.type);
      assert(types.includes('text-delta') && types.includes('error'), `text, then the error: ${types.join(', ')}`);
      assert(APICallError.isInstance(error) && error.isRetryable && isEdgewiseError(error.cause) && error.cause.code === 'remote_network_error', `the drop: ${String(error)}`);
      assertEqual((await chatCalls()).length, 1, 'no second request once text had arrived');
    } finally {
      await ew.engine.dispose();
    }
  });

  it('one model, the engine\'s routing per call: prefer-local runs on the device; providerOptions.edgewise.policy sends one call remote', async () => {
    const ew = createEdgewise({ model: { id: 'tiny-llama', url: FIXTURE_URL, dtype: 'q4' }, ...testRemote(), cache: false });
    try {
      const model = ew('tiny-llama');
      const local = await generateText({ model, prompt: 'Hi', maxOutputTokens: 3 });
      const remote = await generateText({ model, prompt: 'Hi', maxOutputTokens: 3, providerOptions: { edgewise: { policy: 'remote-only' } } });
      assertEqual([local.providerMetadata?.['edgewise']?.['ranOn'], remote.providerMetadata?.['edgewise']?.['ranOn']], ['wasm', 'remote'], 'where each ran');
      assertEqual([local.response.modelId, remote.response.modelId], ['tiny-llama', 'test-model'], 'response.modelId names the model that answered');
      assertEqual(remote.text, 'Echo: Hi', 'the remote text');
    } finally {
      await ew.engine.dispose();
    }
  });

  it('abortSignal mid-stream closes the remote request', async () => {
    const ew = cloud();
    try {
      await remoteFaults([{ match: '/chat/completions', chunkSize: 1, chunkDelayMs: 100 }]);
      const controller = new AbortController();
      const result = streamText({ model: ew(), prompt: 'a slow and long answer', abortSignal: controller.signal });
      let text = '';
      for await (const d of result.textStream) {
        text += d;
        if (text.length >= 3) controller.abort();
      }
      assert(text.length < 'Echo: a slow and long answer'.length, `stopped early: ${JSON.stringify(text)}`);
      let entry;
      for (let i = 0; i < 250 && !(entry = (await remoteLog()).find((e) => e.closedEarly)); i++) await new Promise((r) => setTimeout(r, 20));
      assert(entry !== undefined, 'the server saw the request closed early');
    } finally {
      await ew.engine.dispose();
    }
  });
});

describe('AI SDK face: createEdgewise(engineOptions) owns its engine', () => {
  it('exposes it as provider.engine, and knows the ids of the options', async () => {
    const ew = createEdgewise({ ...testRemote(), policy: 'remote-only' });
    const other = createEngine({ ...testRemote(), policy: 'remote-only' });
    try {
      assert(typeof ew.engine.dispose === 'function' && ew.engine !== other, 'the engine it made');
      assertEqual([ew.languageModel().modelId, ew.embeddingModel().modelId, ew.embeddingModel('test-model').modelId], ['test-model', 'test-model', 'test-model'], 'remote.model names both');
      assertEqual(ew.specificationVersion, 'v4', 'a V4 provider');
    } finally {
      await ew.engine.dispose();
      await other.dispose();
    }
  });
});

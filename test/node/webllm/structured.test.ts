/**
 * Structured output, capabilities and state of the web-llm backend, over the recording
 * fake MLCEngine (whose requests pass web-llm 0.2.86's own validation): what
 * `response_format` web-llm receives for each format, the JSON instruction its docs ask
 * for, JSON answers streamed as text, a schema web-llm's grammar compiler refuses as a
 * typed error, and what the backend declares before and after a load.
 */
import * as webllm from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import { toEdgewiseError } from '../../../src/backends/webllm/failure.js';
import { FUNCTION_CALLING_MODEL_IDS, webllmCapabilities } from '../../../src/backends/webllm/index.js';
import { isEdgewiseError } from '../../../src/errors.js';
import { collect, MODEL_ID, overFake, rejection, request } from './harness.js';

const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } as const;

describe('webllm response formats, over the recording fake MLCEngine', () => {
  it("json_schema: web-llm's json_object with the schema as a string, and a system message saying to answer in it", async () => {
    const { backend, mod } = overFake({ chunks: ['{"city"', ': "Paris"}'] });
    await backend.load();
    const parts = await collect(backend.generate(request({ prompt: 'Where?', responseFormat: { type: 'json_schema', schema } })));
    const [body] = mod.requests();
    expect(body?.response_format).toEqual({ type: 'json_object', schema: JSON.stringify(schema) });
    expect(body?.messages).toEqual([
      { role: 'system', content: `Answer with JSON only: a value of this JSON Schema: ${JSON.stringify(schema)}` },
      { role: 'user', content: 'Where?' },
    ]);
    expect(parts.map((p) => (p.type === 'text' ? p.text : p.type))).toEqual(['{"city"', ': "Paris"}', 'finish']);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', reason: 'stop' });
  });

  it('json_object: no schema; the instruction joins an existing system message', async () => {
    const { backend, mod } = overFake({ chunks: ['{}'] });
    await backend.load();
    const { prompt: _p, ...rest } = request();
    await collect(backend.generate({ ...rest, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }], responseFormat: { type: 'json_object' } }));
    const [body] = mod.requests();
    expect(body?.response_format).toEqual({ type: 'json_object' });
    expect(body?.messages[0]).toEqual({ role: 'system', content: 'Be brief.\n\nAnswer with JSON only: one JSON object.' });
    expect(body?.messages).toHaveLength(2);
  });

  it('a schema of `true` (any value) is plain JSON mode', async () => {
    const { backend, mod } = overFake({ chunks: ['1'] });
    await backend.load();
    await collect(backend.generate(request({ responseFormat: { type: 'json_schema', schema: true } })));
    expect(mod.requests()[0]?.response_format).toEqual({ type: 'json_object' });
  });

  it('no response format: nothing added to the request', async () => {
    const { backend, mod } = overFake();
    await backend.load();
    await collect(backend.generate(request()));
    expect(mod.requests()[0]).not.toHaveProperty('response_format');
    expect(mod.requests()[0]?.messages).toHaveLength(1);
  });

  it("a schema web-llm's grammar compiler refuses (GrammarMatcherInitError) is invalid_response_format, cause kept", async () => {
    const cause = Object.assign(new Error('Failed to initialize the grammar matcher for response format `json_object`: unsupported keyword'), { name: 'GrammarMatcherInitError' });
    const { backend } = overFake({ errorAfter: { chunks: 0, error: () => cause } });
    await backend.load();
    const e = await rejection(collect(backend.generate(request({ responseFormat: { type: 'json_schema', schema } }))));
    expect(isEdgewiseError(e) && e.code).toBe('invalid_response_format');
    expect((e as Error).cause).toBe(cause);
  });

  it("web-llm's real validation refuses a schema under another type (InvalidResponseFormatError): invalid_response_format", async () => {
    const { backend, mod } = overFake();
    await backend.load();
    // What web-llm itself throws for { type: 'text', schema }; the adapter never sends it, so it is raised here directly.
    const engine = mod.engines[0];
    const cause = await engine?.chat.completions.create({ messages: [{ role: 'user', content: 'x' }], stream: true, response_format: { type: 'text', schema: '{}' } }).catch((x: unknown) => x);
    expect((cause as Error).name).toBe('InvalidResponseFormatError');
    expect(toEdgewiseError(cause, 'generate', MODEL_ID).code).toBe('invalid_response_format');
  });
});

describe('webllm capabilities and state', () => {
  it('declares the settings web-llm honours, JSON formats (no regex), and tools only for its function-calling models', () => {
    const { backend } = overFake();
    expect(backend).toMatchObject({ specificationVersion: 'v3', kind: 'webllm', location: 'local' });
    expect(backend.capabilities).toEqual({ sampling: ['temperature', 'topP', 'repetitionPenalty', 'seed', 'stop'], responseFormats: ['json_schema', 'json_object'], tools: false });
    expect(overFake({}, { id: 'Hermes-3-Llama-3.1-8B-q4f16_1-MLC' }).backend.capabilities.tools).toBe(true);
    expect(webllmCapabilities(MODEL_ID).sampling).not.toContain('topK');
  });

  it("the copied function-calling list is the installed web-llm's own", () => {
    expect([...FUNCTION_CALLING_MODEL_IDS]).toEqual(webllm.functionCallingModelIds);
  });

  it('state: before a load nothing is loaded; after, the info and the prebuilt record\'s context window', async () => {
    const { backend } = overFake({}, { bytes: 123 });
    expect(backend.state).toMatchObject({ ranOn: 'webllm', loaded: false, loadError: undefined, info: undefined, contextLength: undefined, weightBytes: 123 });
    await backend.load();
    expect(backend.state).toMatchObject({ loaded: true, contextLength: 4096, info: { ranOn: 'webllm', engine: 'webllm', contextLength: 4096 } });
    await backend.unload();
    expect(backend.state.loaded).toBe(false);
  });

  it("state: a custom record's context window is known before any load; a failed load is kept as loadError until one succeeds", async () => {
    const record = { model: 'https://models.example.test/Tiny-q4f32_1-MLC', model_id: 'Tiny-q4f32_1-MLC', model_lib: 'https://models.example.test/Tiny.wasm', overrides: { context_window_size: 2048 } };
    const { backend, mod } = overFake({ loadError: () => new Error('fetch failed') }, { id: record.model_id, record });
    expect(backend.state.contextLength).toBe(2048);
    await rejection(backend.load());
    expect(backend.state.loadError).toMatchObject({ code: 'model_not_found' });
    mod.script = {};
    await backend.load();
    expect(backend.state.loadError).toBeUndefined();
  });

  it('isCached answers from web-llm\'s cache, and false where the cache cannot be read', async () => {
    expect(await overFake({ cached: true }).backend.isCached()).toBe(true);
    expect(await overFake({ cacheError: () => new Error('boom') }).backend.isCached()).toBe(false);
  });
});

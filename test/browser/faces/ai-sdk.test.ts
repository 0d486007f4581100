/**
 * Acceptance (issue 17, the AI SDK face) on the device, in Chromium: the real `ai` package
 * over the built `edgewise/ai-sdk` and the generated random-weight fixture (greedy, so a
 * call through the AI SDK must give exactly what the engine gives for the same messages),
 * plus stories260K when the shared models are present.
 */
import { createEngine, type Engine } from '/dist/edgewise.js';
import { FIXTURE_URL, STORIES_URL, assert, assertEqual, rejection, sharedModelsAvailable } from '../helpers.js';
import { BERT_URL } from '../embeddings/helpers.js';
import { ai, createEdgewise } from './ai-sdk-load.js';
import { recording } from './ai-sdk-engines.js';
import { z } from 'zod';

const { streamText, generateText, generateObject, embedMany, tool, jsonSchema, stepCountIs, Output } = ai;
const model = { id: 'tiny-llama', url: FIXTURE_URL, dtype: 'q4' } as const;
const isJson = (v: unknown): boolean => JSON.stringify(JSON.parse(JSON.stringify(v))) === JSON.stringify(v);

/** Nested objects and enums, bounded so a random-weight model finishes inside maxOutputTokens. */
const TRIP = jsonSchema<{ city: string; plan: { days: number; mode: 'train' | 'bus' | 'ferry' }; tags: ('sea' | 'hills')[] }>({
  type: 'object',
  properties: {
    city: { type: 'string', maxLength: 8 },
    plan: { type: 'object', properties: { days: { type: 'integer', minimum: 1, maximum: 7 }, mode: { enum: ['train', 'bus', 'ferry'] } }, required: ['days', 'mode'], additionalProperties: false },
    tags: { type: 'array', items: { enum: ['sea', 'hills'] }, maxItems: 2 },
  },
  required: ['city', 'plan', 'tags'],
  additionalProperties: false,
});

function checkTrip(t: { city: string; plan: { days: number; mode: string }; tags: string[] }): void {
  assert(typeof t.city === 'string' && [...t.city].length <= 8, `city: ${JSON.stringify(t)}`);
  assert(Number.isInteger(t.plan.days) && t.plan.days >= 1 && t.plan.days <= 7, `plan.days: ${JSON.stringify(t)}`);
  assert(['train', 'bus', 'ferry'].includes(t.plan.mode), `plan.mode: ${JSON.stringify(t)}`);
  assert(Array.isArray(t.tags) && t.tags.length <= 2 && t.tags.every((x) => x === 'sea' || x === 'hills'), `tags: ${JSON.stringify(t)}`);
  assertEqual(Object.keys(t).sort(), ['city', 'plan', 'tags'], 'no other keys');
}

describe('AI SDK face on the device (fixture model)', function () {
  this.timeout(120_000);
  let engine: Engine;
  before(() => { engine = createEngine({ model, embeddingModel: { id: 'tiny-bert', url: BERT_URL }, cache: false }); });
  after(() => engine.dispose());

  it('streamText: V4 stream parts in order, the engine\'s own greedy text, usage, finish reason and JSON providerMetadata.edgewise', async () => {
    const ew = createEdgewise({ engine });
    const expected = await engine.text({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi there' }], maxTokens: 6 });
    const result = streamText({ model: ew(), system: 'Be brief.', prompt: 'Hi there', maxOutputTokens: 6 });
    const types: string[] = [];
    for await (const p of result.fullStream) if (types.at(-1) !== p.type) types.push(p.type);
    assertEqual(await result.text, expected, 'the same text the engine gives for the same messages');
    assertEqual(types, ['start', 'start-step', 'text-start', 'text-delta', 'text-end', 'finish-step', 'finish'], 'part order');
    const usage = await result.usage;
    assertEqual(usage.outputTokens, 6, 'six tokens asked, six generated (a random-weight model does not stop early)');
    assertEqual(await result.finishReason, 'length', 'cut at maxOutputTokens');
    const counted = await engine.countTokens({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi there' }] });
    assertEqual(usage.inputTokens, counted.tokens, 'input tokens: the engine\'s exact count of the same messages');
    const meta = (await result.providerMetadata)?.['edgewise'];
    assert(meta !== undefined && isJson(meta), `JSON provider metadata: ${JSON.stringify(meta)}`);
    assertEqual([meta['ranOn'], (meta['route'] as { policy: string }).policy, (meta['route'] as { reason: string }).reason], ['wasm', 'local-only', 'local_only'], 'where and why');
    // README: wasmWeights 'auto' runs a model under 64 MB in float32 as fp32.
    assertEqual(meta['weights'], 'fp32', 'the weight form');
    assertEqual((await result.response).modelId, 'tiny-llama', 'response.modelId: the local model that answered');
  });

  it('generateText: the same text; unsupported settings and prompt parts come back in result.warnings; ids and file parts are checked', async () => {
    const ew = createEdgewise({ engine });
    const expected = await engine.text({ messages: [{ role: 'user', content: 'Hello' }], maxTokens: 5 });
    const result = await generateText({ model: ew('tiny-llama'), prompt: 'Hello', maxOutputTokens: 5, frequencyPenalty: 0.3, presencePenalty: 0.2, headers: { 'x-app': 'notes' } });
    assertEqual(result.text, expected, 'text');
    assertEqual(result.warnings?.map((w) => ('feature' in w ? w.feature : w.type)).sort(), ['frequencyPenalty', 'headers', 'presencePenalty'], 'one warning per setting the engine cannot honour');
    assertEqual(ew('default').modelId, 'tiny-llama', "'default' is the engine's local model");
    const unknown = await rejection(async () => ew('gpt-4o'));
    assert(ai.NoSuchModelError.isInstance(unknown) && unknown.modelId === 'gpt-4o' && unknown.modelType === 'languageModel', `NoSuchModelError: ${String(unknown)}`);
    assert(ai.NoSuchModelError.isInstance(await rejection(async () => ew.imageModel('x'))), 'no image models');
    const file = await rejection(generateText({ model: ew(), maxRetries: 0, messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'file', data: new Uint8Array([137, 80, 78, 71]), mediaType: 'image/png' }] }] }));
    assert(ai.UnsupportedFunctionalityError.isInstance(file) && file.functionality.includes('image/png'), `a file part is refused, never dropped: ${String(file)}`);
    const badOption = await rejection(generateText({ model: ew(), prompt: 'x', maxRetries: 0, providerOptions: { edgewise: { policy: 'sometimes' } } }));
    assert(ai.InvalidArgumentError.isInstance(badOption) && 'argument' in badOption && badOption.argument === 'providerOptions.edgewise.policy', `a bad per-call policy: ${String(badOption)}`);
  });

  it('generateObject and generateText with Output.object: a nested object with enums, constrained on the device and validated', async () => {
    const ew = createEdgewise({ engine });
    const { seen, engine: rec } = recording(engine);
    const object = await generateObject({ model: createEdgewise({ engine: rec })(), schema: TRIP, prompt: 'Plan a trip', maxOutputTokens: 120 });
    checkTrip(object.object);
    assertEqual(seen.requests[0]?.responseFormat?.type, 'json_schema', 'the schema went to the engine as json_schema (constrained decoding)');
    assertEqual(seen.finishes[0]?.ranOn, 'wasm', 'on the device');
    // A zod schema, as apps write them: the AI SDK turns it into JSON Schema ($schema, additionalProperties: false).
    const ZOD_TRIP = z.object({ city: z.string().max(8), plan: z.object({ days: z.number().int().min(1).max(7), mode: z.enum(['train', 'bus', 'ferry']) }), tags: z.array(z.enum(['sea', 'hills'])).max(2) });
    const out = await generateText({ model: ew(), output: Output.object({ schema: ZOD_TRIP }), prompt: 'Another trip', maxOutputTokens: 120 });
    checkTrip(out.output);
  });

  it('a tool loop: step 1 must call the tool, the AI SDK runs it, step 2 answers in text with the result in its prompt', async () => {
    const { seen, engine: rec } = recording(engine);
    const ew = createEdgewise({ engine: rec });
    const runs: { a: number; b: number }[] = [];
    const add = tool({
      description: 'Adds two integers',
      inputSchema: jsonSchema<{ a: number; b: number }>({ type: 'object', properties: { a: { type: 'integer', minimum: 0, maximum: 99 }, b: { type: 'integer', minimum: 0, maximum: 99 } }, required: ['a', 'b'], additionalProperties: false }),
      execute: async ({ a, b }) => { runs.push({ a, b }); return a + b; },
    });
    const result = await generateText({
      model: ew(), tools: { add }, prompt: 'What is 2 + 3?', maxOutputTokens: 60, stopWhen: stepCountIs(2),
      // The random-weight model calls only when told to: a named choice on step 1, text on step 2.
      prepareStep: ({ stepNumber }) => (stepNumber === 0 ? { toolChoice: { type: 'tool', toolName: 'add' } } : { toolChoice: 'none' }),
    });
    assertEqual(result.steps.length, 2, 'two steps');
    const [call] = result.steps[0]?.toolCalls ?? [];
    assertEqual(call?.toolName, 'add', 'step 1 called add');
    assertEqual(result.steps[0]?.finishReason, 'tool-calls', 'step 1 ended for the call');
    assertEqual(runs.length, 1, 'the SDK ran the tool once');
    assertEqual(result.steps[0]?.toolResults[0]?.output, (runs[0]?.a ?? NaN) + (runs[0]?.b ?? NaN), 'with the model\'s arguments');
    assertEqual(seen.requests[0]?.toolChoice, { name: 'add' }, "{ type: 'tool', toolName } became { name }");
    const second = seen.requests[1]?.messages ?? [];
    const asked = second.find((m) => m.role === 'assistant');
    const answered = second.find((m) => m.role === 'tool');
    assert(asked?.role === 'assistant' && asked.toolCalls?.[0]?.id === call?.toolCallId, `step 2 replays the call: ${JSON.stringify(second)}`);
    assert(answered?.role === 'tool' && answered.toolCallId === call?.toolCallId && answered.content === String(runs[0]!.a + runs[0]!.b), `and its result: ${JSON.stringify(answered)}`);
    assert(result.steps[1]?.toolCalls.length === 0 && ['stop', 'length'].includes(result.steps[1]?.finishReason ?? ''), 'step 2 answers in text');
  });

  it('doStream, called as the V4 spec: a whole tool call as tool-input-start/delta/end then tool-call; warnings for provider tools and parts the engine has no use for', async () => {
    const model = createEdgewise({ engine })();
    const { stream } = await model.doStream({
      prompt: [
        { role: 'user', content: [{ type: 'text', text: 'Add 2 and 3' }] },
        { role: 'assistant', content: [{ type: 'reasoning', text: 'thinking' }, { type: 'text', text: 'Sure.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Now.' }] },
      ],
      tools: [
        { type: 'function', name: 'add', inputSchema: { type: 'object', properties: { a: { type: 'integer', minimum: 0, maximum: 9 }, b: { type: 'integer', minimum: 0, maximum: 9 } }, required: ['a', 'b'], additionalProperties: false } },
        { type: 'provider', id: 'acme.search', name: 'search', args: {} },
      ],
      toolChoice: { type: 'tool', toolName: 'add' },
      maxOutputTokens: 60,
    });
    const parts = [];
    for (const reader = stream.getReader(); ;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
    }
    assertEqual(parts.map((p) => p.type), ['stream-start', 'tool-input-start', 'tool-input-delta', 'tool-input-end', 'tool-call', 'response-metadata', 'finish'], 'V4 part order');
    const [start, inputStart, delta, , call, meta, finish] = parts;
    assert(start?.type === 'stream-start', 'stream-start');
    assertEqual(start.warnings.map((w) => ('feature' in w ? w.feature : '')).sort(), ['provider tool acme.search', 'reasoning parts'], 'warned, not silent');
    assert(inputStart?.type === 'tool-input-start' && inputStart.toolName === 'add', 'input start names the tool');
    assert(delta?.type === 'tool-input-delta' && call?.type === 'tool-call' && delta.delta === call.input && delta.id === call.toolCallId, 'the whole input in one delta, same id');
    const args = JSON.parse(call.input) as { a: number; b: number };
    assert(Number.isInteger(args.a) && args.a <= 9 && Number.isInteger(args.b) && args.b <= 9, `input validates: ${call.input}`);
    assert(meta?.type === 'response-metadata' && typeof meta.id === 'string' && meta.timestamp instanceof Date && meta.modelId === 'tiny-llama', 'response metadata');
    assert(finish?.type === 'finish' && finish.finishReason.unified === 'tool-calls' && finish.finishReason.raw === 'tool-calls', 'finish reason');
  });

  it('embedMany: the engine\'s vectors as number[][], usage, providerMetadata.edgewise', async () => {
    const ew = createEdgewise({ engine });
    const values = ['The cat sat.', 'A kitten lay on the rug.', 'Stock prices fell.'];
    const { embeddings, usage, providerMetadata } = await embedMany({ model: ew.embeddingModel(), values });
    const direct = await engine.embed(values);
    assertEqual(embeddings, direct.map((v) => Array.from(v)), 'the same vectors, in input order');
    assertEqual(usage.tokens, direct.promptTokens, 'usage');
    const meta = providerMetadata?.['edgewise'];
    assert(meta !== undefined && isJson(meta) && meta['ranOn'] === 'wasm' && Array.isArray(meta['truncated']), `metadata: ${JSON.stringify(meta)}`);
    assert(ai.NoSuchModelError.isInstance(await rejection(async () => ew.embeddingModel('text-embedding-3-small'))), 'an embedding id the engine lacks');
  });

  it('abortSignal mid-stream ends the SDK stream and the engine request (finish reason abort)', async () => {
    const { seen, engine: rec } = recording(engine);
    const controller = new AbortController();
    let aborted = false;
    const result = streamText({ model: createEdgewise({ engine: rec })(), prompt: 'Tell a long story', maxOutputTokens: 200, abortSignal: controller.signal, onAbort: () => { aborted = true; } });
    let deltas = 0;
    const types: string[] = [];
    for await (const p of result.fullStream) {
      types.push(p.type);
      if (p.type === 'text-delta' && ++deltas === 2) controller.abort();
    }
    assert(aborted && types.at(-1) === 'abort', `the SDK saw the abort: ${types.slice(-3).join(', ')}`);
    for (let i = 0; i < 250 && seen.finishes.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assertEqual(seen.finishes.map((f) => f.reason), ['abort'], 'the engine request ended as aborted');
    assert((seen.finishes[0]?.usage.completionTokens ?? 200) < 200, 'before all 200 tokens');
  });
  it('generateText with abortSignal rejects with the abort, and the engine request ends as aborted', async () => {
    const controller = new AbortController();
    // Abort at the first token, not after a delay: the fixture can finish 200 tokens in 150 ms on a quiet machine.
    const { seen, engine: rec } = recording(engine, () => controller.abort());
    const e = await rejection(generateText({ model: createEdgewise({ engine: rec })(), prompt: 'Tell a long story', maxOutputTokens: 200, abortSignal: controller.signal, maxRetries: 0 }));
    assert(e instanceof DOMException && e.name === 'AbortError', `an AbortError, as from fetch: ${String(e)}`);
    for (let i = 0; i < 250 && seen.finishes.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assertEqual(seen.finishes.map((f) => f.reason), ['abort'], 'the engine stopped');
  });

  it('providerOptions.edgewise: policy and maxLocalLatencyMs reach the engine request', async () => {
    const { seen, engine: rec } = recording(engine);
    await generateText({ model: createEdgewise({ engine: rec })(), prompt: 'Hi', maxOutputTokens: 2, providerOptions: { edgewise: { policy: 'local-only', maxLocalLatencyMs: 5000 } } });
    assertEqual([seen.requests[0]?.policy, seen.requests[0]?.maxLocalLatencyMs], ['local-only', 5000], 'per-call overrides');
    const bad = await rejection(generateText({ model: createEdgewise({ engine: rec })(), prompt: 'Hi', maxRetries: 0, providerOptions: { edgewise: { maxLocalLatencyMs: -1 } } }));
    assert(ai.InvalidArgumentError.isInstance(bad) && String(bad).includes('maxLocalLatencyMs'), `a negative budget: ${String(bad)}`);
    const typo = await rejection(generateText({ model: createEdgewise({ engine: rec })(), prompt: 'Hi', maxRetries: 0, providerOptions: { edgewise: { polcy: 'local-only' } } }));
    assert(ai.InvalidArgumentError.isInstance(typo) && String(typo).includes('polcy'), `an unknown key: ${String(typo)}`);
  });
});

describe('AI SDK face on stories260K', function () {
  this.timeout(120_000);
  it('streamText and generateObject on a real (tiny) model', async function () {
    if (!(await sharedModelsAvailable())) {
      console.warn('skipped: ../shared/models/stories260K-onnx is not present');
      this.skip();
    }
    const engine = createEngine({ model: { id: 'stories260K', url: STORIES_URL, dtype: 'fp32' }, cache: false });
    try {
      const ew = createEdgewise({ engine });
      const expected = await engine.text({ messages: [{ role: 'user', content: 'Once upon a time' }], maxTokens: 12 });
      const result = streamText({ model: ew(), prompt: 'Once upon a time', maxOutputTokens: 12 });
      assertEqual(await result.text, expected, 'the engine\'s text');
      assert(expected.length > 0, 'some text');
      const { object } = await generateObject({ model: ew(), schema: TRIP, prompt: 'A trip', maxOutputTokens: 120 });
      checkTrip(object);
    } finally {
      await engine.dispose();
    }
  });
});

/**
 * edgewise/prompt-api output control through the built package in Chromium:
 * `responseConstraint` as a JSON Schema and as a RegExp on the generated fixture (the
 * answers parse and match because decoding is constrained), the constraint described in
 * the input unless `omitResponseConstraintInput`, and tools run inside `prompt()`.
 */
import { assert, assertEqual, rejection } from '../helpers.js';
import { remoteFaults, remoteReset } from '../edge-cloud/remote-helpers.js';
import { chunksOf, createLanguageModel, fixtureEngine, nameOf, remoteEngine, sentMessages } from './prompt-api-face.js';

const SCHEMA = { type: 'object', properties: { rating: { type: 'integer', minimum: 0, maximum: 5 }, word: { enum: ['good', 'bad'] } }, required: ['rating', 'word'], additionalProperties: false };
const WEATHER = {
  name: 'get_weather',
  description: 'The weather in a city.',
  inputSchema: { type: 'object', properties: { city: { type: 'string', maxLength: 20 } }, required: ['city'], additionalProperties: false },
};

describe('prompt-api: output', function () {
  this.timeout(120_000);
  const local = fixtureEngine('tiny-llama-prompt-api-output');
  const LM = createLanguageModel(local, { maxTokens: 60 });
  const remote = remoteEngine();
  const RLM = createLanguageModel(remote);
  beforeEach(() => remoteReset());
  after(async () => {
    await local.dispose();
    await remote.dispose();
  });

  it('a JSON Schema constraint: the answer parses and validates, on prompt() and promptStreaming(), with sampling on', async () => {
    const session = await LM.create({ samplingMode: 'creative' });
    for (const text of [await session.prompt('Rate: great food', { responseConstraint: SCHEMA }), (await chunksOf(session.promptStreaming('Rate: cold soup', { responseConstraint: SCHEMA, omitResponseConstraintInput: true }))).join('')]) {
      const v = JSON.parse(text) as { rating: unknown; word: unknown };
      assert(Number.isInteger(v.rating) && (v.rating as number) >= 0 && (v.rating as number) <= 5, `rating in range: ${text}`);
      assert(v.word === 'good' || v.word === 'bad', `word from the enum: ${text}`);
      assertEqual(Object.keys(v).sort(), ['rating', 'word'], 'no other keys');
    }
  });

  it('a RegExp constraint: the answer matches it whole; flags that change the language are NotSupportedError; other values are TypeError', async () => {
    const session = await LM.create({ samplingMode: 'creative' });
    const re = /[a-z]{2,5}-[0-9]{2}/;
    const text = await session.prompt('A code please', { responseConstraint: re });
    assert(new RegExp(`^(?:${re.source})$`).test(text), `matches whole: ${JSON.stringify(text)}`);
    const withG = await session.prompt('Another code', { responseConstraint: /[0-9]{3}/g });
    assert(/^[0-9]{3}$/.test(withG), `the g flag does not change what matches: ${withG}`);
    assertEqual(nameOf(await rejection(session.prompt('x', { responseConstraint: /abc/i }))), 'DOMException/NotSupportedError', 'the i flag');
    assertEqual(nameOf(await rejection(session.prompt('x', { responseConstraint: 'abc' as never }))), 'TypeError/TypeError', 'a string');
    assertEqual(nameOf(await rejection(session.prompt('x', { omitResponseConstraintInput: true }))), 'TypeError/TypeError', 'omit without a constraint');
    assertEqual(nameOf(await rejection(session.prompt('x', { responseConstraint: { type: 'object', properties: { a: { type: 'string', pattern: '(?<=a)b' } }, required: ['a'] } }))), 'DOMException/NotSupportedError', 'a schema feature no route enforces');
  });

  it('the constraint is described in the input by default (and not with omitResponseConstraintInput); the history keeps the prompt as written', async () => {
    const session = await RLM.create();
    const answer = await session.prompt('Rate this', { responseConstraint: SCHEMA });
    assert(typeof JSON.parse(answer) === 'object', `the remote answered JSON: ${answer}`);
    await session.prompt('Rate again', { responseConstraint: SCHEMA, omitResponseConstraintInput: true });
    const [described, omitted] = await sentMessages();
    const lastOf = (ms: typeof described): string => String(ms?.at(-1)?.content);
    assert(lastOf(described).startsWith('Rate this') && lastOf(described).includes(JSON.stringify(SCHEMA)), `the schema is in the input: ${lastOf(described)}`);
    assertEqual(lastOf(omitted), 'Rate again', 'omitted: the prompt alone');
    assertEqual(omitted?.[0]?.content, 'Rate this', 'the earlier prompt is in the history as written');
  });

  it('tools: the model\'s call runs the tool\'s execute inside prompt(), its result goes back, and the text answer resolves', async () => {
    const calls: unknown[] = [];
    const session = await RLM.create({ tools: [{ ...WEATHER, execute: async (args) => { calls.push(args); return 'Sunny, 21 C'; } }] });
    await remoteFaults([{ match: '/chat/completions', times: 1, toolCalls: [{ name: 'get_weather', arguments: '{"city":"Oslo"}' }] }]);
    const answer = await session.prompt('Weather in Oslo?');
    assertEqual(calls, [{ city: 'Oslo' }], 'execute ran once with the parsed arguments');
    assertEqual(answer, 'Echo: Weather in Oslo?', 'the text answer after the tool round');
    const [first, second] = await sentMessages();
    assertEqual(first?.map((m) => m.role), ['user'], 'first request: the prompt');
    const tool = second?.find((m) => m.role === 'tool');
    assertEqual(tool?.content, 'Sunny, 21 C', 'the tool\'s result went back to the model');
    assertEqual(second?.map((m) => m.role), ['user', 'assistant', 'tool'], 'the call and its result follow the prompt');
    await session.prompt('Thanks');
    assertEqual((await sentMessages())[2]?.map((m) => m.role), ['user', 'assistant', 'tool', 'assistant', 'user'], 'the tool turn stays in the history');
  });

  it('tools: an execute that throws rejects the prompt with its error, and the turn is not kept', async () => {
    const boom = new Error('weather service down');
    const session = await RLM.create({ tools: [{ ...WEATHER, execute: () => { throw boom; } }] });
    await remoteFaults([{ match: '/chat/completions', times: 1, toolCalls: [{ name: 'get_weather', arguments: '{"city":"Bergen"}' }] }]);
    const usage = session.contextUsage;
    assertEqual(await rejection(session.prompt('Weather in Bergen?')), boom, 'the tool\'s own error');
    assertEqual(session.contextUsage, usage, 'nothing added');
  });
});

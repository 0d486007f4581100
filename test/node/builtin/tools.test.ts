/**
 * Tool calls on the built-in model, emulated, against the recording fake of the Prompt
 * API: the tools described in the system prompt, the `anyOf` constraint of call envelopes
 * (and a text envelope for 'auto'), the envelope read back as one `tool-call` part or as
 * text, tool history written as text, and what cannot be read as typed errors.
 */
import { describe, expect, it } from 'vitest';
import type { BackendRequest } from '../../../src/backends/backend.js';
import type { ChatMessage, ToolDefinition } from '../../../src/types.js';
import { jsonChunks } from '../../fakes/fake-language-model.js';
import { codeOf, collect, request, setup } from './helpers.js';

const weatherParams = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
const weather: ToolDefinition = { name: 'get_weather', description: 'Weather in a city.', parameters: weatherParams };
const time: ToolDefinition = { name: 'get_time', parameters: { type: 'object', properties: {} } };
const callBranch = (name: string, parameters: unknown) => ({ type: 'object', properties: { name: { const: name }, arguments: parameters }, required: ['name', 'arguments'], additionalProperties: false });
const textBranch = (text: unknown) => ({ type: 'object', properties: { text }, required: ['text'], additionalProperties: false });

function ask(over: Partial<BackendRequest> = {}, messages: readonly ChatMessage[] = [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Weather in Paris?' }]): BackendRequest {
  return request({ messages, tools: [weather, time], toolChoice: 'auto', ...over });
}

describe('builtin tools: what the browser is asked', () => {
  it("'auto': the tools follow the caller's system prompt; the answer is constrained to a call of either tool or a text answer, kept out of the input", async () => {
    const { fake, backend } = setup({ chunks: jsonChunks({ text: 'Sunny.' }) });
    await backend.load();
    await collect(backend.generate(ask()));
    const system = fake.callsOf('create')[1]?.options.initialPrompts?.[0];
    expect(system?.role).toBe('system');
    expect(system?.content).toMatch(/^Be brief\.\n\nYou can call these tools:\n- get_weather: Weather in a city\.\n {2}arguments \(JSON Schema\): \{"type":"object"/);
    expect(system?.content).toContain('- get_time\n');
    expect(system?.content).toContain('{"text": <your answer>}');
    expect(fake.callsOf('promptStreaming')[0]?.options).toEqual({
      responseConstraint: { anyOf: [callBranch('get_weather', weatherParams), callBranch('get_time', time.parameters), textBranch({ type: 'string' })] },
      omitResponseConstraintInput: true,
    });
    expect(fake.callsOf('promptStreaming')[0]?.input).toBe('Weather in Paris?');
  });

  it("'required': calls only; a named tool: that one alone, described alone", async () => {
    const { fake, backend } = setup({ chunks: jsonChunks({ name: 'get_time', arguments: {} }) });
    await backend.load();
    await collect(backend.generate(ask({ toolChoice: 'required' })));
    await collect(backend.generate(ask({ toolChoice: { name: 'get_time' } })));
    const [required, named] = fake.callsOf('promptStreaming');
    expect(required?.options.responseConstraint).toEqual({ anyOf: [callBranch('get_weather', weatherParams), callBranch('get_time', time.parameters)] });
    expect(named?.options.responseConstraint).toEqual({ anyOf: [callBranch('get_time', time.parameters)] });
    const namedSystem = fake.callsOf('create')[2]?.options.initialPrompts?.[0]?.content ?? '';
    expect(namedSystem).not.toContain('get_weather');
    expect(namedSystem).toContain('You must call get_time.');
  });

  it("'none': no tools described and no constraint; a plain answer", async () => {
    const { fake, backend } = setup();
    await backend.load();
    const { text, finish } = await collect(backend.generate(ask({ toolChoice: 'none' })));
    expect(fake.callsOf('create')[1]?.options.initialPrompts).toEqual([{ role: 'system', content: 'Be brief.' }]);
    expect(fake.callsOf('promptStreaming')[0]?.options).toEqual({});
    expect([text, finish.reason]).toEqual(['Hello, world!', 'stop']);
  });

  it('a prompt request with tools gets the tools as its system prompt', async () => {
    const { fake, backend } = setup({ chunks: jsonChunks({ text: 'ok' }) });
    await backend.load();
    await collect(backend.generate(request({ prompt: 'Weather?', tools: [weather], toolChoice: 'auto' })));
    expect(fake.callsOf('create')[1]?.options.initialPrompts).toEqual([{ role: 'system', content: expect.stringMatching(/^You can call these tools:/) }]);
  });

  it("with a responseFormat, the text answer is the format's value: a JSON value, or a string matching the whole pattern", async () => {
    const schema = { type: 'object', properties: { temp: { type: 'number' } } };
    const json = setup({ chunks: jsonChunks({ text: { temp: 18 } }) });
    await json.backend.load();
    const { text, finish } = await collect(json.backend.generate(ask({ responseFormat: { type: 'json_schema', schema } })));
    expect((json.fake.callsOf('promptStreaming')[0]?.options.responseConstraint as { anyOf: unknown[] }).anyOf.at(-1)).toEqual(textBranch(schema));
    expect([text, finish.reason]).toEqual(['{"temp":18}', 'stop']);
    const regex = setup({ chunks: jsonChunks({ text: '18C' }) });
    await regex.backend.load();
    expect((await collect(regex.backend.generate(ask({ responseFormat: { type: 'regex', pattern: '\\d+C' } })))).text).toBe('18C');
    expect((regex.fake.callsOf('promptStreaming')[0]?.options.responseConstraint as { anyOf: unknown[] }).anyOf.at(-1)).toEqual(textBranch({ type: 'string', pattern: '^(?:\\d+C)$' }));
  });

  it('history: calls written as the envelope the model answers with, results as user turns naming the call; trailing results are the input', async () => {
    const { fake, backend } = setup({ chunks: jsonChunks({ text: 'Sunny, noon.' }) });
    await backend.load();
    await collect(backend.generate(ask({}, [
      { role: 'user', content: 'Weather in Paris and the time?' },
      { role: 'assistant', content: 'Checking.', toolCalls: [{ id: 'call_0', name: 'get_weather', arguments: { city: 'Paris' } }, { id: 'call_1', name: 'get_time', arguments: {} }] },
      { role: 'tool', toolCallId: 'call_0', content: '18°C' },
      { role: 'tool', toolCallId: 'call_1', name: 'get_time', content: '12:00' },
    ])));
    expect(fake.callsOf('create')[1]?.options.initialPrompts?.slice(1)).toEqual([
      { role: 'user', content: 'Weather in Paris and the time?' },
      { role: 'assistant', content: 'Checking.\n{"name":"get_weather","arguments":{"city":"Paris"}}\n{"name":"get_time","arguments":{}}' },
    ]);
    expect(fake.callsOf('promptStreaming')[0]?.input).toBe('Result of the tool call call_0 (get_weather): 18°C\nResult of the tool call call_1 (get_time): 12:00');
  });
});

describe('builtin tools: what comes back', () => {
  it('a call envelope is one tool-call part (arguments as JSON text), finish tool-calls, no text', async () => {
    const { fake, backend } = setup({ chunks: jsonChunks({ name: 'get_weather', arguments: { city: 'Paris' } }, 5) });
    await backend.load();
    const { parts, finish } = await collect(backend.generate(ask()));
    expect(parts.slice(0, -1)).toEqual([{ type: 'tool-call', id: 'call_0', name: 'get_weather', arguments: '{"city":"Paris"}' }]);
    expect(finish).toMatchObject({ reason: 'tool-calls', ranOn: 'builtin' });
    expect(finish.usage.completionTokens).toBe(Math.ceil(JSON.stringify({ name: 'get_weather', arguments: { city: 'Paris' } }).length / 4));
    expect(fake.live()).toHaveLength(1);
  });

  it('call ids continue after the calls in the history', async () => {
    const { backend } = setup({ chunks: jsonChunks({ name: 'get_time', arguments: {} }) });
    await backend.load();
    const { parts } = await collect(backend.generate(ask({}, [
      { role: 'user', content: 'Weather?' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'call_0', name: 'get_weather', arguments: { city: 'Paris' } }, { id: 'call_1', name: 'get_weather', arguments: { city: 'Rome' } }] },
      { role: 'tool', toolCallId: 'call_0', content: '18°C' },
      { role: 'tool', toolCallId: 'call_1', content: '25°C' },
    ])));
    expect(parts[0]).toMatchObject({ type: 'tool-call', id: 'call_2', name: 'get_time', arguments: '{}' });
  });

  it('a text envelope is the text, cut at a stop string', async () => {
    const { backend } = setup({ chunks: jsonChunks({ text: 'Sunny. Anything else?' }) });
    await backend.load();
    expect(await collect(backend.generate(ask()))).toMatchObject({ text: 'Sunny. Anything else?', finish: { reason: 'stop' } });
    expect((await collect(backend.generate(ask({ stop: [' Anything'] })))).text).toBe('Sunny.');
  });

  it('an envelope cut at maxTokens is a length finish with nothing in it', async () => {
    const { backend } = setup({ chunks: jsonChunks({ text: 'x'.repeat(100) }, 10) });
    await backend.load();
    const { parts, finish } = await collect(backend.generate(ask({ maxTokens: 4 })));
    expect(parts).toHaveLength(1);
    expect(finish.reason).toBe('length');
  });

  it('an abort while the envelope streams ends with an abort finish and nothing else', async () => {
    const { backend } = setup({ chunks: jsonChunks({ text: 'x'.repeat(100) }, 10), stepMs: 5 });
    await backend.load();
    const { parts, finish } = await collect(backend.generate(ask(), { signal: AbortSignal.timeout(20) }));
    expect([parts.length, finish.reason]).toEqual([1, 'abort']);
  });

  it('an answer that is not JSON, or not an envelope, is invalid_output (not_json / schema); the session is destroyed', async () => {
    const { fake, backend } = setup({ chunks: ['Sure! ', 'Calling the tool.'] });
    await backend.load();
    const e = await collect(backend.generate(ask())).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'invalid_output', details: { reason: 'not_json' } });
    fake.script = { chunks: jsonChunks({ tool: 'get_time' }) };
    const e2 = await collect(backend.generate(ask())).catch((x: unknown) => x);
    expect(e2).toMatchObject({ code: 'invalid_output', details: { reason: 'schema' } });
    expect(fake.live()).toHaveLength(1);
  });

  it('a toolChoice naming no tool of the request is invalid_tools', async () => {
    const { backend } = setup();
    await backend.load();
    expect(await codeOf(collect(backend.generate(ask({ toolChoice: { name: 'nope' } }))))).toBe('invalid_tools');
  });
});

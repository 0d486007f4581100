/**
 * Tool calls on web-llm, over the recording fake MLCEngine, whose requests pass web-llm
 * 0.2.86's own function-calling validation (`postInitAndCheckFields`: a function-calling
 * model, no system prompt, no response format of ours) and whose final chunk carries
 * `delta.tool_calls` as web-llm's does: the tools and history web-llm receives, calls as
 * `tool-call` parts with a `tool-calls` finish, the warnings for what web-llm cannot
 * enforce, and its failures as typed errors.
 */
import * as webllm from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import type { BackendPart, BackendRequest } from '../../../src/backends/backend.js';
import { toEdgewiseError } from '../../../src/backends/webllm/failure.js';
import { isEdgewiseError } from '../../../src/errors.js';
import type { ChatMessage, ToolDefinition } from '../../../src/types.js';
import { toolCallChunks, type FakeMLCScript } from '../../fakes/fake-mlc-engine.js';
import { collect, overFake, rejection, request } from './harness.js';

const HERMES = 'Hermes-2-Pro-Llama-3-8B-q4f16_1-MLC';
const weather: ToolDefinition = { name: 'get_weather', description: 'Weather in a city.', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };
const time: ToolDefinition = { name: 'get_time', parameters: { type: 'object', properties: {} } };

function hermes(script: FakeMLCScript = {}) {
  return overFake(script, { id: HERMES });
}

function ask(over: Partial<BackendRequest> = {}, messages: readonly ChatMessage[] = [{ role: 'user', content: 'Weather in Paris?' }]): BackendRequest {
  const { prompt: _p, ...rest } = request();
  return { ...rest, messages, tools: [weather, time], toolChoice: 'auto', ...over };
}

const kinds = (parts: BackendPart[]): string[] => parts.map((p) => p.type);

describe('webllm tools: what web-llm receives', () => {
  it("tools as web-llm's functions, tool_choice as OpenAI spells it; web-llm's validation accepts it and adds its own prompt and format", async () => {
    const { backend, mod } = hermes({ chunks: toolCallChunks([{ name: 'get_weather', arguments: { city: 'Paris' } }]) });
    await backend.load();
    await collect(backend.generate(ask()));
    const [body] = mod.requests();
    expect(body?.tools).toEqual([
      { type: 'function', function: { name: 'get_weather', description: 'Weather in a city.', parameters: weather.parameters } },
      { type: 'function', function: { name: 'get_time', parameters: time.parameters } },
    ]);
    expect(body?.tool_choice).toBe('auto');
    expect(body).not.toHaveProperty('response_format');
    expect(body?.messages).toEqual([{ role: 'user', content: 'Weather in Paris?' }]);
    const [effective] = mod.effective();
    expect(effective?.messages[0]).toMatchObject({ role: 'system', content: expect.stringContaining('<tools>') });
    expect(effective?.response_format).toMatchObject({ type: 'json_object', schema: expect.stringContaining('"type":"array"') });
  });

  it('history: assistant calls written as the call list web-llm reads, tool results as tool messages; a conversation may end with a tool result', async () => {
    const { backend, mod } = hermes({ chunks: toolCallChunks([]) });
    await backend.load();
    await collect(backend.generate(ask({}, [
      { role: 'user', content: 'Weather in Paris and the time?' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'call_0', name: 'get_weather', arguments: { city: 'Paris' } }, { id: 'call_1', name: 'get_time', arguments: {} }] },
      { role: 'tool', toolCallId: 'call_0', content: '18°C' },
      { role: 'tool', toolCallId: 'call_1', content: '12:00' },
    ])));
    expect(mod.requests()[0]?.messages).toEqual([
      { role: 'user', content: 'Weather in Paris and the time?' },
      {
        role: 'assistant',
        content: '[{"name":"get_weather","arguments":{"city":"Paris"}},{"name":"get_time","arguments":{}}]',
        tool_calls: [
          { id: 'call_0', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_1', type: 'function', function: { name: 'get_time', arguments: '{}' } },
        ],
      },
      { role: 'tool', content: '18°C', tool_call_id: 'call_0' },
      { role: 'tool', content: '12:00', tool_call_id: 'call_1' },
    ]);
  });

  it('a system message goes to the head of the first user message (web-llm refuses one with tools), with a degraded warning', async () => {
    const { backend, mod } = hermes({ chunks: toolCallChunks([]) });
    await backend.load();
    const parts = await collect(backend.generate(ask({}, [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Weather?' }])));
    expect(mod.requests()[0]?.messages).toEqual([{ role: 'user', content: 'Be brief.\n\nWeather?' }]);
    expect(parts.filter((p) => p.type === 'warning')).toContainEqual({ type: 'warning', warning: expect.objectContaining({ code: 'degraded', setting: 'messages' }) });
  });

  it('a named toolChoice offers only that tool and says web-llm cannot force it', async () => {
    const { backend, mod } = hermes({ chunks: toolCallChunks([{ name: 'get_time', arguments: {} }]) });
    await backend.load();
    const parts = await collect(backend.generate(ask({ toolChoice: { name: 'get_time' } })));
    expect(mod.requests()[0]?.tools?.map((t) => t.function.name)).toEqual(['get_time']);
    expect(mod.requests()[0]?.tool_choice).toEqual({ type: 'function', function: { name: 'get_time' } });
    expect(parts[0]).toMatchObject({ type: 'warning', warning: { code: 'degraded', setting: 'toolChoice', message: expect.stringContaining("only 'get_time'") } });
  });

  it("toolChoice 'none' sends no tools: a plain chat request answered in text", async () => {
    const { backend, mod } = hermes();
    await backend.load();
    const parts = await collect(backend.generate(ask({ toolChoice: 'none' }, [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }])));
    expect(mod.requests()[0]).not.toHaveProperty('tools');
    expect(mod.requests()[0]?.messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
    expect(kinds(parts)).toEqual(['text', 'text', 'text', 'text', 'finish']);
    expect(parts.at(-1)).toMatchObject({ reason: 'stop' });
  });

  it('tools with a responseFormat: the format is not sent (web-llm sets its own), with an unsupported_setting warning', async () => {
    const { backend, mod } = hermes({ chunks: toolCallChunks([]) });
    await backend.load();
    const parts = await collect(backend.generate(ask({ responseFormat: { type: 'json_object' } })));
    expect(mod.requests()[0]).not.toHaveProperty('response_format');
    expect(parts).toContainEqual({ type: 'warning', warning: expect.objectContaining({ code: 'unsupported_setting', setting: 'responseFormat' }) });
  });
});

describe('webllm tools: what comes back', () => {
  it("web-llm's streamed calls become tool-call parts (JSON text arguments, call_<n> ids), no text, finish tool-calls; warnings first", async () => {
    const { backend } = hermes({ chunks: toolCallChunks([{ name: 'get_weather', arguments: { city: 'Paris' } }, { name: 'get_time', arguments: {} }], 5), promptTokens: 40 });
    await backend.load();
    const parts = await collect(backend.generate(ask({ toolChoice: 'required' })));
    expect(kinds(parts)).toEqual(['warning', 'tool-call', 'tool-call', 'finish']);
    expect(parts.slice(1, 3)).toEqual([
      { type: 'tool-call', id: 'call_0', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { type: 'tool-call', id: 'call_1', name: 'get_time', arguments: '{}' },
    ]);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', reason: 'tool-calls', ranOn: 'webllm', usage: { promptTokens: 40, completionTokens: 5 } });
    expect((parts.at(-1) as { usage: { timeToFirstTokenMs: number } }).usage.timeToFirstTokenMs).toBeGreaterThan(0);
  });

  it('call ids continue after the calls already in the history', async () => {
    const { backend } = hermes({ chunks: toolCallChunks([{ name: 'get_time', arguments: {} }]) });
    await backend.load();
    const parts = await collect(backend.generate(ask({}, [
      { role: 'user', content: 'Weather?' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'call_0', name: 'get_weather', arguments: { city: 'Paris' } }] },
      { role: 'tool', toolCallId: 'call_0', content: '18°C' },
    ])));
    expect(parts.find((p) => p.type === 'tool-call')).toMatchObject({ id: 'call_1', name: 'get_time' });
  });

  it('an empty call list is a stop with nothing said', async () => {
    const { backend } = hermes({ chunks: toolCallChunks([]) });
    await backend.load();
    const parts = await collect(backend.generate(ask()));
    expect(kinds(parts)).toEqual(['warning', 'finish']);
    expect(parts.at(-1)).toMatchObject({ reason: 'stop' });
  });

  it('a call list cut at maxTokens is a length finish with no parts (web-llm returns no calls then)', async () => {
    const { backend } = hermes({ chunks: toolCallChunks([{ name: 'get_weather', arguments: { city: 'Paris' } }], 6) });
    await backend.load();
    const parts = await collect(backend.generate(ask({ maxTokens: 2 })));
    expect(kinds(parts)).toEqual(['warning', 'finish']);
    expect(parts.at(-1)).toMatchObject({ reason: 'length' });
  });

  it('an abort mid-list ends with an abort finish and no calls', async () => {
    const { backend } = hermes({ chunks: toolCallChunks([{ name: 'get_weather', arguments: { city: 'Paris' } }], 10), stepMs: 5 });
    await backend.load();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const parts = await collect(backend.generate(ask(), { signal: controller.signal }));
    expect(kinds(parts)).toEqual(['warning', 'finish']);
    expect(parts.at(-1)).toMatchObject({ reason: 'abort' });
  });

  const bad: readonly [string, string[], string][] = [
    ['text that is not JSON (ToolCallOutputParseError)', ['[{"name": "get_weather", '], 'not_json'],
    ['JSON that is not a list (ToolCallOutputInvalidTypeError)', ['{"name": "get_weather"}'], 'schema'],
    ['a call without arguments (JSONFieldError)', ['[{"name": "get_weather"}]'], 'schema'],
  ];
  for (const [what, chunks, reason] of bad) {
    it(`${what} → invalid_output (${reason}), cause kept; the next request works`, async () => {
      const { backend, mod } = hermes({ chunks });
      await backend.load();
      const e = await rejection(collect(backend.generate(ask())));
      expect(isEdgewiseError(e) && e.code).toBe('invalid_output');
      expect(isEdgewiseError(e) && e.details).toMatchObject({ reason, phase: 'generate' });
      expect((e as Error).cause).toBeInstanceOf(Error);
      mod.script = { chunks: toolCallChunks([]) };
      expect((await collect(backend.generate(ask()))).at(-1)).toMatchObject({ type: 'finish' });
    });
  }
});

describe('webllm tools on a model web-llm cannot call tools with', () => {
  it('is unsupported_model before web-llm is asked, naming the function-calling models', async () => {
    const { backend, mod } = overFake();
    await backend.load();
    const e = await rejection(collect(backend.generate(ask())));
    expect(isEdgewiseError(e) && e.code).toBe('unsupported_model');
    expect((e as Error).message).toMatch(/Hermes-2-Pro-Llama-3-8B-q4f16_1-MLC.*ONNX or the remote endpoint/);
    expect(mod.requests()).toHaveLength(0);
  });

  it("web-llm's own refusal (a real UnsupportedModelIdError) maps to unsupported_model with the same advice", () => {
    let cause: unknown;
    try {
      webllm.postInitAndCheckFieldsChatCompletion({ messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function', function: { name: 'f' } }] }, 'SmolLM2-360M-Instruct-q4f16_1-MLC', webllm.ModelType.LLM);
    } catch (x) {
      cause = x;
    }
    expect((cause as Error).name).toBe('UnsupportedModelIdError');
    const e = toEdgewiseError(cause, 'generate', 'SmolLM2-360M-Instruct-q4f16_1-MLC');
    expect(e.code).toBe('unsupported_model');
    expect(e.message).toMatch(/function-calling models.*Hermes/);
  });
});

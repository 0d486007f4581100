/**
 * The backend contract, run against the web-llm adapter over a recording fake engine
 * (`FakeMLCEngine implements web-llm's MLCEngineInterface`): no GPU, no model. The real
 * engine runs the same suite in Chromium.
 */
import { describe, it } from 'vitest';
import { backendContract } from '../../contract/backend-contract.js';
import { FUNCTION_CALLING_MODEL_IDS } from '../../../src/backends/webllm/index.js';
import { overFake, request } from './harness.js';

const { prompt: _prompt, ...withoutPrompt } = request();

backendContract("webllm adapter over a recording fake MLCEngine (web-llm's MLCEngineInterface)", {
  describe,
  it: (name, body) => it(name, body),
  make: () => overFake({ chunks: ['a', 'b', 'c', 'd', 'e', 'f'], stepMs: 2 }).backend,
  longRequest: request(),
  // web-llm answers only after a user message; the adapter says so typed before the GPU.
  badRequest: { request: { ...withoutPrompt, messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }] }, code: 'invalid_message' },
  cleanup: (b) => b.unload(),
});

const trip = { type: 'object', properties: { city: { type: 'string', maxLength: 20 }, days: { type: 'integer', minimum: 1, maximum: 7 } }, required: ['city', 'days'] };
const weather = { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };

backendContract('webllm adapter over the recording fake: structured output and tools (a function-calling model)', {
  describe,
  it: (name, body) => it(name, body),
  // The fake answers the scripted chunks; a request with tools reads them as web-llm's raw call list.
  make: () => overFake({ chunks: ['[{"name": "get_weather", ', '"arguments": {"city": ', '"Oslo"}}]'], stepMs: 1 }, { id: FUNCTION_CALLING_MODEL_IDS[0] as string }).backend,
  toolRequest: { ...request(), prompt: 'Weather in Oslo?', tools: [weather], toolChoice: 'required' },
  cleanup: (b) => b.unload(),
});

backendContract('webllm adapter over the recording fake: a JSON answer validates against its schema', {
  describe,
  it: (name, body) => it(name, body),
  make: () => overFake({ chunks: ['{"city":', '"Oslo",', '"days":', '3}'], stepMs: 1 }).backend,
  structured: [{ ...request(), responseFormat: { type: 'json_schema', schema: trip } }, { ...request(), responseFormat: { type: 'json_object' } }],
  cleanup: (b) => b.unload(),
});

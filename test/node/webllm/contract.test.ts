/**
 * The backend contract, run against the web-llm adapter over a recording fake engine
 * (`FakeMLCEngine implements web-llm's MLCEngineInterface`): no GPU, no model. The real
 * engine runs the same suite in Chromium.
 */
import { describe, it } from 'vitest';
import { backendContract } from '../../contract/backend-contract.js';
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

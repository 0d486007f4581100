/** The backend contract, run against the recording fake (the real backends run it in Chromium). */
import { describe, it } from 'vitest';
import { backendContract } from '../contract/backend-contract.js';
import { createRecordingBackend } from '../fakes/recording-backend.js';

const longRequest = {
  prompt: 'Once upon a time', maxTokens: 32, temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1, seed: 1,
  stop: [], includeTokenIds: false, startedAt: performance.timeOrigin + performance.now(),
};

backendContract('recording fake', {
  describe,
  it: (name, body) => it(name, body),
  make: () => createRecordingBackend({ chunks: ['a', 'b', 'c', 'd', 'e', 'f'], rejectPrompt: 'refuse me' }),
  longRequest,
  badRequest: { request: { ...longRequest, prompt: 'refuse me' }, code: 'invalid_request' },
});

const weather = { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };

// The recording fake stands for an app's own backend here (`{ engine: 'custom', backend }`): this is the suite an app runs on its own.
backendContract('recording fake as a custom backend: tools, embeddings, warnings', {
  describe,
  it: (name, body) => it(name, body),
  make: () => createRecordingBackend({
    chunks: ['a', 'b', 'c', 'd'], embeds: true,
    capabilities: { sampling: ['temperature'], responseFormats: [], tools: true },
    toolCalls: [{ name: 'get_weather', arguments: '{"city":"Oslo"}' }],
    warnings: [{ code: 'degraded', setting: 'stop', message: 'the fake reads stop strings loosely' }],
  }),
  longRequest,
  toolRequest: { ...longRequest, tools: [weather], toolChoice: 'required' },
  embedRequest: { texts: ['the cat', 'a dog sat'], batchSize: 2, normalize: false },
});

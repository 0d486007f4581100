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

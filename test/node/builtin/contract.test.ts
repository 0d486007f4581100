/** The backend contract, run against the built-in backend over a recording fake of the Prompt API. */
import { describe, it } from 'vitest';
import { backendContract } from '../../contract/backend-contract.js';
import { request, setup } from './helpers.js';

const longRequest = request({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Tell me a story.' }] });
const chunks = ['Once', ' upon', ' a', ' time', ',', ' the', ' end', '.'];

for (const chunkMode of ['delta', 'cumulative'] as const) {
  backendContract(`builtin over a recording fake of the Prompt API (${chunkMode} chunks)`, {
    describe,
    it: (name, body) => it(name, body),
    make: () => setup({ chunks, chunkMode, stepMs: 2 }).backend,
    longRequest,
    // The API answers a user turn; a conversation that ends otherwise is refused up front.
    badRequest: { request: request({ messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello' }] }), code: 'invalid_request' },
  });
}

backendContract('builtin over a recording fake of the Prompt API that ignores abort signals', {
  describe,
  it: (name, body) => it(name, body),
  make: () => setup({ chunks, stepMs: 2, ignoreSignals: true }).backend,
  longRequest,
  // The contract's default bound (1 s). 50 ms could not tell prompt from late here (the
  // whole stream is 8 steps of 2 ms) and is tight for a shared 2-core runner;
  // failures.test.ts pins the promptness against a browser that ignores the signal.
});

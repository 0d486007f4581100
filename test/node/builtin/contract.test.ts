/** The backend contract, run against the built-in backend over a recording fake of the Prompt API. */
import { describe, it } from 'vitest';
import { backendContract } from '../../contract/backend-contract.js';
import { jsonChunks } from '../../fakes/fake-language-model.js';
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

const trip = { type: 'object', properties: { city: { type: 'string', maxLength: 20 }, days: { type: 'integer', minimum: 1, maximum: 7 } }, required: ['city', 'days'] };
const weather = { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };

backendContract('builtin over the recording fake: structured output (JSON Schema, JSON, regex) and emulated tools', {
  describe,
  it: (name, body) => it(name, body),
  // The fake answers by the constraint it is given, as a browser's model constrained by it would.
  make: () => setup({ respond: (_input, o) => {
    const c = o.responseConstraint;
    if (c instanceof RegExp) return ['2026-', '12-07'];
    if (JSON.stringify(c).includes('get_weather')) return jsonChunks({ name: 'get_weather', arguments: { city: 'Oslo' } });
    return JSON.stringify(c).includes('days') ? jsonChunks({ city: 'Oslo', days: 3 }) : jsonChunks({ any: 'thing' });
  } }).backend,
  structured: [
    request({ prompt: 'Plan a trip', responseFormat: { type: 'json_schema', schema: trip } }),
    request({ prompt: 'Any object', responseFormat: { type: 'json_object' } }),
    request({ prompt: 'A date', responseFormat: { type: 'regex', pattern: '\\d{4}-\\d{2}-\\d{2}' } }),
  ],
  toolRequest: request({ prompt: 'Weather in Oslo?', tools: [weather], toolChoice: 'required' }),
});

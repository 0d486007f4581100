/**
 * The backend contract (test/contract/) in Chromium against the real backends: the
 * page-side proxy of the ONNX worker on the generated fixture (generation and the tiny
 * BERT embedder), and the remote backend against the OpenAI-compatible test server, with
 * structured output and tool calls. The same suite runs in Node on the recording fakes.
 */
import type { BackendRequest, BackendV3 } from '../../../src/backends/backend.js';
import type { ModelRole } from '../../../src/backends/kind.js';
import { onnxPageKind } from '../../../src/backends/onnx/page-kind.js';
import { createRemoteBackend } from '../../../src/backends/remote/index.js';
import { WorkerHandle } from '../../../src/worker/handle.js';
import { createWorkerBackend } from '../../../src/worker/proxy.js';
import { backendContract } from '../../contract/backend-contract.js';
import { BERT_URL } from '../embeddings/helpers.js';
import { FIXTURE_URL, REMOTE_SERVER } from '../helpers.js';
import { remoteFaults, remoteReset } from './remote-helpers.js';

const longRequest: BackendRequest = {
  prompt: 'Once upon a time', maxTokens: 40, temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1, seed: 1,
  stop: [], includeTokenIds: false, startedAt: performance.timeOrigin + performance.now(),
};
const handles = new Map<BackendV3, WorkerHandle>();
const mochaIt = (name: string, body: () => Promise<void>): void => { it(name, body); };

function workerBackend(spec: { id: string; url: string; dtype: 'q4' | 'fp32' }, role: ModelRole): BackendV3 {
  const assetsUrl = new URL('/dist/', location.href).href;
  const handle = new WorkerHandle(assetsUrl);
  const config = { cache: false, eviction: 'none' as const, numThreads: 1, assetsUrl };
  const model = onnxPageKind.resolve(spec, role);
  const b = createWorkerBackend(handle, { model, role, config, facts: onnxPageKind.facts(model, role, config) });
  handles.set(b, handle);
  return b;
}

const cleanup = async (b: BackendV3): Promise<void> => {
  await handles.get(b)?.dispose();
  handles.delete(b);
};

const schema = { type: 'object', properties: { city: { type: 'string', maxLength: 20 }, days: { type: 'integer', minimum: 1, maximum: 7 } }, required: ['city', 'days'], additionalProperties: false };
const weather = { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string', maxLength: 20 } }, required: ['city'] } };

backendContract('ONNX in the worker (page-side proxy), generated fixture', {
  describe,
  it: mochaIt,
  make: () => workerBackend({ id: 'tiny-llama', url: FIXTURE_URL, dtype: 'q4' }, 'generate'),
  longRequest,
  badRequest: { request: { ...longRequest, prompt: 'lorem ipsum dolor sit amet '.repeat(200) }, code: 'context_overflow' },
  // Random weights: only the grammar makes these valid.
  structured: [
    { ...longRequest, maxTokens: 120, responseFormat: { type: 'json_schema', schema, name: 'trip' } },
    { ...longRequest, maxTokens: 120, responseFormat: { type: 'regex', pattern: '[a-z]{3,8}-[0-9]{2}' } },
  ],
  toolRequest: { ...longRequest, maxTokens: 120, prompt: 'Weather in Oslo?', tools: [weather], toolChoice: 'required' },
  cleanup,
});

backendContract('ONNX embedder in the worker (page-side proxy), generated tiny BERT', {
  describe,
  it: mochaIt,
  make: () => workerBackend({ id: 'tiny-bert', url: BERT_URL, dtype: 'fp32' }, 'embed'),
  embedRequest: { texts: ['the cat sat on the mat', 'a kitten lay on the rug', 'stock prices fell'], batchSize: 2, normalize: true },
  cleanup,
});

backendContract('remote (OpenAI-compatible test server)', {
  describe,
  it: mochaIt,
  make: async () => {
    await remoteReset();
    return createRemoteBackend({ baseURL: REMOTE_SERVER, model: 'test-model' });
  },
  // The server answers the next chat request with this call, streamed in seeded random cuts.
  beforeTools: () => remoteFaults([{ match: '/chat/completions', times: 1, toolCalls: [{ name: 'get_weather', arguments: '{"city":"Oslo"}' }], randomChunks: 7 }]),
  longRequest: { ...longRequest, prompt: 'Once upon a time there was a long story to tell' },
  structured: [
    { ...longRequest, prompt: 'Plan a trip', responseFormat: { type: 'json_schema', schema, name: 'trip' } },
    { ...longRequest, prompt: 'Any JSON object', responseFormat: { type: 'json_object' } },
  ],
  toolRequest: { ...longRequest, prompt: 'Weather in Oslo?', tools: [weather], toolChoice: 'required' },
});

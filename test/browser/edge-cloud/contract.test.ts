/**
 * The backend contract (test/contract/) in Chromium against the real backends: the
 * page-side adapter of the ONNX worker on the generated fixture, and the remote backend
 * against the OpenAI-compatible test server. The same suite runs in Node on the fake.
 */
import { createLocalWorkerBackend } from '../../../src/backends/local-worker.js';
import { createRemoteBackend } from '../../../src/backends/remote/index.js';
import { resolveModel } from '../../../src/model/spec.js';
import { backendContract } from '../../contract/backend-contract.js';
import { FIXTURE_URL, REMOTE_SERVER } from '../helpers.js';
import { remoteReset } from './remote-helpers.js';

const longRequest = {
  prompt: 'Once upon a time', maxTokens: 40, temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1, seed: 1,
  stop: [], includeTokenIds: false, startedAt: performance.timeOrigin + performance.now(),
};
const mochaIt = (name: string, body: () => Promise<void>): void => { it(name, body); };

backendContract('ONNX in the worker (page-side adapter), generated fixture', {
  describe,
  it: mochaIt,
  make: () => createLocalWorkerBackend(resolveModel({ id: 'tiny-llama', url: FIXTURE_URL, dtype: 'q4' }), {
    cache: false, eviction: 'none', numThreads: 1, assetsUrl: new URL('/dist/', location.href).href,
  }),
  longRequest,
  badRequest: { request: { ...longRequest, prompt: 'lorem ipsum dolor sit amet '.repeat(200) }, code: 'context_overflow' },
  cleanup: (b) => (b as ReturnType<typeof createLocalWorkerBackend>).dispose(),
});

backendContract('remote (OpenAI-compatible test server)', {
  describe,
  it: mochaIt,
  make: async () => {
    await remoteReset();
    return createRemoteBackend({ baseURL: REMOTE_SERVER, model: 'test-model' });
  },
  longRequest: { ...longRequest, prompt: 'Once upon a time there was a long story to tell' },
});

/**
 * The backend contract (test/contract/) in Chromium against the real backends: the
 * page-side adapter of the ONNX worker on the generated fixture, and the remote backend
 * against the OpenAI-compatible test server. The same suite runs in Node on the fake.
 */
import type { Backend } from '../../../src/backends/backend.js';
import { createLocalWorkerBackend } from '../../../src/backends/local-worker.js';
import { WorkerHandle } from '../../../src/worker/handle.js';
import { createRemoteBackend } from '../../../src/backends/remote/index.js';
import { resolveModel } from '../../../src/model/spec.js';
import { backendContract } from '../../contract/backend-contract.js';
import { FIXTURE_URL, REMOTE_SERVER } from '../helpers.js';
import { remoteReset } from './remote-helpers.js';

const longRequest = {
  prompt: 'Once upon a time', maxTokens: 40, temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1, seed: 1,
  stop: [], includeTokenIds: false, startedAt: performance.timeOrigin + performance.now(),
};
const handles = new Map<Backend, WorkerHandle>();
const mochaIt = (name: string, body: () => Promise<void>): void => { it(name, body); };

backendContract('ONNX in the worker (page-side adapter), generated fixture', {
  describe,
  it: mochaIt,
  make: () => {
    const assetsUrl = new URL('/dist/', location.href).href;
    const handle = new WorkerHandle(assetsUrl);
    handles.set(createLocalWorkerBackend(handle, resolveModel({ id: 'tiny-llama', url: FIXTURE_URL, dtype: 'q4' }), {
      cache: false, eviction: 'none', numThreads: 1, assetsUrl,
    }), handle);
    return [...handles.keys()].at(-1) as Backend;
  },
  longRequest,
  badRequest: { request: { ...longRequest, prompt: 'lorem ipsum dolor sit amet '.repeat(200) }, code: 'context_overflow' },
  cleanup: async (b) => {
    await handles.get(b)?.dispose();
    handles.delete(b);
  },
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

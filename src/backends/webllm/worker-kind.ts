/** The web-llm kind inside the worker: MLC models through `@mlc-ai/web-llm`, which keeps its own store. */
import type { ResolvedWorkerModel } from '../../model/spec.js';
import type { WebLLMModelSpec } from '../../config-types.js';
import type { WorkerKind } from '../kind.js';
import { createWebLLMBackend, createWebLLMEmbedder, webllmCache } from './index.js';

function specOf(model: ResolvedWorkerModel): WebLLMModelSpec {
  if (!('spec' in model)) throw new TypeError(`the webllm kind got a ${model.engine} model`);
  return model.spec;
}

export const webllmWorkerKind: WorkerKind = {
  create: (model, _config, role) => (role === 'embed' ? createWebLLMEmbedder(specOf(model)) : createWebLLMBackend(specOf(model))),
  cache: {
    has: (model) => webllmCache(specOf(model), 'has'),
    delete: (model) => webllmCache(specOf(model), 'delete'),
  },
};

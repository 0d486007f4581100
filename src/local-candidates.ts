/**
 * Turns the app's `model` (one spec, or an ordered list of them) into the engine's local
 * candidates: ONNX and web-llm models run in the shared worker, the built-in model on the
 * page. The dispatcher tries them in order; the first the device can run serves.
 */
import { createLocalBuiltin } from './backends/local-builtin.js';
import { CATALOG } from './catalog.js';
import { createLocalWorkerBackend, type LocalWorkerBackend } from './backends/local-worker.js';
import type { OnnxConfig } from './backends/onnx/backend.js';
import type { LocalSide } from './dispatch.js';
import { EdgewiseError } from './errors.js';
import { resolveModel, resolveWebLLM, type ResolvedWorkerModel } from './model/spec.js';
import type { LocalModelSpec } from './config-types.js';
import type { WorkerHandle } from './worker/handle.js';

export interface LocalCandidates {
  locals: LocalSide[];
  /** The worker's models (ONNX, web-llm), for the cache API and `engine.model`. */
  workerModels: ResolvedWorkerModel[];
  workerBackends: LocalWorkerBackend[];
}

export function specsOf(model: LocalModelSpec | readonly LocalModelSpec[] | undefined): LocalModelSpec[] {
  if (model === undefined) return [];
  const list = Array.isArray(model) ? [...(model as readonly LocalModelSpec[])] : [model as LocalModelSpec];
  if (list.length === 0) throw new EdgewiseError('invalid_model_spec', '`model` is an empty list: pass a model spec, or a list of them in order of preference.');
  return list;
}

export function buildLocals(specs: readonly LocalModelSpec[], handle: WorkerHandle | undefined, config: OnnxConfig): LocalCandidates {
  const out: LocalCandidates = { locals: [], workerModels: [], workerBackends: [] };
  for (const spec of specs) {
    if (typeof spec !== 'object' || spec === null) throw new EdgewiseError('invalid_model_spec', 'Each model must be a spec object such as { id, url } or { engine: "builtin" }.');
    if (spec.engine === 'builtin') {
      out.locals.push(createLocalBuiltin(spec));
      continue;
    }
    if (spec.engine !== undefined && spec.engine !== 'onnx' && spec.engine !== 'webllm') {
      throw new EdgewiseError('invalid_model_spec', `model.engine is ${JSON.stringify(spec.engine)}: use 'onnx' (the default), 'webllm' or 'builtin'.`);
    }
    const resolved = spec.engine === 'webllm' ? resolveWebLLM(spec) : resolveModel(spec);
    const backend = createLocalWorkerBackend(handle as WorkerHandle, resolved, config);
    out.workerModels.push(resolved);
    out.workerBackends.push(backend);
    const ranOnHint = resolved.engine === 'webllm' ? 'webllm' : config.device === 'webgpu' ? 'webgpu' : 'wasm';
    // A catalog model's context window lets routing judge a long prompt before the model loads.
    const contextHint = resolved.engine === 'webllm' ? undefined : CATALOG.find((e) => e.id === resolved.id)?.contextLength;
    out.locals.push(Object.assign(backend, { ranOnHint, contextHint }) as LocalSide);
  }
  return out;
}

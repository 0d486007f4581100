/**
 * web-llm's own cache (IndexedDB databases `webllm/model`, `webllm/config`,
 * `webllm/wasm`), asked through its `hasModelInCache` / `deleteModelAllInfoInCache` with
 * the same id and `AppConfig` the load uses, so `engine.cache` sees exactly what a load
 * stored. No engine is made and nothing is loaded onto the GPU.
 */
import type { WebLLMModelSpec } from '../../config-types.js';
import { toEdgewiseError } from './failure.js';
import { resolveModel } from './model.js';
import { importWebLLM, memoModule, type WebLLMModule } from './module.js';

export type WebLLMCacheOp = 'has' | 'delete';

/** Runs one cache call on an already imported module. */
export async function cacheCall(mod: WebLLMModule, spec: WebLLMModelSpec, op: WebLLMCacheOp): Promise<boolean> {
  const model = resolveModel(spec, mod.prebuiltAppConfig);
  try {
    const had = await mod.hasModelInCache(model.modelId, model.appConfig);
    // Always delete: a partial download leaves shards that hasModelInCache does not count.
    if (op === 'delete') await mod.deleteModelAllInfoInCache(model.modelId, model.appConfig);
    return had;
  } catch (e) {
    throw toEdgewiseError(e, 'cache', model.modelId);
  }
}

/**
 * Whether web-llm's cache holds the model's weights (`'has'`), or deletes its weights,
 * library and config (`'delete'`, true when the weights were there). For the worker
 * host's cache calls; typed errors (`cache_error`, `invalid_model_spec`).
 * @example
 * const stored = await webllmCache({ engine: 'webllm', id: 'SmolLM2-360M-Instruct-q4f16_1-MLC' }, 'has');
 */
export async function webllmCache(spec: WebLLMModelSpec, op: WebLLMCacheOp, loadModule: () => Promise<WebLLMModule> = importWebLLM): Promise<boolean> {
  return cacheCall(await memoModule(loadModule)(), spec, op);
}

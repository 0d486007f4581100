/**
 * From a `WebLLMModelSpec` to what web-llm wants: a model id and an `AppConfig` that
 * lists that one model and keeps its files in IndexedDB. The same `AppConfig` serves the
 * load and the cache calls, so `engine.cache` sees exactly what the load stored.
 */
import type { AppConfig, ChatOptions, ModelRecord } from '@mlc-ai/web-llm';
import { EdgewiseError } from '../../errors.js';
import type { WebLLMModelRecord, WebLLMModelSpec } from '../../config-types.js';

export interface ResolvedWebLLMModel {
  modelId: string;
  record: ModelRecord;
  appConfig: AppConfig;
}

/**
 * How a web-llm model appears in `engine.cache`: web-llm keeps its own store (IndexedDB
 * databases `webllm/model`, `webllm/config`, `webllm/wasm`), apart from the ONNX cache.
 * @example webllmCacheKey({ engine: 'webllm', id: 'SmolLM2-360M-Instruct-q4f16_1-MLC' }) // 'webllm:SmolLM2-360M-Instruct-q4f16_1-MLC'
 */
export function webllmCacheKey(spec: Pick<WebLLMModelSpec, 'id'>): string {
  return `webllm:${spec.id}`;
}

/** Checks what can be checked without web-llm loaded: a custom record must name the spec's id. */
export function checkSpec(spec: WebLLMModelSpec): void {
  if (typeof spec.id !== 'string' || spec.id.length === 0) {
    throw new EdgewiseError('invalid_model_spec', 'A webllm model spec needs an `id`: a web-llm prebuilt model id, or `record.model_id` of a custom record.');
  }
  if (spec.record && spec.record.model_id !== spec.id) {
    throw new EdgewiseError('invalid_model_spec', `The webllm spec's id '${spec.id}' differs from its record's model_id '${spec.record.model_id}'; they must be the same.`, { details: { id: spec.id, recordId: spec.record.model_id } });
  }
}

function fromRecord(r: WebLLMModelRecord): ModelRecord {
  const out: ModelRecord = { model: r.model, model_id: r.model_id, model_lib: r.model_lib };
  if (r.vram_required_MB !== undefined) out.vram_required_MB = r.vram_required_MB;
  if (r.low_resource_required !== undefined) out.low_resource_required = r.low_resource_required;
  if (r.required_features !== undefined) out.required_features = [...r.required_features];
  // Our public type keeps web-llm's ChatOptions out of the SDK's declarations; web-llm reads these as given.
  if (r.overrides !== undefined) out.overrides = { ...r.overrides } as ChatOptions;
  return out;
}

/** The spec's record (custom first, else web-llm's prebuilt list), or a typed error naming a few valid ids. */
export function resolveModel(spec: WebLLMModelSpec, prebuilt: AppConfig): ResolvedWebLLMModel {
  checkSpec(spec);
  const record = spec.record ? fromRecord(spec.record) : prebuilt.model_list.find((m) => m.model_id === spec.id);
  if (!record) {
    const ids = prebuilt.model_list.map((m) => m.model_id);
    const small = ids.filter((id) => /^(SmolLM2-360M|Qwen2\.5-0\.5B|Llama-3\.2-1B)-Instruct-q4f(16|32)_1-MLC$/.test(id));
    const examples = (small.length > 0 ? small : ids).slice(0, 4);
    throw new EdgewiseError(
      'invalid_model_spec',
      `'${spec.id}' is not in web-llm's prebuilt model list (${prebuilt.model_list.length} models, e.g. ${examples.map((id) => `'${id}'`).join(', ')}). For another MLC model, pass \`record\` with its weights URL and model library.`,
      { details: { id: spec.id, examples } },
    );
  }
  // IndexedDB rather than web-llm's default Cache API: the SDK's ONNX weights live there
  // too, so one storage estimate and one eviction story cover both.
  return { modelId: record.model_id, record, appConfig: { model_list: [record], cacheBackend: 'indexeddb' } };
}

/** Whether the model needs the adapter's `shader-f16` feature, known before web-llm loads. */
export function needsShaderF16(spec: WebLLMModelSpec): boolean {
  if (spec.record?.required_features?.includes('shader-f16')) return true;
  // MLC names say their storage type: `q4f16_1` and `q0f16` run fp16 shaders, `q4f32_1` does
  // not. The name is the better witness: 56 of web-llm 0.2.86's prebuilt f16 records omit
  // `required_features`, and on an adapter without the feature they fail at shader compile.
  return /-q\d+f16(_\d+)?(-|$)/i.test(spec.id);
}

/** The context window when the record states it (prebuilt records often override it). */
export function contextWindow(record: ModelRecord): number | undefined {
  const n = record.overrides?.context_window_size;
  return typeof n === 'number' && n > 0 ? n : undefined;
}

/**
 * A web-llm embedding model: its record (prebuilt, or the spec's own), checked to be an
 * embedding model, and what its names say that web-llm does not tell before it runs: the
 * largest batch its model library was compiled for and its context window.
 */
import type { AppConfig, ModelType } from '@mlc-ai/web-llm';
import { EdgewiseError } from '../../errors.js';
import type { WebLLMModelSpec } from '../../config-types.js';
import { checkSpec, contextWindow, resolveModel, type ResolvedWebLLMModel } from './model.js';

/** web-llm's `ModelType.embedding`, written out: the enum is a run-time value, and only `module.ts` may load web-llm. */
export const EMBEDDING_MODEL_TYPE: ModelType.embedding = 1;

/**
 * The context window when neither the record nor the library name states one: every
 * embedding model web-llm 0.2.86 ships is a BERT-style snowflake-arctic-embed, whose
 * position table has 512 rows (their libraries are all `ctx512`).
 */
export const DEFAULT_EMBEDDING_CONTEXT = 512;

export interface ResolvedEmbeddingModel extends ResolvedWebLLMModel {
  /** Texts per forward pass the model library was compiled for, when its id or library name says (`-b32`, `_batch32`). */
  maxBatch: number | undefined;
  /** Tokens per text. */
  maxLength: number;
}

const positive = (m: RegExpExecArray | null): number | undefined => {
  const n = m ? Number(m[1]) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
};

function embeddingIds(prebuilt: AppConfig): string[] {
  return prebuilt.model_list.filter((m) => m.model_type === EMBEDDING_MODEL_TYPE).map((m) => m.model_id);
}

/**
 * The spec as a web-llm embedding model. A custom `record` is taken to be one (the public
 * record type has no `model_type`; web-llm needs it set or refuses `embeddings.create`).
 */
export function resolveEmbeddingModel(spec: WebLLMModelSpec, prebuilt: AppConfig): ResolvedEmbeddingModel {
  checkSpec(spec);
  const ids = embeddingIds(prebuilt);
  const examples = ids.slice(0, 4).map((id) => `'${id}'`).join(', ');
  if (!spec.record) {
    const found = prebuilt.model_list.find((m) => m.model_id === spec.id);
    if (!found) {
      throw new EdgewiseError('invalid_model_spec', `'${spec.id}' is not in web-llm's prebuilt model list; its embedding models are ${examples}. For another MLC embedding model, pass \`record\` with its weights URL and model library.`, { details: { id: spec.id, examples: ids } });
    }
    if (found.model_type !== EMBEDDING_MODEL_TYPE) {
      throw new EdgewiseError('unsupported_model', `'${spec.id}' is a web-llm generation model, not an embedding model; pass an embedding model such as ${examples}.`, { details: { id: spec.id, examples: ids } });
    }
  }
  const resolved = resolveModel(spec, prebuilt);
  const record = { ...resolved.record, model_type: EMBEDDING_MODEL_TYPE };
  return {
    modelId: resolved.modelId,
    record,
    appConfig: { ...resolved.appConfig, model_list: [record] },
    maxBatch: positive(/-b(\d+)$/i.exec(record.model_id)) ?? positive(/[-_]batch(\d+)/i.exec(record.model_lib)),
    maxLength: contextWindow(record) ?? positive(/[-_]ctx(\d+)/i.exec(record.model_lib)) ?? DEFAULT_EMBEDDING_CONTEXT,
  };
}

/** Reads what the decoder needs from `config.json` and `generation_config.json`. */
import { EdgewiseError } from '../../errors.js';

type Json = Record<string, unknown>;

/**
 * Architectures whose Optimum/transformers.js exports share the KV-cache I/O this
 * backend drives (`past_key_values.N.key/value` → `present.N.key/value`).
 */
const SUPPORTED_TYPES = new Set(['llama', 'mistral', 'qwen2', 'qwen3', 'phi3', 'granite', 'olmo2', 'smollm3']);

export interface DecoderConfig {
  modelType: string;
  numLayers: number;
  numKvHeads: number;
  headDim: number;
  vocabSize: number;
  contextLength: number;
  bosId: number | undefined;
  eosIds: ReadonlySet<number>;
  kvDtype: 'float32' | 'float16';
}

function int(config: Json, key: string): number | undefined {
  const v = config[key];
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
}

function ids(v: unknown): number[] {
  if (typeof v === 'number') return [v];
  if (Array.isArray(v)) return v.filter((x): x is number => typeof x === 'number');
  return [];
}

export function readDecoderConfig(config: Json, generation: Json | undefined, fp16Weights: boolean): DecoderConfig {
  const modelType = typeof config['model_type'] === 'string' ? config['model_type'] : '';
  if (!SUPPORTED_TYPES.has(modelType)) {
    const what = modelType ? `model_type "${modelType}"` : 'a config.json without model_type';
    throw new EdgewiseError('unsupported_model', `This model has ${what}, which the ONNX backend does not support yet. Supported: ${[...SUPPORTED_TYPES].join(', ')} in the Optimum / transformers.js ONNX layout.`);
  }
  const heads = int(config, 'num_attention_heads');
  const hidden = int(config, 'hidden_size');
  const numLayers = int(config, 'num_hidden_layers');
  const vocabSize = int(config, 'vocab_size');
  if (!heads || !hidden || !numLayers || !vocabSize) {
    throw new EdgewiseError('unsupported_model', 'config.json lacks num_attention_heads, hidden_size, num_hidden_layers or vocab_size; it is not a complete decoder config.');
  }
  const tjs = (config['transformers.js_config'] ?? {}) as Json;
  const kvDtype = tjs['kv_cache_dtype'] === 'float16' || tjs['kv_cache_dtype'] === 'float32' ? tjs['kv_cache_dtype'] : fp16Weights ? 'float16' : 'float32';
  const eos = new Set([...ids(generation?.['eos_token_id']), ...ids(config['eos_token_id'])]);
  const bos = ids(generation?.['bos_token_id'] ?? config['bos_token_id'])[0];
  return {
    modelType,
    numLayers,
    numKvHeads: int(config, 'num_key_value_heads') ?? heads,
    headDim: int(config, 'head_dim') ?? hidden / heads,
    vocabSize,
    contextLength: int(config, 'max_position_embeddings') ?? int(config, 'n_positions') ?? 2048,
    bosId: bos,
    eosIds: eos,
    kvDtype,
  };
}

/** External-data files named by transformers.js's `use_external_data_format` convention. */
export function externalDataFiles(config: Json, onnxFile: string): string[] {
  const tjs = (config['transformers.js_config'] ?? {}) as Json;
  const flag = tjs['use_external_data_format'];
  const file = onnxFile.slice(onnxFile.lastIndexOf('/') + 1);
  const setting = typeof flag === 'object' && flag !== null ? (flag as Json)[file] : flag;
  const count = setting === true ? 1 : typeof setting === 'number' ? setting : 0;
  return Array.from({ length: count }, (_, i) => `${onnxFile}_data${i === 0 ? '' : `_${i}`}`);
}

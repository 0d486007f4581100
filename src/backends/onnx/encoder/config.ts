/**
 * Reads what the encoder needs from `config.json`, and refuses generation models from
 * that file alone, so a wrong choice fails before any weights are downloaded.
 */
import { EdgewiseError } from '../../../errors.js';

type Json = Record<string, unknown>;

/**
 * `model_type`s of causal language models. They can be fed text, but their hidden states
 * are not trained as sentence vectors, and their graphs want a KV cache this encoder does
 * not drive; refusing them early beats returning plausible-looking garbage.
 */
const CAUSAL_TYPES: ReadonlySet<string> = new Set([
  'llama', 'mistral', 'mixtral', 'qwen2', 'qwen2_moe', 'qwen3', 'qwen3_moe', 'phi', 'phi3', 'phimoe',
  'gpt2', 'gpt_neo', 'gpt_neox', 'gptj', 'gpt_bigcode', 'codegen', 'opt', 'bloom', 'falcon', 'mpt',
  'gemma', 'gemma2', 'gemma3', 'gemma3_text', 'granite', 'granitemoe', 'olmo', 'olmo2', 'olmoe', 'smollm3',
  'stablelm', 'starcoder2', 'cohere', 'cohere2', 'deepseek_v2', 'deepseek_v3', 'internlm2', 'exaone',
  'helium', 'glm', 'mobilellm', 'rwkv', 'mamba', 'mamba2', 'jamba', 'xglm', 'ctrl', 'transfo-xl',
]);

/**
 * Families whose position ids start after the padding index (RoBERTa's `padding_idx + 1`), so
 * `max_position_embeddings` (514) overstates what a text may hold (512).
 */
const OFFSET_POSITIONS: ReadonlySet<string> = new Set(['roberta', 'xlm-roberta', 'camembert', 'mpnet', 'data2vec-text']);

/** What the encoder takes from `config.json`. */
export interface EncoderConfig {
  /** `model_type`, or `''` when the config does not say. */
  modelType: string;
  /** `hidden_size` (`dim` for DistilBERT), when present. */
  hiddenSize: number | undefined;
  /** Positions a text may fill, special tokens included; undefined when the config does not say. */
  maxPositions: number | undefined;
  padTokenId: number | undefined;
}

function int(config: Json, key: string): number | undefined {
  const v = config[key];
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined;
}

function object(v: unknown): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}

/** Why this config describes a generation model, or undefined when nothing says so. */
function decoderEvidence(config: Json, modelType: string): string | undefined {
  if (config['is_decoder'] === true) return 'is_decoder is true';
  if (CAUSAL_TYPES.has(modelType)) return `model_type "${modelType}" is a causal language model`;
  const architectures = Array.isArray(config['architectures']) ? config['architectures'] : [];
  const causal = architectures.find((a): a is string => typeof a === 'string' && /(ForCausalLM|LMHeadModel)$/.test(a));
  if (causal !== undefined) return `architecture ${causal}`;
  // onnxruntime-genai folders ship a `{ model: { type, decoder } }` config instead of transformers' one.
  const genai = object(config['model']);
  if (genai && (object(genai['decoder']) || (typeof genai['type'] === 'string' && CAUSAL_TYPES.has(genai['type'])))) {
    return `an onnxruntime-genai decoder config (model.type "${String(genai['type'])}")`;
  }
  return undefined;
}

/**
 * Checks `config.json` before any weights download and reads the encoder's facts from it.
 * Refuses generation models (any config with `is_decoder`, a causal-LM `model_type` or
 * architecture, or an onnxruntime-genai decoder config) with `unsupported_model`. Accepts
 * BERT, RoBERTa, XLM-R, DistilBERT, MPNet, nomic_bert, ModernBERT and BERT-style E5/BGE
 * configs, and unknown types whose config says nothing decoder-like (the graph is checked
 * again when the session opens).
 *
 * @example
 * const cfg = readEncoderConfig(await (await fetch(`${base}/config.json`)).json());
 * cfg.maxPositions; // 512 for bert-base
 */
export function readEncoderConfig(config: Record<string, unknown>): EncoderConfig {
  const modelType = typeof config['model_type'] === 'string' ? config['model_type'] : '';
  const evidence = decoderEvidence(config, modelType);
  if (evidence !== undefined) {
    throw new EdgewiseError(
      'unsupported_model',
      `This is a generation model (${evidence}): a generation model cannot embed. Pass an encoder embedding model instead ` +
        '(a sentence-transformers ONNX export such as all-MiniLM-L6-v2, bge-small-en-v1.5, e5-small-v2 or nomic-embed-text, with onnx/model.onnx), and keep this model for generate().',
      { details: { modelType, evidence } },
    );
  }
  const positions = int(config, 'max_position_embeddings') ?? int(config, 'n_positions');
  const padTokenId = int(config, 'pad_token_id');
  const offset = OFFSET_POSITIONS.has(modelType) ? (padTokenId ?? 1) + 1 : 0;
  return {
    modelType,
    hiddenSize: int(config, 'hidden_size') ?? int(config, 'dim') ?? int(config, 'd_model') ?? int(config, 'n_embd'),
    maxPositions: positions !== undefined && positions > offset ? positions - offset : undefined,
    padTokenId,
  };
}

/** Tokenizers write `model_max_length` as 1e30 when unset (transformers' VERY_LARGE_INTEGER). */
const UNSET_MAX_LENGTH = 1e9;
/** BERT's length, for the rare folder that states neither limit. */
const DEFAULT_MAX_LENGTH = 512;

/** Tokens per text, special tokens included: the smaller of what the tokenizer and the model allow. */
export function maxLengthOf(config: EncoderConfig, tokenizerConfig: Json): number {
  const v = tokenizerConfig['model_max_length'];
  const tokenizerMax = typeof v === 'number' && v > 0 && v < UNSET_MAX_LENGTH ? Math.floor(v) : undefined;
  const limits = [tokenizerMax, config.maxPositions].filter((x): x is number => x !== undefined);
  return limits.length > 0 ? Math.min(...limits) : DEFAULT_MAX_LENGTH;
}

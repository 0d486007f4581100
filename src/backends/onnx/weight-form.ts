/**
 * Which form a decoder's weights take on the WASM execution provider. onnxruntime-web's
 * 4-bit `MatMulNBits` kernel (what hub files ship for browsers) and its weight-only int8
 * path decode several times slower than int8 weights with dynamically quantized
 * activations, so on WASM such files are rewritten once per model and device.
 */
import type { WasmWeights, WeightForm } from '../../types.js';
import type { Dtype } from '../../config-types.js';

export interface WeightPlan {
  form: WeightForm;
  reason: string;
}

type Json = Record<string, unknown>;

/** Below this many float32 bytes a model is small enough to run exactly, in float32. */
const SMALL_FP32_BYTES = 64 * 1024 * 1024;

const n = (c: Json, k: string): number | undefined => (typeof c[k] === 'number' ? (c[k] as number) : undefined);

/** Weights of a Llama-style decoder, from its config; undefined when the config lacks the sizes. */
export function estimateParams(c: Json): number | undefined {
  const h = n(c, 'hidden_size');
  const layers = n(c, 'num_hidden_layers');
  const inter = n(c, 'intermediate_size');
  const vocab = n(c, 'vocab_size');
  const heads = n(c, 'num_attention_heads');
  if (!h || !layers || !inter || !vocab || !heads) return undefined;
  const headDim = n(c, 'head_dim') ?? h / heads;
  const kv = (n(c, 'num_key_value_heads') ?? heads) * headDim;
  const perLayer = 2 * h * heads * headDim + 2 * h * kv + 3 * h * inter;
  return layers * perLayer + vocab * h * (c['tie_word_embeddings'] === false ? 2 : 1);
}

export function planWeights(pref: WasmWeights, dtype: Dtype, config: Json, deviceMemoryGb: number | undefined): WeightPlan {
  if (pref === 'source') return { form: 'source', reason: "wasmWeights 'source' was asked for: the file runs as it is" };
  if (dtype !== 'q4' && dtype !== 'int8' && dtype !== 'q8') return { form: 'source', reason: `the ${dtype} file is not a weight-only quantized one: it runs as it is` };
  if (pref === 'int8' || pref === 'fp32') return { form: pref, reason: `wasmWeights '${pref}' was asked for` };
  const params = estimateParams(config);
  const fp32Bytes = params === undefined ? undefined : params * 4;
  if (fp32Bytes !== undefined && fp32Bytes <= SMALL_FP32_BYTES && (deviceMemoryGb === undefined || deviceMemoryGb >= 4)) {
    return { form: 'fp32', reason: `a small model (${mb(fp32Bytes)} in float32): float32 weights compute exactly what the ${dtype} file does, and fit easily` };
  }
  return { form: 'int8', reason: `int8 weights with dynamic int8 activations decode several times faster on WASM than the ${dtype} file's kernel, in ${params ? mb(params) : 'about a byte per weight'}` };
}

const mb = (bytes: number): string => `${Math.round(bytes / 1e6)} MB`;

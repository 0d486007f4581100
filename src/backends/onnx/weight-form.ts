/**
 * Which form a decoder's weights take on the WASM execution provider. onnxruntime-web's
 * 4-bit `MatMulNBits` kernel (what hub files ship for browsers) and its weight-only int8
 * path decode several times slower than int8 weights with dynamically quantized
 * activations, so on WASM such files are rewritten once per model and device.
 */
import type { WasmWeights, WeightForm } from '../../types.js';
import type { Dtype } from '../../config-types.js';

/** The forms `'auto'` chooses between by timing them (`form-choice.ts`). */
export type MeasuredForm = 'int8' | 'fp32';

export interface WeightPlan {
  form: WeightForm;
  reason: string;
  /**
   * Set when `'auto'` has both forms within reach and a cache to remember the result in:
   * they are timed on the device and the faster one runs (`form` is what runs if timing
   * cannot happen).
   */
  candidates?: readonly MeasuredForm[];
}

type Json = Record<string, unknown>;

const GiB = 1024 ** 3;
/** The wasm32 heap's ceiling: 4 GiB of addressable WebAssembly memory, which never shrinks. */
const WASM32_HEAP = 4 * GiB;
/**
 * Worker memory at the peak of a load of the fp32 form, per float32 weight byte: measured
 * 2,051 MB for SmolLM2-135M's 538 MB (docs/benchmarks.md, "Generation on the CPU path"): the source,
 * the rewrite and the runtime's copy are alive at once.
 */
const FP32_LOAD_PEAK = 4;
/** With no cache to remember a measurement in, `'auto'` keeps the size rule: float32 below this. */
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

/**
 * The most float32 weight bytes the fp32 form may have to be a candidate: its load peak
 * must fit in half the wasm32 heap (the rest holds the KV cache, activations and maybe a
 * second model) and in a quarter of the device's memory (`navigator.deviceMemory`, which
 * Chromium caps at 8; unknown elsewhere, where the heap alone bounds it). 512 MiB on an
 * 8 GB device: SmolLM2-135M (538 MB) stays int8-only, as it should at 4× the memory.
 */
export function fp32Budget(deviceMemoryGiB: number | undefined): number {
  const heap = WASM32_HEAP / 2;
  const device = deviceMemoryGiB === undefined ? heap : (deviceMemoryGiB * GiB) / 4;
  return Math.min(heap, device) / FP32_LOAD_PEAK;
}

/**
 * @param canMeasure a cache holds the measurement (`cache: true`) and the runtime can time
 *   forms: without it `'auto'` would time both forms on every load, so it keeps a size rule.
 */
export function planWeights(pref: WasmWeights, dtype: Dtype, config: Json, deviceMemoryGb: number | undefined, canMeasure = false): WeightPlan {
  if (pref === 'source') return { form: 'source', reason: "wasmWeights 'source' was asked for: the file runs as it is" };
  if (dtype !== 'q4' && dtype !== 'int8' && dtype !== 'q8') return { form: 'source', reason: `the ${dtype} file is not a weight-only quantized one: it runs as it is` };
  if (pref === 'int8' || pref === 'fp32') return { form: pref, reason: `wasmWeights '${pref}' was asked for` };
  const params = estimateParams(config);
  const fp32Bytes = params === undefined ? undefined : params * 4;
  const int8: WeightPlan = { form: 'int8', reason: `int8 weights with dynamic int8 activations decode several times faster on WASM than the ${dtype} file's kernel, in ${params ? mb(params) : 'about a byte per weight'}` };
  if (fp32Bytes === undefined || fp32Bytes > fp32Budget(deviceMemoryGb)) {
    return fp32Bytes === undefined ? int8 : { ...int8, reason: `${int8.reason}; float32 (${mb(fp32Bytes)}) would not fit this device comfortably` };
  }
  if (canMeasure) return { ...int8, candidates: ['int8', 'fp32'] };
  if (fp32Bytes <= SMALL_FP32_BYTES) {
    return { form: 'fp32', reason: `a small model (${mb(fp32Bytes)} in float32) and no cache to remember a measurement in: float32 weights compute exactly what the ${dtype} file does, and fit easily` };
  }
  return int8;
}

const mb = (bytes: number): string => `${Math.round(bytes / 1e6)} MB`;

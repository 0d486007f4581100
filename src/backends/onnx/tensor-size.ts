/**
 * The largest single weight of a decoder, estimated from config.json before any weight
 * downloads, so `device: 'auto'` can tell whether one GPU buffer would hold it (WebGPU
 * binds a weight as one buffer, within `maxBufferSize` / `maxStorageBufferBindingSize`).
 */
import type { Dtype } from '../../config-types.js';

/**
 * Bytes per element of the embedding table in transformers.js-style exports: the
 * `MatMulNBits` / int8 quantizers leave the `Gather` table in the float type of the file
 * (fp32, or fp16 for the f16 variants); q8/int8 exports quantize it to one byte.
 */
const TABLE_BYTES: Record<Dtype, number> = { fp32: 4, fp16: 2, q4: 4, q4f16: 2, q8: 1, int8: 1 };

/**
 * The embedding table (vocab × hidden), or the widest MLP matrix (hidden × intermediate),
 * whichever is larger; 0 when config.json lacks the sizes (then no limit check runs).
 * @example largestTensorBytes({ vocab_size: 49152, hidden_size: 576, intermediate_size: 1536 }, 'q4') // 113_246_208
 */
export function largestTensorBytes(config: Readonly<Record<string, unknown>>, dtype: Dtype): number {
  const n = (k: string): number => (typeof config[k] === 'number' && Number.isFinite(config[k]) ? (config[k] as number) : 0);
  const hidden = n('hidden_size');
  const table = n('vocab_size') * hidden * TABLE_BYTES[dtype];
  const mlp = hidden * n('intermediate_size') * (dtype === 'fp32' ? 4 : dtype === 'fp16' ? 2 : 1);
  return Math.max(table, mlp);
}

/**
 * Batch planning and packing, pure. Texts are grouped by token length so each batch pads
 * little, and packed straight into the int64 buffers ORT reads, with no per-token objects.
 */

/**
 * Input indexes in batches of at most `batchSize`, longest texts first (ties keep input
 * order). Sorting by length keeps padding small; longest first puts the biggest tensor in the
 * first batch, so a model that cannot fit the batch in memory fails at once rather than
 * minutes into a long job, and the progress that follows only speeds up.
 */
export function planBatches(lengths: ArrayLike<number>, batchSize: number): number[][] {
  // NaN or under 1 (a request that skipped validation) means one text per batch, never an empty plan.
  const size = batchSize >= 1 ? Math.floor(batchSize) : 1;
  const order = Array.from({ length: lengths.length }, (_, i) => i);
  // Array.prototype.sort is stable (ES2019), so equal lengths stay in input order.
  order.sort((a, b) => lengths[b]! - lengths[a]!);
  const batches: number[][] = [];
  for (let i = 0; i < order.length; i += size) batches.push(order.slice(i, i + size));
  return batches;
}

/** One batch as ORT wants it: `[rows, seq]` int64 ids and mask, right-padded. */
export interface PackedBatch {
  rows: number;
  seq: number;
  ids: BigInt64Array;
  mask: BigInt64Array;
  /** The same mask as bytes, for pooling without reading BigInts. */
  mask8: Uint8Array;
  /** Mask ones: the tokens actually read. */
  realTokens: number;
}

/**
 * Writing a small non-negative id as the low 32-bit word of a little-endian int64 avoids one
 * BigInt per token; a big-endian platform (none ships a browser today) takes the BigInt path.
 */
const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function int64s(values: number): { array: BigInt64Array; words: Int32Array | undefined } {
  const array = new BigInt64Array(values);
  return { array, words: littleEndian ? new Int32Array(array.buffer) : undefined };
}

/** Packs the texts `batch` names (indexes into `tokens`), padded with `padId` to the longest. */
export function packBatch(tokens: readonly (readonly number[])[], batch: readonly number[], padId: number): PackedBatch {
  const rows = batch.length;
  // At least one position: a tokenizer without special tokens gives `''` no ids, and ORT refuses empty dims.
  let seq = 1;
  for (const i of batch) seq = Math.max(seq, tokens[i]!.length);
  const ids = int64s(rows * seq);
  const mask = int64s(rows * seq);
  const mask8 = new Uint8Array(rows * seq);
  let realTokens = 0;
  for (let r = 0; r < rows; r++) {
    const row = tokens[batch[r]!]!;
    const base = r * seq;
    for (let t = 0; t < seq; t++) {
      const real = t < row.length;
      const id = real ? row[t]! : padId;
      const at = base + t;
      if (ids.words) ids.words[2 * at] = id;
      else ids.array[at] = BigInt(id);
      if (real) {
        if (mask.words) mask.words[2 * at] = 1;
        else mask.array[at] = 1n;
        mask8[at] = 1;
      }
    }
    realTokens += row.length;
  }
  return { rows, seq, ids: ids.array, mask: mask.array, mask8, realTokens };
}

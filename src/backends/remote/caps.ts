/**
 * How many bytes a whole (non-streamed) body may have before reading stops. A cap is
 * the largest answer a real server could send for the request, with room to spare, so a
 * misrouted or broken endpoint cannot make the page buffer a body without end (issue 16:
 * a 48 MB body was read whole). Streams are bounded by time instead (`totalMs`) and by
 * the size of one event (`sse.ts`), since their text goes to the caller as it arrives.
 */

const MiB = 2 ** 20;

/**
 * A non-streamed completion: 8 MiB. 128 000 completion tokens of about 4 characters are
 * 0.5 MB of text; JSON escaping at worst six bytes a character (`\u00e9`) makes 3 MB;
 * tool-call arguments count within the same tokens. 8 MiB is over twice that.
 */
export const CHAT_JSON_CAP_BYTES = 8 * MiB;

/** The widest vectors served today: Qwen3-Embedding-8B, e5-mistral and NV-Embed-v2 have 4096 dimensions (OpenAI's largest, 3072). */
const MAX_DIMENSIONS = 4096;
/**
 * OpenAI prints each float on its own indented line at full double precision:
 * `        -0.006929283495992422,\n` is 31 bytes. 32 bytes a float covers it.
 */
const BYTES_PER_FLOAT = 32;
/** `usage`, the model name, the objects around each vector. */
const ENVELOPE_BYTES = MiB;

/**
 * An embeddings answer for `inputs` texts: 1 MiB + inputs × 4096 × 32 bytes, i.e. 128 KiB
 * a text. One fixed cap would not do: a full OpenAI batch of 2048 texts at 3072 dimensions
 * is 6.3 million floats, about 190 MB printed that way (so 64 MB would refuse a real answer),
 * while a batch of one text can only be a few tens of KB. The cap grows with what was asked.
 * @example embeddingsCapBytes(256) === 33_554_432 + 1_048_576 // 33 MiB
 */
export function embeddingsCapBytes(inputs: number): number {
  return ENVELOPE_BYTES + inputs * MAX_DIMENSIONS * BYTES_PER_FLOAT;
}

/**
 * Applies a token bitmask to a row of logits in place. Runs once per generated token on
 * a vocab-sized array, so it walks 32-bit words: an all-ones word (32 allowed tokens)
 * costs one comparison, an all-zeros word one `fill`.
 */

/**
 * Sets every logit whose bit is clear to -Infinity, and every logit past the mask's
 * last bit (rows a model pads its vocabulary with) too. Bit `i` of the mask (word
 * `i >> 5`, bit `i & 31`) set means token `i` is allowed. Returns how many logits are
 * left allowed, so a caller can tell a dead end (0) from a choice.
 *
 * @example
 * const logits = new Float32Array([1, 2, 3]);
 * applyTokenBitmask(logits, new Int32Array([0b101])); // 2; logits = [1, -Infinity, 3]
 */
export function applyTokenBitmask(logits: Float32Array, bitmask: Int32Array): number {
  const n = logits.length;
  const words = Math.min(bitmask.length, Math.ceil(n / 32));
  let allowed = 0;
  for (let w = 0; w < words; w++) {
    const word = bitmask[w]!;
    const base = w << 5;
    const end = Math.min(base + 32, n);
    if (word === -1 && end - base === 32) {
      allowed += 32;
      continue;
    }
    if (word === 0) {
      logits.fill(-Infinity, base, end);
      continue;
    }
    for (let i = base; i < end; i++) {
      if ((word >>> (i - base)) & 1) allowed++;
      else logits[i] = -Infinity;
    }
  }
  if (words << 5 < n) logits.fill(-Infinity, words << 5, n);
  return allowed;
}

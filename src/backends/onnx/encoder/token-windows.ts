/**
 * Windows over a long token sequence, pure. A token classifier reads at most `maxLength`
 * tokens at once; text past that must not be skipped silently, so long texts are read in
 * overlapping windows and every token takes its label from the window where it sits
 * furthest from an edge, where the model saw the most context on both sides.
 */

export interface TokenWindow {
  /** First token of the window (index into the text's tokens). */
  start: number;
  /** One past the last token. */
  end: number;
}

/**
 * Windows of at most `size` tokens covering `count` tokens, each overlapping the next by a
 * quarter of `size` (so every token but those at the text's ends has at least an eighth
 * of a window of context on each side), the last one flush with the end.
 *
 * @example planWindows(10, 4); // [{0,4}, {3,7}, {6,10}]
 */
export function planWindows(count: number, size: number): TokenWindow[] {
  const width = Math.max(1, Math.floor(size));
  if (count <= width) return [{ start: 0, end: count }];
  const stride = Math.max(1, width - Math.max(1, Math.floor(width / 4)));
  const windows: TokenWindow[] = [];
  for (let start = 0; ; start += stride) {
    if (start + width >= count) {
      windows.push({ start: count - width, end: count });
      return windows;
    }
    windows.push({ start, end: start + width });
  }
}

/** For each token, the index of the window where it is furthest from an edge (ties: the earlier window). */
export function ownerOf(windows: readonly TokenWindow[], count: number): Int32Array {
  const owner = new Int32Array(count).fill(-1);
  const depth = new Int32Array(count).fill(-1);
  windows.forEach((w, k) => {
    for (let t = w.start; t < w.end; t++) {
      const d = Math.min(t - w.start, w.end - 1 - t);
      if (d > depth[t]!) {
        depth[t] = d;
        owner[t] = k;
      }
    }
  });
  return owner;
}

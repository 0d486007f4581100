/**
 * Turns a growing list of token ids into text deltas, and holds back text that might
 * be the start of a stop string. Pure: the decode function is injected.
 */

export type DecodeFn = (ids: readonly number[]) => string;

/**
 * Detokenizes incrementally with a sliding prefix (the approach of HF's
 * text-generation-inference): decoding a token alone loses context such as a
 * SentencePiece leading space, so each step decodes `prefix + new` and emits the
 * difference. A trailing U+FFFD means a multi-byte character is still incomplete.
 */
export class IncrementalDecoder {
  private ids: number[];
  private prefixOffset: number;
  private readOffset: number;

  constructor(private readonly decode: DecodeFn, contextIds: readonly number[] = []) {
    // A few context tokens are enough for spacing rules; the whole prompt is not needed.
    this.ids = contextIds.slice(-4);
    this.prefixOffset = 0;
    this.readOffset = this.ids.length;
  }

  push(id: number): string {
    this.ids.push(id);
    const prefix = this.decode(this.ids.slice(this.prefixOffset, this.readOffset));
    const full = this.decode(this.ids.slice(this.prefixOffset));
    if (full.length > prefix.length && !full.endsWith('\uFFFD')) {
      const delta = full.slice(prefix.length);
      this.prefixOffset = this.readOffset;
      this.readOffset = this.ids.length;
      return delta;
    }
    return '';
  }
}

/**
 * Finds stop strings in streamed text. Emits only text that can no longer be part of
 * a stop string, so a stop never leaks out half-written.
 */
export class StopMatcher {
  private pending = '';
  private readonly longest: number;

  constructor(private readonly stops: readonly string[]) {
    this.longest = stops.reduce((n, s) => Math.max(n, s.length), 0);
  }

  /** Returns the text safe to emit and whether a stop string was hit. */
  push(text: string): { emit: string; stopped: boolean } {
    if (this.stops.length === 0) return { emit: text, stopped: false };
    this.pending += text;
    let cut = -1;
    for (const s of this.stops) {
      const at = this.pending.indexOf(s);
      if (at !== -1 && (cut === -1 || at < cut)) cut = at;
    }
    if (cut !== -1) {
      const emit = this.pending.slice(0, cut);
      this.pending = '';
      return { emit, stopped: true };
    }
    // Keep the longest tail that is a prefix of some stop string.
    let hold = 0;
    for (let k = Math.min(this.longest - 1, this.pending.length); k > 0; k--) {
      const tail = this.pending.slice(-k);
      if (this.stops.some((s) => s.startsWith(tail))) { hold = k; break; }
    }
    const emit = this.pending.slice(0, this.pending.length - hold);
    this.pending = this.pending.slice(this.pending.length - hold);
    return { emit, stopped: false };
  }

  /** Text still held back when generation ends for another reason. */
  flush(): string {
    const rest = this.pending;
    this.pending = '';
    return rest;
  }
}

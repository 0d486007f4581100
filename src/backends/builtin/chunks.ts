/**
 * `promptStreaming()` chunks as deltas. Current Chrome sends each chunk as new text;
 * early builds (and the explainer's first drafts) sent the whole answer so far in every
 * chunk. Which one a browser does is read from the stream itself, once, then kept, so
 * a delta stream that happens to repeat itself later ('the', 'there') loses nothing.
 *
 * A second chunk that extends the first is the cumulative signature, but a delta stream
 * can do that once by chance ('Ha', 'Haha'); it cannot do it twice running. So that
 * second chunk is held until the third decides. A stream that ends while undecided is
 * taken as cumulative: a two-chunk answer that extends itself is far likelier the one.
 */
export class ChunkDeltas {
  #state: 'first' | 'second' | 'undecided' | 'delta' | 'cumulative' = 'first';
  /** Text emitted so far in cumulative terms: the first chunk, or the last cumulative one. */
  #seen = '';
  /** The second chunk, while undecided. */
  #held = '';

  /** The new text in this chunk ('' when there is none yet). */
  push(chunk: string): string {
    if (chunk === '') return '';
    switch (this.#state) {
      case 'first':
        this.#state = 'second';
        this.#seen = chunk;
        return chunk;
      case 'second':
        if (chunk.length > this.#seen.length && chunk.startsWith(this.#seen)) {
          this.#state = 'undecided';
          this.#held = chunk;
          return '';
        }
        this.#state = 'delta';
        return chunk;
      case 'undecided': {
        const held = this.#held;
        this.#held = '';
        if (chunk.startsWith(held)) {
          this.#state = 'cumulative';
          const out = held.slice(this.#seen.length) + chunk.slice(held.length);
          this.#seen = chunk;
          return out;
        }
        this.#state = 'delta';
        return held + chunk;
      }
      case 'delta':
        return chunk;
      case 'cumulative': {
        // A chunk that rewrote earlier text cannot take back what was emitted: the best
        // left is what lies past the length already seen.
        if (chunk.length <= this.#seen.length) return '';
        const out = chunk.slice(this.#seen.length);
        this.#seen = chunk;
        return out;
      }
    }
  }

  /** The stream ended: text still held back, if any. */
  end(): string {
    if (this.#state !== 'undecided') return '';
    this.#state = 'cumulative';
    const out = this.#held.slice(this.#seen.length);
    this.#seen = this.#held;
    this.#held = '';
    return out;
  }
}

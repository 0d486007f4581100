/** ChunkDeltas: the Prompt API's stream chunks as deltas, whether the browser sends deltas or the answer so far. */
import { describe, expect, it } from 'vitest';
import { ChunkDeltas } from '../../../src/backends/builtin/chunks.js';

const run = (chunks: readonly string[]): string[] => {
  const d = new ChunkDeltas();
  return [...chunks.map((c) => d.push(c)), d.end()];
};
const cumulative = (deltas: readonly string[]): string[] => deltas.map((_, i) => deltas.slice(0, i + 1).join(''));

describe('ChunkDeltas', () => {
  it('passes a delta stream through, each chunk as it comes', () => {
    expect(run(['Hello', ', ', 'world', '!'])).toEqual(['Hello', ', ', 'world', '!', '']);
  });

  it('turns a cumulative stream into deltas (the second chunk waits for the third to decide)', () => {
    const deltas = ['Once', ' upon', ' a', ' time'];
    const out = run(cumulative(deltas));
    expect(out).toEqual(['Once', '', ' upon a', ' time', '']);
    expect(out.join('')).toBe('Once upon a time');
  });

  it('a delta stream whose second chunk extends its first loses nothing', () => {
    expect(run(['Ha', 'Haha', '!']).join('')).toBe('HaHaha!');
  });

  it('once decided, a delta stream that repeats what came before is still deltas', () => {
    expect(run(['The', ' the', ' the', ' there']).join('')).toBe('The the the there');
  });

  it('a two-chunk stream that extends itself is taken as cumulative; a one-chunk stream is itself', () => {
    expect(run(['Hi', 'Hi there']).join('')).toBe('Hi there');
    expect(run(['Hi']).join('')).toBe('Hi');
  });

  it('ignores empty chunks, and a cumulative chunk that does not grow adds nothing', () => {
    expect(run(['', 'A', '', 'A b', 'A b c', 'A b c', 'A b c d']).join('')).toBe('A b c d');
  });
});

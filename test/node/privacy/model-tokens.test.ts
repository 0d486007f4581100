/**
 * Issue 16, the model tier's pure steps: token offsets found again in the text (WordPiece
 * `##`, SentencePiece `▁`, byte-level `Ġ`, lower-cased and accent-stripped tokens, [UNK]),
 * overlapping windows that skip no token, and BIO / IOB1 / BIOES decoding.
 */
import { describe, expect, it } from 'vitest';
import { decodeEntities } from '../../../src/backends/onnx/encoder/token-bio.js';
import { alignOffsets } from '../../../src/backends/onnx/encoder/token-offsets.js';
import { ownerOf, planWindows } from '../../../src/backends/onnx/encoder/token-windows.js';

const pieces = (text: string, offsets: [number, number][]): string[] => offsets.map(([s, e]) => text.slice(s, e));

describe('alignOffsets', () => {
  it('finds WordPiece tokens, continuations included, in a cased and accented text', () => {
    const text = 'Hi Zoë Alice-Smith, ok?';
    const tokens = ['hi', 'zoe', 'ali', '##ce', '-', 'smith', ',', 'ok', '?'];
    expect(pieces(text, alignOffsets(text, tokens))).toEqual(['Hi', 'Zoë', 'Ali', 'ce', '-', 'Smith', ',', 'ok', '?']);
  });

  it('reads SentencePiece and byte-level markers', () => {
    expect(pieces('Bob lives', alignOffsets('Bob lives', ['▁Bob', '▁lives']))).toEqual(['Bob', 'lives']);
    expect(pieces('Bob lives', alignOffsets('Bob lives', ['Bob', 'Ġlives']))).toEqual(['Bob', 'lives']);
  });

  it('gives an unknown token the gap between its neighbours', () => {
    const text = 'a ☃ b';
    expect(pieces(text, alignOffsets(text, ['a', '[UNK]', 'b']))).toEqual(['a', ' ☃ ', 'b']);
  });

  it('keeps offsets of characters outside the BMP', () => {
    const text = '😀 Alice';
    expect(pieces(text, alignOffsets(text, ['[UNK]', 'alice']))).toEqual(['😀 ', 'Alice']);
  });
});

describe('planWindows', () => {
  it('covers every token with overlapping windows, the last flush with the end', () => {
    const windows = planWindows(1000, 126);
    expect(windows[0]).toEqual({ start: 0, end: 126 });
    expect(windows[windows.length - 1]!.end).toBe(1000);
    const owner = ownerOf(windows, 1000);
    expect([...owner].every((k) => k >= 0)).toBe(true);
    for (let k = 1; k < windows.length; k++) expect(windows[k]!.start).toBeLessThan(windows[k - 1]!.end);
  });

  it('gives each token to the window where it is furthest from an edge', () => {
    const windows = planWindows(10, 4);
    expect(windows).toEqual([{ start: 0, end: 4 }, { start: 3, end: 7 }, { start: 6, end: 10 }]);
    // Ties (a token at the edge of both) go to the earlier window.
    expect([...ownerOf(windows, 10)]).toEqual([0, 0, 0, 0, 1, 1, 1, 2, 2, 2]);
  });

  it('is one window when the text fits', () => {
    expect(planWindows(5, 126)).toEqual([{ start: 0, end: 5 }]);
  });
});

describe('decodeEntities', () => {
  const t = (label: string, start: number, end: number, score = 0.9) => ({ label, score, start, end });

  it('joins B-/I- tokens of one entity and averages their scores', () => {
    expect(decodeEntities([t('B-PER', 0, 5, 0.9), t('I-PER', 6, 11, 0.7), t('O', 12, 14), t('B-LOC', 15, 20)])).toEqual([
      { label: 'PER', start: 0, end: 11, score: 0.8 },
      { label: 'LOC', start: 15, end: 20, score: 0.9 },
    ]);
  });

  it('starts a new entity at B- even after the same type, and at I- after O (IOB1)', () => {
    expect(decodeEntities([t('B-PER', 0, 3), t('B-PER', 4, 7), t('O', 8, 9), t('I-PER', 10, 13)]).map((e) => [e.start, e.end])).toEqual([[0, 3], [4, 7], [10, 13]]);
  });

  it('reads BIOES: E- closes, S- is a single token', () => {
    const out = decodeEntities([t('B-private_person', 0, 3), t('E-private_person', 4, 7), t('I-private_person', 8, 9), t('S-secret', 10, 14)]);
    expect(out.map((e) => [e.label, e.start, e.end])).toEqual([['private_person', 0, 7], ['private_person', 8, 9], ['secret', 10, 14]]);
  });

  it('reads bare labels as inside tags', () => {
    expect(decodeEntities([t('PER', 0, 3), t('PER', 4, 7)]).map((e) => [e.label, e.start, e.end])).toEqual([['PER', 0, 7]]);
  });
});

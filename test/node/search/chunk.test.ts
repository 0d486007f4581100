/**
 * The chunker (issue 18): exact offsets, boundaries in their order of preference, overlap
 * of whole words, headings that start chunks, and size limits that hold on odd input.
 */
import { describe, expect, it } from 'vitest';
import { LOOKAHEAD } from '../../../src/search/page/boundary.js';
import { chunkText } from '../../../src/search/page/chunk.js';
import type { Chunk } from '../../../src/search/types.js';

const words = ['river', 'stone', 'lantern', 'harbour', 'meadow', 'copper', 'violet', 'thunder', 'almond', 'quiet'];
/** Deterministic prose: sentences of 6 to 14 words. */
function prose(sentences: number, seed = 1): string {
  let x = seed;
  const rnd = (n: number): number => { x = (x * 1103515245 + 12345) % 2 ** 31; return x % n; };
  const out: string[] = [];
  for (let s = 0; s < sentences; s++) {
    const n = 6 + rnd(9);
    const w = Array.from({ length: n }, () => words[rnd(words.length)] as string);
    out.push(`${w[0]!.charAt(0).toUpperCase()}${w[0]!.slice(1)} ${w.slice(1).join(' ')}.`);
  }
  return out.join(' ');
}

function checkOffsets(text: string, chunks: Chunk[]): void {
  chunks.forEach((c, i) => {
    expect(c.seq).toBe(i);
    expect(text.slice(c.start, c.end)).toBe(c.text);
    expect(c.text).toBe(c.text.trim());
    expect(c.text.length).toBeGreaterThan(0);
  });
}

/** Every non-space character of the text lies in some chunk. */
function checkCoverage(text: string, chunks: Chunk[]): void {
  let covered = 0;
  for (const c of chunks) {
    if (c.start > covered) expect(text.slice(covered, c.start).trim()).toBe('');
    covered = Math.max(covered, c.end);
  }
  expect(text.slice(covered).trim()).toBe('');
}

const isWordChar = (ch: string | undefined): boolean => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);

describe('chunkText', () => {
  it('gives one chunk, trimmed, for a text shorter than size', () => {
    const text = '  \n The dentist is on Tuesday at nine.\n\n';
    const chunks = chunkText(text, { size: 800, overlap: 100 });
    expect(chunks).toHaveLength(1);
    checkOffsets(text, chunks);
    expect(chunks[0]?.text).toBe('The dentist is on Tuesday at nine.');
  });

  it('cuts long prose at sentence ends, within size, never inside a word, and covers all of it', () => {
    const text = prose(400);
    for (const [size, overlap] of [[800, 100], [300, 50], [120, 0]] as const) {
      const chunks = chunkText(text, { size, overlap });
      checkOffsets(text, chunks);
      checkCoverage(text, chunks);
      expect(chunks.length).toBeGreaterThan(text.length / size);
      for (const c of chunks) {
        expect(c.text.length).toBeLessThanOrEqual(size);
        expect(isWordChar(text[c.start - 1])).toBe(false);
        expect(isWordChar(text[c.end])).toBe(false);
      }
      // Sentences are at most ~110 characters here, so with half of size above that every cut but the last lands after a full stop.
      if (size >= 300) for (const c of chunks.slice(0, -1)) expect(c.text.endsWith('.')).toBe(true);
    }
  });

  it('repeats at most `overlap` characters, as whole words, from the chunk before', () => {
    const text = prose(200, 7);
    const chunks = chunkText(text, { size: 400, overlap: 100 });
    let overlapping = 0;
    for (let i = 1; i < chunks.length; i++) {
      const prev = chunks[i - 1]!;
      const c = chunks[i]!;
      expect(c.start).toBeGreaterThan(prev.start);
      const shared = prev.end - c.start;
      expect(shared).toBeLessThanOrEqual(100);
      if (shared > 0) {
        overlapping++;
        expect(prev.text.endsWith(text.slice(c.start, prev.end))).toBe(true);
      }
    }
    expect(overlapping).toBeGreaterThan(chunks.length / 2);
    // Without overlap, chunks do not share text.
    const none = chunkText(text, { size: 400, overlap: 0 });
    for (let i = 1; i < none.length; i++) expect(none[i]!.start).toBeGreaterThanOrEqual(none[i - 1]!.end);
  });

  it('prefers a Markdown heading, then a blank line, to a later sentence end, and starts the next chunk at the heading', () => {
    const intro = prose(4, 3);
    const section = prose(12, 5);
    const text = `${intro}\n\n## Opening hours\n\n${section}`;
    expect(intro.length).toBeGreaterThan(200);
    expect(intro.length).toBeLessThan(400);
    const chunks = chunkText(text, { size: 800, overlap: 100 });
    checkOffsets(text, chunks);
    expect(chunks[0]?.text).toBe(intro);
    expect(chunks[1]?.text.startsWith('## Opening hours')).toBe(true);

    const paragraphs = `${prose(7, 11)}\n\n${prose(10, 12)}`;
    const first = paragraphs.indexOf('\n\n');
    expect(first).toBeGreaterThan(400);
    const p = chunkText(paragraphs, { size: 800, overlap: 100 });
    expect(p[0]?.end).toBe(first);
  });

  it('a heading in the first quarter of a chunk does not cut (no tiny chunks)', () => {
    const text = `Short.\n# Title\n${prose(20, 2)}`;
    const chunks = chunkText(text, { size: 800, overlap: 100 });
    expect(chunks[0]?.text.startsWith('Short.\n# Title')).toBe(true);
  });

  it('without spaces near the limit: a word end within the lookahead, else a hard cut that keeps surrogate pairs whole', () => {
    const longWord = 'x'.repeat(790 + 20);
    const text = `${longWord} tail words here ${'y'.repeat(50)}`;
    const chunks = chunkText(text, { size: 800, overlap: 100 });
    checkOffsets(text, chunks);
    expect(chunks[0]?.end).toBe(longWord.length);
    expect(chunks[0]!.text.length).toBeLessThanOrEqual(800 + LOOKAHEAD);

    const emoji = '😀'.repeat(1000); // 2000 UTF-16 units, no spaces at all
    const e = chunkText(emoji, { size: 801, overlap: 0 });
    checkOffsets(emoji, e);
    checkCoverage(emoji, e);
    for (const c of e) {
      expect(c.text.length).toBeLessThanOrEqual(801);
      expect(c.text.length % 2).toBe(0);
    }
  });

  it('CJK full stops count as sentence ends without a following space', () => {
    const sentence = '今日は晴れです。';
    const text = sentence.repeat(40);
    const chunks = chunkText(text, { size: 100, overlap: 0 });
    checkOffsets(text, chunks);
    checkCoverage(text, chunks);
    for (const c of chunks) expect(c.text.endsWith('。')).toBe(true);
  });

  it('lower case after a full stop is not a sentence end ("e.g. this")', () => {
    const filler = prose(3, 9);
    const text = `${filler} Some tools, e.g. this one, read text ${'and more text '.repeat(40)}`;
    const chunks = chunkText(text, { size: 300, overlap: 0 });
    for (const c of chunks) expect(c.text.endsWith('e.g.')).toBe(false);
  });

  it('keeps offsets exact around CRLF, tabs and Unicode spaces', () => {
    const text = `${prose(30, 4).replaceAll('. ', '.\r\n\u00a0\t')}\r\n`;
    const chunks = chunkText(text, { size: 256, overlap: 40 });
    checkOffsets(text, chunks);
    checkCoverage(text, chunks);
  });
});

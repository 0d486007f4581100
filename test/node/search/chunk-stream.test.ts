/**
 * The chunker on streams (issue 18): a Blob read through TextDecoderStream makes the same
 * chunks as its text, whatever the pieces; memory stays bounded on a 5 MB text; binary and
 * empty documents are told apart from text.
 */
import { describe, expect, it } from 'vitest';
import { LOOKAHEAD } from '../../../src/search/page/boundary.js';
import { Chunker, chunkBlob, chunkText } from '../../../src/search/page/chunk.js';
import { sniff } from '../../../src/search/page/sniff.js';
import type { Chunk } from '../../../src/search/types.js';

const OPTS = { size: 800, overlap: 100 };

/** Markdown-ish text with headings, lists, blank lines, multi-byte characters and long words. */
function corpus(chars: number, seed = 3): string {
  let x = seed;
  const rnd = (n: number): number => { x = (x * 1103515245 + 12345) % 2 ** 31; return x % n; };
  const vocab = ['naïve', 'café', 'Zürich', 'ставка', '東京', 'emoji😀', 'the', 'a', 'harbour', 'supercalifragilistic', 'e.g.', 'Dr.'];
  const parts: string[] = [];
  let n = 0;
  while (n < chars) {
    const roll = rnd(20);
    let s: string;
    if (roll === 0) s = `\n\n## Section ${parts.length}\n\n`;
    else if (roll === 1) s = `\n- item ${rnd(100)}\n`;
    else if (roll === 2) s = '\n\n';
    else if (roll === 3) s = `${'z'.repeat(rnd(120))} `;
    else s = `${Array.from({ length: 3 + rnd(12) }, () => vocab[rnd(vocab.length)]).join(' ')}${['. ', '! ', '? ', ', ', '。'][rnd(5)]}`;
    parts.push(s);
    n += s.length;
  }
  return parts.join('');
}

async function collect(it: AsyncIterable<Chunk>): Promise<Chunk[]> {
  const out: Chunk[] = [];
  for await (const c of it) out.push(c);
  return out;
}

describe('chunkBlob', () => {
  it('makes the same chunks as chunkText, offsets into the decoded text', async () => {
    for (const seed of [1, 2, 3]) {
      const text = corpus(300_000, seed);
      const source = chunkBlob(new Blob([text]), OPTS);
      const streamed = await collect(source.chunks);
      expect(streamed).toEqual(chunkText(text, OPTS));
      expect(source.length()).toBe(text.length);
    }
  });

  it('a character cut by a slice edge and a UTF-8 BOM: same chunks and offsets as the decoded text', async () => {
    // 3-byte characters: 256 KiB is not a multiple of 3, so a slice edge cuts one.
    const text = `${'€uro '.repeat(60_000)}end.`;
    const bom = await collect(chunkBlob(new Blob(['\uFEFF', text]), OPTS).chunks);
    expect(bom).toEqual(chunkText(text, OPTS));
    expect(bom.map((c) => c.text).join('')).not.toContain('\uFFFD');
  });

  it('whatever the pieces: one character at a time, odd sizes, cut surrogate pairs', () => {
    const text = corpus(20_000, 9);
    const whole = chunkText(text, OPTS);
    for (const step of [1, 7, 333, 4096]) {
      const c = new Chunker(OPTS);
      const got: Chunk[] = [];
      for (let i = 0; i < text.length; i += step) {
        c.push(text.slice(i, i + step));
        got.push(...c.take());
      }
      c.end();
      got.push(...c.take());
      expect(got).toEqual(whole);
    }
  });

  it('a ~5 MB text: chunks within size (plus the lookahead for a long word) and a bounded buffer', async () => {
    const text = corpus(5_000_000, 5);
    const c = new Chunker(OPTS);
    const piece = 65_536;
    let peak = 0;
    let count = 0;
    let last = -1;
    for (let i = 0; i < text.length; i += piece) {
      c.push(text.slice(i, i + piece));
      peak = Math.max(peak, c.buffered);
      for (const k of c.take()) {
        count++;
        expect(k.text.length).toBeLessThanOrEqual(OPTS.size + LOOKAHEAD);
        expect(k.start).toBeGreaterThan(last);
        last = k.start;
      }
      peak = Math.max(peak, c.buffered);
    }
    c.end();
    count += c.take().length;
    expect(count).toBeGreaterThan(text.length / OPTS.size);
    expect(peak).toBeLessThanOrEqual(piece + OPTS.size + LOOKAHEAD);
  });

  it('reads a whitespace-only Blob as no chunks', async () => {
    expect(await collect(chunkBlob(new Blob(['   \n\n\t  ']), OPTS).chunks)).toEqual([]);
  });

  it('stops reading when the consumer stops (an abort)', async () => {
    const source = chunkBlob(new Blob([corpus(400_000, 4)]), OPTS);
    let n = 0;
    for await (const _ of source.chunks) if (++n === 3) break;
    expect(n).toBe(3);
  });
});

describe('sniff', () => {
  it('empty: an empty string, whitespace only, an empty Blob', async () => {
    expect(await sniff('')).toBe('empty');
    expect(await sniff(' \n\t\u00a0 ')).toBe('empty');
    expect(await sniff(new Blob([]))).toBe('empty');
  });

  it('binary: NUL bytes, random bytes, a PNG header; text in many scripts and ANSI logs is text', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    expect(await sniff(new Blob([png]))).toBe('binary');
    let x = 42;
    const noise = Uint8Array.from({ length: 4096 }, () => { x = (x * 1103515245 + 12345) % 2 ** 31; return 1 + (x % 255); });
    expect(noise.includes(0)).toBe(false);
    expect(await sniff(new Blob([noise]))).toBe('binary');
    expect(await sniff('text with a \0 inside')).toBe('binary');
    expect(await sniff(String.fromCharCode(...Array.from({ length: 200 }, (_, i) => 1 + (i % 8))))).toBe('binary');

    expect(await sniff(new Blob([corpus(5000, 1)]))).toBeUndefined();
    expect(await sniff(corpus(5000, 2))).toBeUndefined();
    expect(await sniff(new Blob(['\u001b[32mINFO\u001b[0m server started\r\n'.repeat(40)]))).toBeUndefined();
    // A multi-byte character cut by the 1 KB head is not counted as invalid.
    expect(await sniff(new Blob(['€'.repeat(2000)]))).toBeUndefined();
  });
});

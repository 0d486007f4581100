/**
 * The chunker: text in, chunks with exact UTF-16 offsets out. Push-based so one
 * algorithm serves a string (pushed whole) and a Blob read as a stream (pushed a piece at
 * a time): it keeps only the text from the current chunk's start to `size + LOOKAHEAD`
 * past it (plus the piece just pushed), and makes a cut only once it holds that much or
 * the end, so both make the same chunks.
 */
import type { Chunk, ChunkOptions } from '../types.js';
import { LOOKAHEAD, findCut, isSpace, nextStart, trimEnd } from './boundary.js';

/** Defaults of `createIndex({ size, overlap })`. */
export const CHUNK_DEFAULTS: Readonly<Required<ChunkOptions>> = Object.freeze({ size: 800, overlap: 100 });

export class Chunker {
  private buf = '';
  /** Offset in the document of `buf[0]`. */
  private base = 0;
  private seq = 0;
  private ended = false;
  private readonly size: number;
  private readonly overlap: number;

  constructor(options: Required<ChunkOptions>) {
    this.size = options.size;
    this.overlap = options.overlap;
  }

  /** Characters held now: bounded by `size + LOOKAHEAD` plus the last piece pushed. */
  get buffered(): number {
    return this.buf.length;
  }

  /** Characters pushed so far: the document's length once `end()` is called. */
  get length(): number {
    return this.base + this.buf.length;
  }

  push(piece: string): void {
    if (this.ended) throw new Error('Chunker.push() after end()');
    this.buf += piece;
  }

  end(): void {
    this.ended = true;
  }

  /** The chunks decidable from what was pushed; the rest wait for more text or `end()`. */
  take(): Chunk[] {
    const out: Chunk[] = [];
    const b = this.buf;
    const horizon = this.size + LOOKAHEAD;
    let p = 0;
    for (;;) {
      while (p < b.length && isSpace(b.charCodeAt(p))) p++;
      if (p === b.length) break;
      // Whether the text ends within the horizon must be known, not guessed.
      if (!this.ended && b.length - p <= horizon) break;
      const rest = this.ended && b.length - p <= horizon ? trimEnd(b, p, b.length) : -1;
      if (rest >= 0 && rest - p <= this.size) {
        out.push(this.chunk(b, p, rest));
        p = b.length;
        break;
      }
      const cut = findCut(b, p, this.size);
      out.push(this.chunk(b, p, trimEnd(b, p, cut.at)));
      const next = nextStart(b, p, cut, this.overlap);
      // A cut near the start leaves no room for overlap: move on from the cut.
      p = next > p ? next : cut.at;
    }
    this.buf = b.slice(p);
    this.base += p;
    return out;
  }

  private chunk(b: string, start: number, end: number): Chunk {
    return { seq: this.seq++, start: this.base + start, end: this.base + end, text: b.slice(start, end) };
  }
}

/**
 * A string's chunks.
 * @example chunkText('# Notes\n\nThe dentist is on Tuesday.', { size: 800, overlap: 100 })
 */
export function chunkText(text: string, options: Required<ChunkOptions> = CHUNK_DEFAULTS): Chunk[] {
  const c = new Chunker(options);
  c.push(text);
  c.end();
  return c.take();
}

/**
 * Bytes of a Blob read at a time. Not `blob.stream()`: Chromium hands that out in 2 MiB
 * pieces (measured on an 8.8 MB Blob), which would put 2 to 4 MB of text on the page at
 * once. Slices keep the piece small whatever the browser does.
 */
const SLICE = 256 * 1024;

/** Pieces of a Blob read as UTF-8, a slice at a time: the file is never whole in memory. */
async function* pieces(blob: Blob): AsyncGenerator<string> {
  // One decoder across the slices: `stream: true` carries a character cut by a slice's edge over to the next.
  const decoder = new TextDecoder();
  for (let at = 0; at < blob.size; at += SLICE) {
    const text = decoder.decode(new Uint8Array(await blob.slice(at, at + SLICE).arrayBuffer()), { stream: true });
    if (text) yield text;
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}

/** What a document's chunks come from; `length` is the document's once the chunks are done. */
export interface ChunkSource {
  chunks: AsyncIterable<Chunk>;
  length(): number;
}

/** A Blob's chunks, with the same cuts and offsets as `chunkText(await blob.text())` (a UTF-8 BOM is dropped by both). */
export function chunkBlob(blob: Blob, options: Required<ChunkOptions> = CHUNK_DEFAULTS): ChunkSource {
  const c = new Chunker(options);
  async function* run(): AsyncGenerator<Chunk> {
    for await (const piece of pieces(blob)) {
      c.push(piece);
      yield* c.take();
    }
    c.end();
    yield* c.take();
  }
  return { chunks: run(), length: () => c.length };
}

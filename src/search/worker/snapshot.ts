/**
 * An index as the worker searches it: every visible chunk (of each document's committed
 * generation) packed into one typed array of rows, plus parallel arrays of where each
 * row came from. Rows are added in (docId, seq) order, page by page as they are read, so
 * loading never holds every stored record and the packed copy at once; the BM25
 * postings are built on the first hybrid search only.
 */
import type { DocRecord, ChunkRecord, MetaRecord } from './records.js';
import type { JSONValue, VectorType } from '../types.js';
import type { Bm25 } from './bm25.js';

export interface Snapshot {
  /** `epoch:version` of the meta record it was loaded from. */
  stamp: string;
  dims: number;
  type: VectorType;
  rows: number;
  /** `rows × dims` normalised components (float32 indexes). */
  f32: Float32Array;
  /** `rows × dims` quantised components (int8 indexes), with `scales[row]`. */
  i8: Int8Array;
  scales: Float32Array;
  /** Row → index into `docs`. */
  docOf: Int32Array;
  seq: Int32Array;
  start: Int32Array;
  end: Int32Array;
  texts: string[];
  docs: { id: string; metadata?: { readonly [key: string]: JSONValue } }[];
  /** Reused across searches: one score per row. */
  scratch: Float32Array;
  /** Built on the first hybrid search: the postings and a second score buffer. */
  bm25?: Bm25;
  lexical?: Float32Array;
}

type Meta = Pick<MetaRecord, 'epoch' | 'version' | 'dims' | 'vectors'>;

export const stampOf = (m: Pick<MetaRecord, 'epoch' | 'version'>): string => `${m.epoch}:${m.version}`;

/**
 * Packs rows as they come. `capacity` is the expected row count (the meta record's
 * `chunks`, exact when the records agree); the arrays grow if more come.
 */
export class Packer {
  private readonly docIndex = new Map<string, number>();
  private readonly committed: string[] = [];
  private s: Snapshot;

  constructor(meta: Meta, docs: readonly DocRecord[], capacity: number) {
    docs.forEach((d, i) => {
      this.docIndex.set(d.id, i);
      this.committed.push(d.generation);
    });
    this.s = allocate(meta, Math.max(0, capacity), docs.map((d) => (d.metadata ? { id: d.id, metadata: d.metadata } : { id: d.id })));
    this.s.rows = 0;
  }

  /** Adds the chunk if it belongs to its document's committed generation. */
  add(c: ChunkRecord): void {
    const doc = this.docIndex.get(c.docId);
    if (doc === undefined || this.committed[doc] !== c.generation) return;
    let s = this.s;
    if (s.rows === s.scales.length) s = this.s = grow(s, Math.max(16, s.rows * 2));
    const r = s.rows++;
    if (s.type === 'float32') s.f32.set(new Float32Array(c.vector, 0, s.dims), r * s.dims);
    else s.i8.set(new Int8Array(c.vector, 0, s.dims), r * s.dims);
    s.scales[r] = c.scale;
    s.docOf[r] = doc;
    s.seq[r] = c.seq;
    s.start[r] = c.start;
    s.end[r] = c.end;
    s.texts[r] = c.text;
  }

  finish(): Snapshot {
    const s = this.s;
    return s.rows === s.scales.length ? s : grow(s, s.rows);
  }
}

/** Packs the visible chunks of `chunks` (any order) in (docId, seq) order. */
export function packSnapshot(meta: Meta, docs: readonly DocRecord[], chunks: readonly ChunkRecord[]): Snapshot {
  const p = new Packer(meta, docs, chunks.length);
  for (const c of [...chunks].sort((a, b) => (a.docId < b.docId ? -1 : a.docId > b.docId ? 1 : a.seq - b.seq))) p.add(c);
  return p.finish();
}

function allocate(meta: Meta, rows: number, docs: Snapshot['docs']): Snapshot {
  const { dims } = meta;
  return {
    stamp: stampOf(meta),
    dims,
    type: meta.vectors,
    rows,
    f32: new Float32Array(meta.vectors === 'float32' ? rows * dims : 0),
    i8: new Int8Array(meta.vectors === 'int8' ? rows * dims : 0),
    scales: new Float32Array(rows),
    docOf: new Int32Array(rows),
    seq: new Int32Array(rows),
    start: new Int32Array(rows),
    end: new Int32Array(rows),
    texts: new Array<string>(rows),
    docs,
    scratch: new Float32Array(rows),
  };
}

/** A copy with room for `rows` rows (its `rows` stays the count filled). */
function grow(s: Snapshot, rows: number): Snapshot {
  const t = allocate({ epoch: '', version: 0, dims: s.dims, vectors: s.type }, rows, s.docs);
  const n = Math.min(s.rows, rows);
  t.stamp = s.stamp;
  t.rows = n;
  t.f32.set(s.f32.subarray(0, t.f32.length));
  t.i8.set(s.i8.subarray(0, t.i8.length));
  for (const k of ['scales', 'docOf', 'seq', 'start', 'end'] as const) (t[k] as Float32Array | Int32Array).set(s[k].subarray(0, n));
  for (let i = 0; i < n; i++) t.texts[i] = s.texts[i]!;
  return t;
}

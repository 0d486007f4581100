/**
 * An index as the worker searches it: every visible chunk (of each document's committed
 * generation) packed into one typed array of rows, plus parallel arrays of where each
 * row came from. Built from the stored records in one pass; the BM25 postings are built
 * on the first hybrid search only.
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

export const stampOf = (m: Pick<MetaRecord, 'epoch' | 'version'>): string => `${m.epoch}:${m.version}`;

/** Packs the visible chunks of `chunks` (any order) in (docId, seq) order. */
export function packSnapshot(meta: Pick<MetaRecord, 'epoch' | 'version' | 'dims' | 'vectors'>, docs: readonly DocRecord[], chunks: readonly ChunkRecord[]): Snapshot {
  const docIndex = new Map<string, number>();
  const committed: string[] = [];
  docs.forEach((d, i) => {
    docIndex.set(d.id, i);
    committed.push(d.generation);
  });
  const visible = chunks
    .filter((c) => {
      const i = docIndex.get(c.docId);
      return i !== undefined && committed[i] === c.generation;
    })
    .sort((a, b) => (a.docId < b.docId ? -1 : a.docId > b.docId ? 1 : a.seq - b.seq));
  const { dims } = meta;
  const rows = visible.length;
  const type = meta.vectors;
  const f32 = new Float32Array(type === 'float32' ? rows * dims : 0);
  const i8 = new Int8Array(type === 'int8' ? rows * dims : 0);
  const scales = new Float32Array(rows);
  const docOf = new Int32Array(rows);
  const seq = new Int32Array(rows);
  const start = new Int32Array(rows);
  const end = new Int32Array(rows);
  const texts: string[] = new Array<string>(rows);
  visible.forEach((c, r) => {
    if (type === 'float32') f32.set(new Float32Array(c.vector, 0, dims), r * dims);
    else i8.set(new Int8Array(c.vector, 0, dims), r * dims);
    scales[r] = c.scale;
    docOf[r] = docIndex.get(c.docId)!;
    seq[r] = c.seq;
    start[r] = c.start;
    end[r] = c.end;
    texts[r] = c.text;
  });
  return {
    stamp: stampOf(meta),
    dims,
    type,
    rows,
    f32,
    i8,
    scales,
    docOf,
    seq,
    start,
    end,
    texts,
    docs: docs.map((d) => (d.metadata ? { id: d.id, metadata: d.metadata } : { id: d.id })),
    scratch: new Float32Array(rows),
  };
}

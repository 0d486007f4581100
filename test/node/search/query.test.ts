/**
 * A search over packed records (the worker's snapshot): only committed generations are
 * visible, filters, k, ranking by cosine, the hybrid blend (BM25 lifts the exact term;
 * alpha 1 is pure vectors), empty index, and a query of the wrong size.
 */
import { describe, expect, it } from 'vitest';
import { isEdgewiseError } from '../../../src/errors.js';
import { searchSnapshot } from '../../../src/search/worker/query.js';
import type { ChunkRecord, DocRecord } from '../../../src/search/worker/records.js';
import { Packer, packSnapshot } from '../../../src/search/worker/snapshot.js';
import { encodeVector } from '../../../src/search/worker/vectors.js';
import type { SearchQuery } from '../../../src/search/worker/protocol.js';

const meta = { epoch: 'e', version: 1, dims: 3, vectors: 'float32' as const };

function chunk(docId: string, generation: string, seq: number, text: string, v: number[]): ChunkRecord {
  const e = encodeVector(Float32Array.from(v), 0, 3, 'float32');
  return { docId, generation, seq, start: seq * 10, end: seq * 10 + text.length, text, vector: e.vector, scale: e.scale };
}

const docs: DocRecord[] = [
  { id: 'a', generation: 'g2', length: 30, chunks: 2, metadata: { lang: 'en', team: 'x' } },
  { id: 'b', generation: 'g1', length: 10, chunks: 1, metadata: { lang: 'de' } },
];
const chunks = [
  chunk('a', 'g1', 0, 'old content', [1, 0, 0]), // a's previous generation
  chunk('a', 'g2', 0, 'invoice 4711 overdue', [0.9, 0.1, 0]),
  chunk('a', 'g2', 1, 'weather report', [0, 1, 0]),
  chunk('b', 'g1', 0, 'Rechnung bezahlt', [0.7, 0.7, 0]),
  chunk('c', 'g9', 0, 'unfinished document', [1, 0, 0]), // no doc record: never committed
];
const q = (over: Partial<SearchQuery>): SearchQuery => ({ vector: Float32Array.from([1, 0, 0]), text: '', k: 5, mode: 'vector', alpha: 0.5, ...over });

describe('search: over a snapshot', () => {
  const snap = packSnapshot(meta, docs, chunks);

  it('sees only committed generations, ranks by cosine and builds chunk ids', () => {
    const hits = searchSnapshot(snap, q({}));
    expect(hits.map((h) => h.chunkId)).toEqual(['a#0', 'b#0', 'a#1']);
    expect(hits[0]).toMatchObject({ docId: 'a', seq: 0, start: 0, end: 20, text: 'invoice 4711 overdue', metadata: { lang: 'en', team: 'x' } });
    expect(hits[0]!.score).toBeCloseTo(0.9 / Math.hypot(0.9, 0.1), 6);
    expect(hits[2]!.score).toBeCloseTo(0, 6);
  });

  it('k limits the hits; a filter needs every key equal', () => {
    expect(searchSnapshot(snap, q({ k: 1 })).map((h) => h.chunkId)).toEqual(['a#0']);
    expect(searchSnapshot(snap, q({ filter: { lang: 'de' } })).map((h) => h.chunkId)).toEqual(['b#0']);
    expect(searchSnapshot(snap, q({ filter: { lang: 'en', team: 'y' } }))).toEqual([]);
    expect(searchSnapshot(snap, q({ filter: { lang: 'en', team: 'x' } })).map((h) => h.chunkId)).toEqual(['a#0', 'a#1']);
  });

  it('hybrid: the exact term lifts its chunk over a closer vector; alpha 1 is the vector order', () => {
    const query = Float32Array.from([0.7, 0.7, 0]); // closest to b#0
    const hybrid = searchSnapshot(snap, q({ vector: query, text: 'weather', mode: 'hybrid', alpha: 0.3 }));
    expect(hybrid[0]!.chunkId).toBe('a#1');
    // a#1's cosine 0.707 is the minimum (vector part 0) but it alone has "weather" (lexical 1): 0.7 · 1.
    expect(hybrid[0]!.score).toBeCloseTo(0.7, 6);
    for (const h of hybrid) expect(h.score >= 0 && h.score <= 1).toBe(true);
    const vectorsOnly = searchSnapshot(snap, q({ vector: query, text: 'weather', mode: 'hybrid', alpha: 1 }));
    expect(vectorsOnly.map((h) => h.chunkId)).toEqual(searchSnapshot(snap, q({ vector: query })).map((h) => h.chunkId));
    expect(vectorsOnly[0]!.score).toBe(1);
  });

  it('an empty index answers []; a query of another size is model_mismatch', () => {
    expect(searchSnapshot(packSnapshot(meta, [], []), q({}))).toEqual([]);
    let code = '';
    try {
      searchSnapshot(snap, q({ vector: new Float32Array(4) }));
    } catch (e) {
      code = isEdgewiseError(e) ? e.code : String(e);
    }
    expect(code).toBe('model_mismatch');
  });

  it('the page-by-page packer gives the same snapshot whether its capacity was too small or too large', () => {
    const many = Array.from({ length: 40 }, (_, i) => chunk('m', 'g', i, `row ${i}`, [Math.cos(i), Math.sin(i), 0.1]));
    const mdocs: DocRecord[] = [{ id: 'm', generation: 'g', length: 400, chunks: 40 }];
    const expected = packSnapshot(meta, mdocs, many);
    for (const capacity of [0, 1, 39, 40, 100]) {
      const p = new Packer(meta, mdocs, capacity);
      for (const c of many) p.add(c);
      const got = p.finish();
      expect([got.rows, got.scales.length, got.f32.length, got.scratch.length]).toEqual([40, 40, 120, 40]);
      expect(searchSnapshot(got, q({ k: 40 }))).toEqual(searchSnapshot(expected, q({ k: 40 })));
      expect(got.texts).toEqual(expected.texts);
    }
  });
});

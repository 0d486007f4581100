/**
 * The search bench at 10⁴ and 10⁵ chunks: synthetic 100-d vectors from an app's own
 * backend (search-random.ts), written and searched through the public API. For each size:
 * the write rate, search latency p50/p95 (`index.search()` as the page sees it: the query's
 * embedding, the worker round trip, the scan) for `vector` and `hybrid`, the search
 * worker's heap with the index loaded, recall@10 of `int8` against `float32` (an exact
 * scan) on the same vectors and queries, and Orama's vector search on the same chunks.
 */
import { create, insertMultiple, search } from '@orama/orama';
import { createEngine, type Engine } from '/dist/edgewise.js';
import { createIndex } from '/dist/edgewise.search.js';
import { chunkText } from '../../src/search/page/chunk.js';
import { DIMS, randomBackend, textOf, vectorOf } from './search-random.js';
import { type BenchConfig, log, now, round } from './util.js';

declare global {
  interface Window {
    /** run.mjs: the search worker's JS heap + ArrayBuffer backing stores after a forced GC (DevTools protocol). */
    benchSearchWorkerHeap?: () => Promise<number | null>;
  }
}

const QUERIES = 100;
const RECALL_QUERIES = 50;
const WARMUP = 10;

export function percentiles(ms: readonly number[]): { p50: number | null; p95: number | null; runs: number } {
  const v = [...ms].sort((a, b) => a - b);
  const at = (q: number): number | null => round(v[Math.min(v.length - 1, Math.floor(q * v.length))], 2);
  return { p50: at(0.5), p95: at(0.95), runs: v.length };
}

export async function timeQueries(run: (i: number) => Promise<unknown>, n: number): Promise<ReturnType<typeof percentiles>> {
  for (let i = 0; i < WARMUP; i++) await run(n + i);
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = now();
    await run(i);
    ms.push(now() - t0);
  }
  return percentiles(ms);
}

const overlap = (got: readonly string[], want: readonly string[]): number => got.filter((x) => want.includes(x)).length / want.length;
const queryText = (i: number): string => `query ${i} ${textOf(1_000_000 + i, 3)}`;
/** 64-character chunks, no overlap: a document of 1,000 sentences makes ~575 chunks, so 10⁵ chunks take ~175 documents (one write per embed batch, not per chunk). */
const CHUNK = { size: 64, overlap: 0 };

interface Corpus {
  docs: { id: string; text: string }[];
  chunks: { id: string; text: string }[];
}

/** Documents of 1,000 synthetic sentences until they make `size` chunks or more. */
function corpus(size: number): Corpus {
  const out: Corpus = { docs: [], chunks: [] };
  for (let d = 0; out.chunks.length < size; d++) {
    const text = Array.from({ length: 1_000 }, (_, j) => `${textOf(d * 1_000 + j)}.`).join(' ');
    out.docs.push({ id: `d${d}`, text });
    for (const c of chunkText(text, CHUNK)) out.chunks.push({ id: `d${d}#${c.seq}`, text: c.text });
  }
  return out;
}

interface Ours {
  result: Record<string, unknown>;
  /** Top-10 chunk ids of the recall queries. */
  top: string[][];
}

async function ours(engine: Engine, c: Corpus, vectors: 'float32' | 'int8', truth: string[][] | undefined): Promise<Ours> {
  const size = c.chunks.length;
  const index = createIndex({ engine, name: `bench-scale-${vectors}-${size}-${Date.now().toString(36)}`, vectors, ...CHUNK });
  try {
    const t0 = now();
    const added = await index.add(c.docs, { batchSize: 1024 });
    const writeS = (now() - t0) / 1000;
    if (added.chunks !== size) throw new Error(`the index made ${added.chunks} chunks, the bench's chunker ${size}`);
    const latency = {
      vector: await timeQueries((i) => index.search(queryText(i), { k: 10 }), QUERIES),
      hybrid: await timeQueries((i) => index.search(queryText(i), { k: 10, mode: 'hybrid' }), QUERIES),
    };
    const top: string[][] = [];
    for (let i = 0; i < RECALL_QUERIES; i++) top.push((await index.search(queryText(i), { k: 10 })).map((h) => h.chunkId));
    const recall = truth ? round(top.reduce((s, t, i) => s + overlap(t, truth[i] as string[]), 0) / top.length, 3) : null;
    const heap = (await window.benchSearchWorkerHeap?.()) ?? null;
    const info = await index.info();
    await index.close();
    const heapAfterClose = (await window.benchSearchWorkerHeap?.()) ?? null;
    const loaded = heap === null ? null : heap - (heapAfterClose ?? 0);
    log(`search ${size} ${vectors}: wrote ${round(size / writeS, 0)} chunks/s; vector p50 ${latency.vector.p50} p95 ${latency.vector.p95} ms, hybrid p50 ${latency.hybrid.p50} p95 ${latency.hybrid.p95} ms; recall@10 vs float32 ${recall ?? '(reference)'}; worker heap with the index ${loaded === null ? '?' : round(loaded / 1e6, 1)} MB`);
    return { top, result: {
      chunks: size, writeChunksPerSec: round(size / writeS, 0), writeSeconds: round(writeS, 1), latencyMs: latency,
      recallAt10VsFloat32: recall,
      memory: {
        workerHeapLoadedBytes: heap, workerHeapAfterCloseBytes: heapAfterClose,
        indexHeldBytes: loaded,
        packedVectorBytes: size * (vectors === 'int8' ? DIMS + 4 : DIMS * 4),
        storedBytes: info.bytes,
      },
    } };
  } finally {
    await index.clear().catch(() => undefined);
    await index.close().catch(() => undefined);
  }
}

async function orama(c: Corpus, truth: string[][]): Promise<Record<string, unknown>> {
  const size = c.chunks.length;
  const db = create({ schema: { text: 'string', embedding: `vector[${DIMS}]` } as const });
  const t0 = now();
  for (let from = 0; from < size; from += 10_000) {
    await insertMultiple(db, c.chunks.slice(from, from + 10_000).map((x) => ({ ...x, embedding: [...vectorOf(x.text)] })), 1_000);
  }
  const writeS = (now() - t0) / 1000;
  // similarity: Orama keeps only hits above it (default 0.8); random 100-d vectors score ~0.3.
  const find = (i: number, mode: 'vector' | 'hybrid') => {
    const vector = { value: [...vectorOf(queryText(i))], property: 'embedding' };
    return mode === 'hybrid' ? search(db, { mode, term: queryText(i), vector, similarity: -1, limit: 10 }) : search(db, { mode, vector, similarity: -1, limit: 10 });
  };
  const latency = { vector: await timeQueries((i) => Promise.resolve(find(i, 'vector')), QUERIES), hybrid: await timeQueries((i) => Promise.resolve(find(i, 'hybrid')), QUERIES) };
  let sum = 0;
  for (let i = 0; i < truth.length; i++) sum += overlap((await find(i, 'vector')).hits.map((h) => h.id), truth[i] as string[]);
  const recall = round(sum / truth.length, 3);
  log(`search ${size} Orama: inserted ${round(size / writeS, 0)} chunks/s; vector p50 ${latency.vector.p50} p95 ${latency.vector.p95} ms, hybrid p50 ${latency.hybrid.p50} p95 ${latency.hybrid.p95} ms; recall@10 vs our float32 ${recall}`);
  return { insertChunksPerSec: round(size / writeS, 0), latencyMs: latency, recallAt10VsFloat32: recall, thread: 'page (main thread, as Orama runs)', persistence: 'none (in memory)' };
}

export async function searchScale(cfg: BenchConfig): Promise<Record<string, unknown>> {
  const engine = createEngine({ embeddingModel: { engine: 'custom', backend: randomBackend() } });
  const out: Record<string, unknown> = {
    vectors: `synthetic: deterministic pseudo-random unit vectors, ${DIMS}-d, from an app's own embedding backend (engine: 'custom'), so no model cost; texts of 8 words over a 5,000-word synthetic vocabulary`,
    latency: `index.search() from the page, k 10, ${QUERIES} queries after ${WARMUP} warm-up; includes the query's embedding (microseconds here) and the worker round trip`,
    memory: "indexHeldBytes: the search worker's JS heap + ArrayBuffers after a forced GC with the index loaded, minus the same after close() (null or 0 when the worker ended with its last index: then it is the whole worker's); packedVectorBytes: the vectors alone as packed (int8: 1 byte a dimension + a 4-byte scale)",
  };
  try {
    for (const size of cfg.searchSizes ?? [10_000, 100_000]) {
      const c = corpus(size);
      // float32 is an exact scan: its top 10 is the reference the others are measured against.
      const f = await ours(engine, c, 'float32', undefined);
      const q = await ours(engine, c, 'int8', f.top);
      out[String(size)] = { chunks: c.chunks.length, float32: f.result, int8: q.result, orama: await orama(c, f.top) };
    }
  } finally {
    await engine.dispose();
  }
  return out;
}

/**
 * The `search` part (issue 18 acceptance 3): edgewise/search end to end on the acceptance
 * corpus (test/corpus/search/: 2,000 documents, 50 queries with known targets) with the real
 * GloVe-100d model from ../shared/models (served by the model server as /shared/; this half
 * is skipped, saying so, when absent): indexing throughput with the embedding included,
 * search latency and recall@1/5/10 for `vector` and `hybrid`, float32 and int8, beside
 * Orama (@orama/orama, in memory on the page) on the same vectors and queries. Then the
 * scale half (search-scale.ts): 10⁴ and 10⁵ chunks of synthetic 100-d vectors.
 */
import { create, insertMultiple, search } from '@orama/orama';
import { createEngine, type Engine } from '/dist/edgewise.js';
import { createIndex } from '/dist/edgewise.search.js';
import { searchCorpus } from '../corpus/search/corpus.js';
import { searchScale, timeQueries } from './search-scale.js';
import { type BenchConfig, log, now, round } from './util.js';

type Recall = { 1: number; 5: number; 10: number };
const recallOf = (ranks: readonly number[]): Recall => {
  const at = (k: number): number => round(ranks.filter((r) => r <= k).length / ranks.length, 2) as number;
  return { 1: at(1), 5: at(5), 10: at(10) };
};
const rankOf = (ids: readonly string[], target: string): number => {
  const i = ids.indexOf(target);
  return i < 0 ? 11 : i + 1;
};

async function ourIndex(engine: Engine, vectors: 'float32' | 'int8'): Promise<Record<string, unknown>> {
  const { docs, queries } = searchCorpus();
  const index = createIndex({ engine, name: `bench-corpus-${vectors}-${Date.now().toString(36)}`, vectors });
  try {
    let reported = 0;
    const t0 = now();
    const r = await index.add(docs, { onProgress: (p) => { reported = p.chunksPerSecond; } });
    const s = (now() - t0) / 1000;
    const out: Record<string, unknown> = { chunks: r.chunks, indexSeconds: round(s, 1), chunksPerSec: round(r.chunks / s, 0), onProgressChunksPerSec: round(reported, 0) };
    for (const mode of ['vector', 'hybrid'] as const) {
      const ranks: number[] = [];
      for (const q of queries) ranks.push(rankOf((await index.search(q.query, { k: 10, mode })).map((h) => h.docId), q.target));
      out[mode] = { recall: recallOf(ranks), latencyMs: await timeQueries((i) => index.search((queries[i % queries.length] as { query: string }).query, { k: 10, mode }), 100) };
    }
    log(`search corpus ${vectors}: ${r.chunks} chunks in ${round(s, 1)} s (${round(r.chunks / s, 0)} chunks/s, GloVe included); ${JSON.stringify(out.vector)} | hybrid ${JSON.stringify(out.hybrid)}`);
    return out;
  } finally {
    await index.clear().catch(() => undefined);
    await index.close().catch(() => undefined);
  }
}

/** Orama on the same GloVe vectors (embedded once through the same engine) and the same queries. */
async function oramaCorpus(engine: Engine): Promise<Record<string, unknown>> {
  const { docs, queries } = searchCorpus();
  const t0 = now();
  const vectors = await engine.embed(docs.map((d) => d.text));
  const embedS = (now() - t0) / 1000;
  const qv = await engine.embed(queries.map((q) => q.query));
  const db = create({ schema: { text: 'string', embedding: 'vector[100]' } as const });
  const t1 = now();
  await insertMultiple(db, docs.map((d, i) => ({ id: d.id, text: d.text, embedding: [...(vectors[i] as Float32Array)] })), 500);
  const insertS = (now() - t1) / 1000;
  const out: Record<string, unknown> = { embedSeconds: round(embedS, 1), insertSeconds: round(insertS, 2), chunksPerSecWithEmbedding: round(docs.length / (embedS + insertS), 0) };
  for (const mode of ['vector', 'hybrid'] as const) {
    // similarity -1: Orama otherwise drops hits under 0.8.
    const find = (i: number) => {
      const vector = { value: [...(qv[i % queries.length] as Float32Array)], property: 'embedding' };
      const term = (queries[i % queries.length] as { query: string }).query;
      return mode === 'hybrid' ? search(db, { mode, term, vector, similarity: -1, limit: 10 }) : search(db, { mode, vector, similarity: -1, limit: 10 });
    };
    const ranks: number[] = [];
    for (let i = 0; i < queries.length; i++) ranks.push(rankOf((await find(i)).hits.map((h) => h.id), (queries[i] as { target: string }).target));
    out[mode] = { recall: recallOf(ranks), latencyMsQueryEmbedded: await timeQueries((i) => Promise.resolve(find(i)), 100) };
  }
  log(`search corpus Orama: ${JSON.stringify(out)}`);
  return out;
}

export async function searchBench(cfg: BenchConfig): Promise<unknown> {
  const result: Record<string, unknown> = {};
  const glove = `${cfg.modelsUrl}/shared/glove-100d-static-onnx/`;
  if ((await fetch(`${glove}config.json`, { method: 'HEAD' })).ok) {
    const engine = createEngine({ embeddingModel: { id: 'glove-100d', url: glove, dtype: 'fp32' }, numThreads: cfg.numThreads, cache: false });
    try {
      await engine.load();
      const { docs, queries } = searchCorpus();
      result.corpus = {
        what: `test/corpus/search: ${docs.length} documents (one chunk each), ${queries.length} queries with known targets; GloVe-100d fp32 through the engine; latency is index.search() end to end (the query's embedding included)`,
        float32: await ourIndex(engine, 'float32'),
        int8: await ourIndex(engine, 'int8'),
        orama: await oramaCorpus(engine),
      };
    } finally {
      await engine.dispose();
    }
  } else {
    log('search: SKIP the corpus half: ../shared/models/glove-100d-static-onnx is absent');
    result.corpus = { skipped: '../shared/models/glove-100d-static-onnx is absent' };
  }
  result.scale = await searchScale(cfg);
  result.targets = { p95MsAt1e4: 20, p95MsAt1e5: 50 };
  return result;
}

/**
 * Embeddings (issue 8): edgewise vs transformers.js `feature-extraction` on the same
 * encoder files (the generated MiniLM-L6-shaped model), same EP and threads, in one page.
 * Texts/s at batch 1 and batch 32, and 10,000 short texts; memory sampled during the
 * 1,000- and 10,000-text runs through the runner's `benchMemory` hook (DevTools protocol).
 */
import { env, pipeline } from '@huggingface/transformers';
import { createEngine } from '/dist/edgewise.js';
import { type BenchConfig, log, median, now, round } from './util.js';

declare global {
  interface Window {
    benchMemoryStart?: () => Promise<void>;
    benchMemoryStop?: () => Promise<{ peakWorkerBytes: number; peakPageBytes: number; samples: number; workerBytesAfterGc: number }>;
  }
}

const WORDS = 'the a quick brown fox jumps over lazy dog cat sat on carpet kitten rug shares plunged earnings report market river mountain village story child garden light storm night lamp keeper'.split(' ');

/** Deterministic sentences of 6–40 words: the spread of lengths is what batching by length exploits. */
function sentences(n: number, seed: number, maxWords = 40): string[] {
  let s = seed >>> 0;
  const rand = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  return Array.from({ length: n }, () => Array.from({ length: 6 + Math.floor(rand() * (maxWords - 5)) }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' '));
}

type Embedder = (texts: string[], batchSize: number) => Promise<number>;

async function textsPerSecond(run: Embedder, texts: string[], batchSize: number, runs: number): Promise<number | null> {
  await run(texts.slice(0, Math.min(texts.length, batchSize * 2)), batchSize);
  const rates: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = now();
    const n = await run(texts, batchSize);
    rates.push((n * 1000) / (now() - t0));
  }
  return round(median(rates), 1);
}

export async function embedBench(cfg: BenchConfig): Promise<unknown> {
  const model = cfg.embedModel;
  const engine = createEngine({ embeddingModel: { id: model, url: `${cfg.modelsUrl}/fixtures/${model}/`, dtype: 'fp32' }, numThreads: cfg.numThreads, cache: false });
  await engine.load();
  const ours: Embedder = async (texts, batchSize) => {
    if (batchSize === 1) {
      for (const t of texts) await engine.embed([t], { batchSize: 1, pooling: 'mean' });
    } else {
      await engine.embed(texts, { batchSize, pooling: 'mean' });
    }
    return texts.length;
  };

  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.useBrowserCache = false;
  env.localModelPath = '/fixtures/';
  const wasm = env.backends.onnx.wasm as { wasmPaths?: string; numThreads?: number };
  wasm.wasmPaths = cfg.tjsWasmPaths;
  wasm.numThreads = cfg.numThreads;
  const extractor = await pipeline('feature-extraction', model, { dtype: 'fp32', device: 'wasm' });
  // As a transformers.js user batches: consecutive slices, each padded to its longest text.
  const theirs: Embedder = async (texts, batchSize) => {
    for (let i = 0; i < texts.length; i += batchSize) {
      const out = await extractor(batchSize === 1 ? (texts[i] as string) : texts.slice(i, i + batchSize), { pooling: 'mean', normalize: true });
      out.dispose();
    }
    return texts.length;
  };

  const runs = Math.max(2, Math.ceil(cfg.genRuns / 2));
  const result: Record<string, unknown> = { model, dtype: 'fp32', pooling: 'mean', runs };
  for (const [label, texts, batch] of [['batch 1 (64 texts of 6–40 words)', sentences(64, 1), 1], ['batch 32 (512 texts of 6–40 words)', sentences(512, 2), 32]] as const) {
    const a = await textsPerSecond(ours, [...texts], batch, runs);
    const b = await textsPerSecond(theirs, [...texts], batch, runs);
    result[label] = { edgewiseTextsPerSec: a, transformersjsTextsPerSec: b, ratio: a && b ? round(a / b, 2) : null };
    log(`embed ${label}: edgewise ${a} texts/s, transformers.js ${b} texts/s`);
  }

  // 10,000 short texts, once each (a user indexing notes), with memory sampled meanwhile.
  const short = sentences(10_000, 3, 12);
  const memory: Record<string, unknown> = {};
  for (const n of [1_000, 5_000, 10_000]) {
    await window.benchMemoryStart?.();
    const t0 = now();
    const v = await engine.embed(short.slice(0, n), { batchSize: 32, pooling: 'mean' });
    const ms = now() - t0;
    const m = await window.benchMemoryStop?.();
    memory[`${n} texts`] = { ms: round(ms, 0), textsPerSec: round((n * 1000) / ms, 1), vectors: v.length, ...(m ?? {}) };
    log(`embed ${n} short texts: ${round(ms, 0)} ms; peak worker memory ${m ? round(m.peakWorkerBytes / 1e6, 1) : '?'} MB, ${m ? round(m.workerBytesAfterGc / 1e6, 1) : '?'} MB after GC`);
  }
  const t1 = now();
  await theirs(short, 32);
  const tjsMs = now() - t1;
  result['10,000 short texts (batch 32)'] = {
    edgewiseMs: (memory['10000 texts'] as { ms: number }).ms, transformersjsMs: round(tjsMs, 0),
    ratio: round(tjsMs / (memory['10000 texts'] as { ms: number }).ms, 2), memory,
  };
  await extractor.dispose();
  await engine.dispose();
  return result;
}

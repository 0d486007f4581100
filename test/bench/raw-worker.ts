/**
 * The `cpu` part's dedicated worker (bundled by run.mjs as /bench/raw-worker.js, started by
 * cpu-bench.ts): plain onnxruntime-web (the 1.30 WASM build edgewise ships in /dist/, bundled
 * here like the page bundles it), no SDK.
 *
 * - `open` + `run`: the raw decode loop. One run prefills the prompt in one session.run, then
 *   greedy-decodes a fixed number of tokens, feeding `present.*` back as
 *   `past_key_values.*` (the Optimum layout src/backends/onnx/decoder.ts drives). A worker's
 *   thread count is fixed when its runtime starts, so each thread count gets a fresh worker.
 * - `quality`: the weight transform's quality guard on stories260K (the browser port of
 *   test/tmp-guard.ts), on one thread, as the Node test runs it.
 */
import * as ort from 'onnxruntime-web/wasm';
import { Tokenizer } from '@huggingface/tokenizers';
import { transformModel } from '../../src/backends/onnx/transform/index.js';
import { qualityGuard, sessionLogits, windows, type GuardFigures, type KvLayout } from '../quality/guard.js';
import { STORIES } from '../quality/stories-text.js';

export interface RawOpen {
  type: 'open';
  /** Where /dist/ (ort-wasm-simd-threaded.mjs/.wasm) is served. */
  wasmPaths: string;
  threads: number;
  modelUrl: string;
  layout: KvLayout;
  /**
   * Run the file through the weight transform first, with the options edgewise's worker uses
   * (src/backends/onnx/weights.ts): the form edgewise runs, without the SDK around it.
   */
  transform?: { form: 'int8' | 'fp32'; tiedEmbeddings: boolean };
}

export interface RawRun {
  type: 'run';
  promptIds: number[];
  /** Tokens to produce: the prefill's token plus `tokens − 1` decode steps. */
  tokens: number;
}

export interface RawRunResult {
  ttftMs: number;
  decodeTokPerSec: number | null;
  completionTokens: number;
  promptTokens: number;
  totalMs: number;
  prefillMs: number;
  ids: number[];
}

export interface QualityRequest {
  type: 'quality';
  wasmPaths: string;
  /** The stories260K-onnx folder URL, ending in `/`. */
  baseUrl: string;
  positions: number;
  /** The documented greedy sample (MODEL_CARD.md), or null when it could not be parsed. */
  oracle: string | null;
  oraclePrompt: string;
  oracleTokens: number;
}

type Request = RawOpen | RawRun | QualityRequest;

let session: ort.InferenceSession | undefined;
let layout: KvLayout | undefined;
let hasPositionIds = true;

function configure(wasmPaths: string, threads: number): void {
  ort.env.wasm.wasmPaths = wasmPaths;
  ort.env.wasm.numThreads = threads;
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

async function open(m: RawOpen): Promise<Record<string, unknown>> {
  configure(m.wasmPaths, m.threads);
  layout = m.layout;
  let t = performance.now();
  const bytes = await fetchBytes(m.modelUrl);
  const fetchMs = performance.now() - t;
  let graph = bytes;
  let externalData: { path: string; data: Uint8Array }[] = [];
  let transformed: Record<string, unknown> | undefined;
  if (m.transform) {
    t = performance.now();
    // lastPositionLogits: newer transform versions (the option is ignored where unknown).
    const options = { form: m.transform.form, tiedEmbeddings: m.transform.tiedEmbeddings, dataName: 'model.data', lastPositionLogits: true };
    const out = await transformModel(bytes, new Map(), options as Parameters<typeof transformModel>[2]);
    if (!out) throw new Error(`${m.modelUrl}: transformModel found nothing to rewrite`);
    graph = out.graph;
    externalData = [{ path: 'model.data', data: out.data }];
    transformed = { form: m.transform.form, ms: Math.round(performance.now() - t), graphBytes: out.graph.length, dataBytes: out.data.length, matmuls: out.matmuls, tiedEmbedding: out.tiedEmbedding };
  }
  t = performance.now();
  // The options edgewise's createSession uses on WASM.
  session = await ort.InferenceSession.create(graph, { executionProviders: ['wasm'], graphOptimizationLevel: 'all', externalData });
  const sessionMs = performance.now() - t;
  hasPositionIds = session.inputNames.includes('position_ids');
  return { bytes: bytes.length, fetchMs: Math.round(fetchMs), ...(transformed ? { transformed } : {}), sessionMs: Math.round(sessionMs), ortVersion: ort.env.versions?.web ?? null, threads: ort.env.wasm.numThreads };
}

function emptyPast(l: KvLayout): Record<string, ort.Tensor> {
  const past: Record<string, ort.Tensor> = {};
  for (let i = 0; i < l.layers; i++) {
    for (const kv of ['key', 'value']) past[`past_key_values.${i}.${kv}`] = new ort.Tensor('float32', new Float32Array(0), [1, l.kvHeads, 0, l.headDim]);
  }
  return past;
}

function lastArgmax(logits: ort.Tensor): number {
  const data = logits.data as Float32Array;
  const vocab = logits.dims[logits.dims.length - 1] as number;
  const start = data.length - vocab;
  let best = 0;
  let bestValue = -Infinity;
  for (let i = 0; i < vocab; i++) {
    const v = data[start + i] as number;
    if (v > bestValue) { bestValue = v; best = i; }
  }
  return best;
}

async function run(m: RawRun): Promise<RawRunResult> {
  if (!session || !layout) throw new Error('run before open');
  const s = session;
  const l = layout;
  let past = emptyPast(l);
  let pastLength = 0;
  let input = m.promptIds;
  const ids: number[] = [];
  const t0 = performance.now();
  let tFirst = 0;
  let prefillMs = 0;
  for (let step = 0; step < m.tokens; step++) {
    const n = input.length;
    const total = pastLength + n;
    const feeds: Record<string, ort.Tensor> = {
      ...past,
      input_ids: new ort.Tensor('int64', BigInt64Array.from(input, BigInt), [1, n]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(total).fill(1n), [1, total]),
    };
    if (hasPositionIds) feeds.position_ids = new ort.Tensor('int64', BigInt64Array.from({ length: n }, (_, i) => BigInt(pastLength + i)), [1, n]);
    const ts = performance.now();
    const out = await s.run(feeds);
    if (step === 0) prefillMs = performance.now() - ts;
    const next: Record<string, ort.Tensor> = {};
    for (let i = 0; i < l.layers; i++) {
      for (const kv of ['key', 'value']) next[`past_key_values.${i}.${kv}`] = out[`present.${i}.${kv}`] as ort.Tensor;
    }
    past = next;
    pastLength = total;
    const id = lastArgmax(out.logits as ort.Tensor);
    ids.push(id);
    if (step === 0) tFirst = performance.now();
    input = [id];
  }
  const tEnd = performance.now();
  const n = ids.length;
  return {
    ttftMs: tFirst - t0,
    decodeTokPerSec: n > 1 ? ((n - 1) * 1000) / (tEnd - tFirst) : null,
    completionTokens: n,
    promptTokens: m.promptIds.length,
    totalMs: tEnd - t0,
    prefillMs,
    ids,
  };
}

// ---------------------------------------------------------------------------------------
// Quality guard (stories260K)

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;
const figures = (g: GuardFigures): Record<string, number> => ({
  positions: g.positions,
  top1Agreement: round4(g.top1Agreement),
  referencePerplexity: round4(g.referencePerplexity),
  candidatePerplexity: round4(g.candidatePerplexity),
  perplexityChangePct: Math.round(g.perplexityChange * 1e4) / 100,
});

/** Greedy ids after `prompt` through the KV cache, one token per run. */
async function greedy(s: ort.InferenceSession, l: KvLayout, prompt: readonly number[], tokens: number): Promise<number[]> {
  let past = emptyPast(l);
  let pastLength = 0;
  let input = [...prompt];
  const out: number[] = [];
  for (let step = 0; step < tokens; step++) {
    const n = input.length;
    const total = pastLength + n;
    const r = await s.run({
      ...past,
      input_ids: new ort.Tensor('int64', BigInt64Array.from(input, BigInt), [1, n]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(total).fill(1n), [1, total]),
      position_ids: new ort.Tensor('int64', BigInt64Array.from({ length: n }, (_, i) => BigInt(pastLength + i)), [1, n]),
    });
    past = {};
    for (let i = 0; i < l.layers; i++) for (const kv of ['key', 'value']) past[`past_key_values.${i}.${kv}`] = r[`present.${i}.${kv}`] as ort.Tensor;
    pastLength = total;
    const id = lastArgmax(r.logits as ort.Tensor);
    out.push(id);
    input = [id];
  }
  return out;
}

const commonPrefix = (a: string, b: string): number => {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
};

async function quality(m: QualityRequest): Promise<Record<string, unknown>> {
  // One thread: deterministic, and how test/tmp-guard.ts runs it in Node.
  configure(m.wasmPaths, 1);
  const t0 = performance.now();
  const json = async (name: string): Promise<Record<string, unknown>> => (await (await fetch(m.baseUrl + name)).json()) as Record<string, unknown>;
  const [tokJson, tokConfig, config] = await Promise.all([json('tokenizer.json'), json('tokenizer_config.json'), json('config.json')]);
  const tok = new Tokenizer(tokJson, tokConfig);
  const l: KvLayout = { layers: config.num_hidden_layers as number, kvHeads: config.num_key_value_heads as number, headDim: (config.head_dim as number | undefined) ?? (config.hidden_size as number) / (config.num_attention_heads as number) };
  const vocab = config.vocab_size as number;
  const bos = (config.bos_token_id as number | undefined) ?? 1;
  const context = (config.max_position_embeddings as number | undefined) ?? 512;
  const stories = STORIES.map((s) => tok.encode(s, { add_special_tokens: false }).ids);
  const wins = windows(stories, bos, context, m.positions);
  const open = (graph: Uint8Array, data?: Uint8Array): Promise<ort.InferenceSession> =>
    ort.InferenceSession.create(graph, { executionProviders: ['wasm'], graphOptimizationLevel: 'all', ...(data ? { externalData: [{ path: 'model.data', data }] } : {}) });

  // The oracle: the fp32 file greedy-decodes to the sample its model card documents.
  const fp32File = await open(await fetchBytes(`${m.baseUrl}onnx/model.onnx`));
  const enc = tok.encode(m.oraclePrompt).ids;
  const promptIds = enc[0] === bos ? enc : [bos, ...enc];
  const textOf = (gen: number[]): string => tok.decode([...promptIds, ...gen], { skip_special_tokens: true });
  const oracleText = textOf(await greedy(fp32File, l, promptIds, m.oracleTokens));
  const want = m.oracle?.slice(0, 400) ?? null;
  const oracle = {
    prompt: m.oraclePrompt,
    tokens: m.oracleTokens,
    comparedChars: want?.length ?? 0,
    matches: want !== null && oracleText.slice(0, want.length) === want,
    matchingPrefixChars: want === null ? null : commonPrefix(oracleText, want),
    text: oracleText.slice(0, 160),
    expected: want?.slice(0, 160) ?? null,
  };

  const sources: Record<string, unknown> = {};
  for (const name of ['model_q4.onnx', 'model_int8.onnx']) {
    const src = await fetchBytes(`${m.baseUrl}onnx/${name}`);
    const t = performance.now();
    const base = { tiedEmbeddings: true, dataName: 'model.data' } as const;
    const f = await transformModel(src, new Map(), { form: 'fp32', ...base });
    const i = await transformModel(src, new Map(), { form: 'int8', ...base });
    const mixed = await transformModel(src, new Map(), { form: 'int8', ...base, keepFp32: (w) => /lm_head|down_proj/.test(w) });
    const transformMs = performance.now() - t;
    if (!f || !i || !mixed) throw new Error(`${name}: transformModel found nothing to rewrite`);
    const [sf, si, sm] = [await open(f.graph, f.data), await open(i.graph, i.data), await open(mixed.graph, mixed.data)];
    const fn = (s: ort.InferenceSession, mode: 'window' | 'step') => sessionLogits(ort as never, s as never, l, mode);
    const int8Step = await qualityGuard(fn(sf, 'step'), fn(si, 'step'), wins, vocab);
    const int8Window = await qualityGuard(fn(sf, 'window'), fn(si, 'window'), wins, vocab);
    const mixedWindow = await qualityGuard(fn(sf, 'window'), fn(sm, 'window'), wins, vocab);
    const mixedStep = await qualityGuard(fn(sf, 'step'), fn(sm, 'step'), wins, vocab);
    // Against the original fp32 file instead: how far the source file and its int8 form are from it.
    const asIs = await open(src);
    const sourceVsFile = await qualityGuard(fn(fp32File, 'step'), fn(asIs, 'step'), wins, vocab);
    const int8VsFile = await qualityGuard(fn(fp32File, 'step'), fn(si, 'step'), wins, vocab);
    await asIs.release();
    // The int8 form's own greedy text from the oracle prompt, against the documented sample.
    const int8Text = textOf(await greedy(si, l, promptIds, m.oracleTokens));
    sources[name] = {
      sourceBytes: src.length,
      transformMs: Math.round(transformMs),
      int8Form: { linears: i.linears, matmuls: i.matmuls, tiedEmbedding: i.tiedEmbedding, graphBytes: i.graph.length, dataBytes: i.data.length },
      fp32Form: { linears: f.linears, matmuls: f.matmuls, graphBytes: f.graph.length, dataBytes: f.data.length },
      mixedForm: { linears: mixed.linears, matmuls: mixed.matmuls, tiedEmbedding: mixed.tiedEmbedding, dataBytes: mixed.data.length },
      int8VsFp32Form: { step: figures(int8Step), window: figures(int8Window) },
      mixedVsFp32Form: { window: figures(mixedWindow), step: figures(mixedStep) },
      againstFp32File: { sourceAsIs: { step: figures(sourceVsFile) }, int8Form: { step: figures(int8VsFile) } },
      int8FormGreedyMatchingPrefixChars: want === null ? null : commonPrefix(int8Text, want),
    };
    for (const s of [sf, si, sm]) await s.release();
  }
  await fp32File.release();
  return {
    model: 'stories260K',
    positions: m.positions,
    windows: wins.length,
    context,
    storyTokens: stories.reduce((a, s) => a + s.length, 0),
    reference: 'fp32 form (transformModel form fp32, tiedEmbeddings true) of the same source file',
    oracle,
    sources,
    ms: Math.round(performance.now() - t0),
  };
}

self.onmessage = async (e: MessageEvent<Request>) => {
  try {
    const m = e.data;
    const ok = m.type === 'open' ? await open(m) : m.type === 'run' ? await run(m) : await quality(m);
    self.postMessage({ ok });
  } catch (err) {
    self.postMessage({ error: String((err as Error)?.stack ?? err) });
  }
};

/**
 * The `cpu` part, page side (run.mjs drives it, one fresh page per call):
 *
 * - `runCpuSpeed(cfg, threads)`: decode tok/s and TTFT at one thread count for five
 *   contenders on the same bench model: edgewise with default options (its own worker),
 *   transformers.js on the q4 files (main thread; the page's runtime has this thread count),
 *   and the raw onnxruntime-web loop (raw-worker.ts, a fresh dedicated worker each) on the q4
 *   file, on its int8 form (transformModel in the worker: edgewise's form without the SDK) and
 *   on the fp32 file, and the llama.cpp peers on the GGUF files of the same weights (cpu-peers.ts:
 *   wllama in this page, native llama.cpp in run.mjs's process). All stay loaded, and runs
 *   are interleaved, rotating the order. At BENCH_CPU_PROMPT_THREADS, the long-prompt TTFT
 *   rounds follow (cpu-long-prompts.ts).
 * - `runCpuMemory(cfg, form)`: the edgewise worker's memory with `wasmWeights: form`, after
 *   load and after one generation (what is measured: see `measure()` and run.mjs).
 * - `runCpuQuality(cfg)`: the weight transform's quality guard on stories260K, in raw-worker.ts.
 */
import { Tokenizer } from '@huggingface/tokenizers';
import { createEngine } from '/dist/edgewise.js';
import type { Engine, EngineOptions } from '/dist/edgewise.js';
import { buildPrompts, longPromptTtft, type LongPrompt, type TtftRunner } from './cpu-long-prompts.js';
import { loadPeers, nonUtf8ByteTokens, type Peer, type PeerConfig, type PeerKey } from './cpu-peers.js';
import { edgewiseRun, eosIdsOf, loadTransformersJs, type GenRun, type TjsHandle } from './gen-bench.js';
import type { QualityRequest, RawOpen, RawRunResult } from './raw-worker.js';
import { type BenchConfig, MB, log, median, modelSpec, now, range, round } from './util.js';

/** What run.mjs adds to the config for this part. */
export interface CpuConfig extends BenchConfig {
  cpu: {
    /** Same-origin URL of the float32 file of the bench model (run.mjs makes sure it exists). */
    fp32Url: string;
    /** Same-origin URL of the q4 file. */
    q4Url: string;
    /** Where /dist/ is served (the raw loop uses edgewise's onnxruntime-web build). */
    wasmPaths: string;
    /** stories260K-onnx folder on the model server, ending in `/`. */
    storiesUrl: string;
    qualityPositions: number;
    /** Also measure a second load of each form from the cache (the transform result stored). */
    memoryCachedLoad: boolean;
    /** The engine's numThreads in the memory step. */
    memoryThreads: number;
    /** The llama.cpp peers (wllama, native) and their GGUF files. */
    peers: PeerConfig;
    /** Prompt lengths of the long-prompt TTFT rounds, the thread counts that run them, and their runs. */
    longPrompts: number[];
    longPromptThreads: number[];
    longPromptRuns: number;
    /** Which loaded peers also take the long-prompt rounds. */
    longPromptPeers: PeerKey[];
  };
}

/** The engine API the weight transform adds; cast, so this file compiles before and after it lands. */
interface WeightsInfo {
  form: 'int8' | 'fp32' | 'source';
  reason: string;
  transform: 'stored' | 'ran' | 'none';
  transformMs?: number;
  bytes?: number;
}
type Form = 'auto' | 'int8' | 'fp32' | 'source';

function engineFor(cfg: BenchConfig, threads: number, wasmWeights?: Form): Engine {
  const options = { model: modelSpec(cfg), cache: true, numThreads: threads, ...(wasmWeights ? { wasmWeights } : {}) };
  return createEngine(options as unknown as EngineOptions);
}

async function weightsOf(engine: Engine): Promise<{ weights: WeightsInfo | null; threads: number | null }> {
  const m = (await engine.info()).model as { weights?: WeightsInfo; threads?: number } | undefined;
  return { weights: m?.weights ?? null, threads: m?.threads ?? null };
}

// ---------------------------------------------------------------------------------------
// The raw loop's worker

interface RawWorker {
  call<T>(message: unknown): Promise<T>;
  terminate(): void;
}

function rawWorker(): RawWorker {
  const w = new Worker('/bench/raw-worker.js', { type: 'module', name: 'bench-raw' });
  let pending: { ok: (v: unknown) => void; fail: (e: Error) => void } | undefined;
  w.onmessage = (e: MessageEvent<{ ok?: unknown; error?: string }>) => {
    const p = pending;
    pending = undefined;
    if (e.data.error !== undefined) p?.fail(new Error(e.data.error));
    else p?.ok(e.data.ok);
  };
  w.onerror = (e) => { pending?.fail(new Error(`raw worker: ${e.message}`)); pending = undefined; };
  return {
    call: <T>(message: unknown) => new Promise<T>((ok, fail) => {
      if (pending) return fail(new Error('raw worker is busy'));
      pending = { ok: ok as (v: unknown) => void, fail };
      w.postMessage(message);
    }),
    terminate: () => w.terminate(),
  };
}

interface Layout { layers: number; kvHeads: number; headDim: number; tiedEmbeddings: boolean }

async function modelFacts(cfg: BenchConfig): Promise<{ layout: Layout; promptIds: number[]; tokenizer: Tokenizer; vocab: Record<string, number> }> {
  const base = `${cfg.modelsUrl}/fixtures/${cfg.model}/`;
  const get = async (f: string): Promise<Record<string, unknown>> => (await (await fetch(base + f)).json()) as Record<string, unknown>;
  const [config, tokJson, tokConfig] = await Promise.all([get('config.json'), get('tokenizer.json'), get('tokenizer_config.json')]);
  const layout = {
    layers: config.num_hidden_layers as number,
    kvHeads: config.num_key_value_heads as number,
    headDim: (config.head_dim as number | undefined) ?? (config.hidden_size as number) / (config.num_attention_heads as number),
    tiedEmbeddings: config.tie_word_embeddings !== false,
  };
  // The ids transformers.js feeds for the same prompt (the tokenizer's own special tokens).
  const tokenizer = new Tokenizer(tokJson, tokConfig);
  const promptIds = tokenizer.encode(cfg.prompt).ids;
  return { layout, promptIds, tokenizer, vocab: (tokJson.model as { vocab: Record<string, number> }).vocab };
}

// ---------------------------------------------------------------------------------------
// Speed

type RawKey = 'rawQ4' | 'rawInt8' | 'rawFp32';
type Contender = 'edgewise' | 'transformersjs' | RawKey | PeerKey;
type Run = GenRun & { ids: number[]; text?: string };

function summarize(runs: readonly Run[], extra: Record<string, unknown>): Record<string, unknown> {
  return {
    ttftMs: round(median(runs.map((r) => r.ttftMs))),
    decodeTokPerSec: round(median(runs.map((r) => r.decodeTokPerSec)), 2),
    ttftMsRange: range(runs.map((r) => r.ttftMs)),
    decodeTokPerSecRange: range(runs.map((r) => r.decodeTokPerSec)),
    completionTokens: median(runs.map((r) => r.completionTokens)),
    promptTokens: runs[0]?.promptTokens ?? null,
    ...extra,
    runs: runs.map((r) => ({ ttftMs: r.ttftMs, decodeTokPerSec: r.decodeTokPerSec, completionTokens: r.completionTokens, totalMs: r.totalMs, ...(r.finishReason ? { finishReason: r.finishReason } : {}) })),
  };
}

function sameIds(a: readonly number[], b: readonly number[]): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

export async function runCpuSpeed(cfg: CpuConfig, threads: number): Promise<Record<string, unknown>> {
  const c = { ...cfg, numThreads: threads };
  const { layout, promptIds, tokenizer, vocab } = await modelFacts(c);
  const eos = await eosIdsOf(c);
  let engine: Engine | undefined;
  let tjs: TjsHandle | undefined;
  const raw: Partial<Record<RawKey, RawWorker>> = {};
  let peers: Partial<Record<PeerKey, Peer>> = {};
  const loads: Record<string, unknown> = {};
  // loadTransformersJs reads `prompt` and `maxTokens` from this object at each run: the
  // long-prompt rounds set them (gen-bench.ts's run() has no parameters).
  const tjsCfg = { ...c };
  try {
    log(`cpu ${threads}T: loading edgewise (default options)`);
    engine = engineFor(c, threads);
    let t0 = now();
    await engine.load();
    const ewInfo = await weightsOf(engine);
    loads.edgewise = { loadMs: round(now() - t0), ...ewInfo };
    log(`cpu ${threads}T: edgewise weights ${JSON.stringify(ewInfo.weights)}, threads ${ewInfo.threads}`);

    log(`cpu ${threads}T: loading transformers.js`);
    tjs = await loadTransformersJs(tjsCfg, eos);
    loads.transformersjs = { loadMs: tjs.loadMs, ortVersion: tjs.ortVersion };

    const int8 = { form: 'int8', tiedEmbeddings: layout.tiedEmbeddings } as const;
    for (const [key, url, transform] of [['rawQ4', cfg.cpu.q4Url, undefined], ['rawInt8', cfg.cpu.q4Url, int8], ['rawFp32', cfg.cpu.fp32Url, undefined]] as const) {
      log(`cpu ${threads}T: loading the raw loop on ${url}${transform ? ' (int8 form)' : ''}`);
      const w = rawWorker();
      raw[key] = w;
      t0 = now();
      const opened = await w.call<Record<string, unknown>>({ type: 'open', wasmPaths: cfg.cpu.wasmPaths, threads, modelUrl: url, layout, ...(transform ? { transform } : {}) } satisfies RawOpen);
      loads[key] = { loadMs: round(now() - t0), file: url, ...opened };
    }

    const loaded = await loadPeers(cfg.cpu.peers, threads, nonUtf8ByteTokens(vocab));
    peers = loaded.peers;
    for (const [k, p] of Object.entries(peers)) loads[k] = p.info;

    // Everything is loaded. Wait (up to ~20 s) for the browser to go quiet: V8 compiles the
    // runtimes' WASM in the background for a while after they start, and an idle runtime that
    // spun its threads would slow the others during every run.
    const idleCpuCores: (number | null)[] = [];
    for (let i = 0; i < 10; i++) {
      const cores = (await window.benchCpuIdle?.(2000)) ?? null;
      idleCpuCores.push(cores);
      if (cores === null || cores < 0.15) break;
    }
    const settled = idleCpuCores[idleCpuCores.length - 1] ?? null;
    if (settled !== null && settled >= 0.15) log(`cpu ${threads}T: warning: the browser still uses ${settled} cores while every contender is idle`);

    const rawRun = async (w: RawWorker): Promise<Run> => {
      const r = await w.call<RawRunResult>({ type: 'run', promptIds, tokens: c.maxTokens });
      return { ttftMs: round(r.ttftMs), decodeTokPerSec: round(r.decodeTokPerSec, 2), completionTokens: r.completionTokens, promptTokens: r.promptTokens, pageTtftMs: null, pageDecodeTokPerSec: null, totalMs: round(r.totalMs) as number, stoppedOnEos: false, ids: r.ids };
    };
    const peerRun = async (p: Peer): Promise<Run> => {
      const r = await p.run(c.prompt, promptIds, c.maxTokens);
      return { ...r, pageTtftMs: null, pageDecodeTokPerSec: null, stoppedOnEos: false, promptTokens: r.promptTokens ?? promptIds.length };
    };
    const ew = engine;
    const tj = tjs;
    const peerRunners = Object.fromEntries(Object.entries(peers).map(([k, p]) => [k, () => peerRun(p)]));
    const runners: Record<string, () => Promise<Run>> = {
      ...peerRunners,
      edgewise: () => edgewiseRun(ew, c),
      transformersjs: () => tj.run(),
      rawQ4: () => rawRun(raw.rawQ4 as RawWorker),
      rawInt8: () => rawRun(raw.rawInt8 as RawWorker),
      rawFp32: () => rawRun(raw.rawFp32 as RawWorker),
    };
    const order = ['edgewise', 'transformersjs', 'rawQ4', 'rawInt8', 'rawFp32', ...Object.keys(peers)] as Contender[];
    log(`cpu ${threads}T: warm-up runs`);
    const warmup: Partial<Record<Contender, Run>> = {};
    for (const k of order) warmup[k] = await (runners[k] as () => Promise<Run>)();
    const runs = Object.fromEntries(order.map((k) => [k, [] as Run[]])) as Record<Contender, Run[]>;
    for (let i = 0; i < c.genRuns; i++) {
      // Interleaved, and the order rotates each round, so drift and position hit all alike.
      const round_ = [...order.slice(i % order.length), ...order.slice(0, i % order.length)];
      const line: string[] = [];
      for (const k of round_) {
        const r = await (runners[k] as () => Promise<Run>)();
        runs[k].push(r);
        line.push(`${k} ${r.decodeTokPerSec} tok/s ttft ${r.ttftMs} ms`);
      }
      log(`cpu ${threads}T run ${i + 1}/${c.genRuns}: ${line.join(' | ')}`);
    }
    const out: Record<string, unknown> = { threads, promptTokens: promptIds.length, idleCpuCores: settled, idleCpuCoresSamples: idleCpuCores, ...(Object.keys(loaded.skipped).length ? { peersSkipped: loaded.skipped } : {}) };
    for (const k of order) {
      const w = warmup[k] as Run;
      out[k] = summarize(runs[k], { ...(loads[k] as Record<string, unknown>), warmupRun: { ttftMs: w.ttftMs, decodeTokPerSec: w.decodeTokPerSec } });
    }
    // Greedy ids: transformers.js must match the raw q4 loop, edgewise the raw loop on its own
    // form (int8 here, when the engine chose it).
    const agree = (k: Contender, ref: Contender): { identicalPrefix: number; of: number } => {
      const a = runs[k][0]?.ids ?? [];
      const b = runs[ref][0]?.ids ?? [];
      return { identicalPrefix: sameIds(a, b), of: Math.min(a.length, b.length) };
    };
    out.tokenAgreement = {
      transformersjsVsRawQ4: agree('transformersjs', 'rawQ4'),
      edgewiseVsRawQ4: agree('edgewise', 'rawQ4'),
      edgewiseVsRawInt8: agree('edgewise', 'rawInt8'),
      edgewiseVsRawFp32: agree('edgewise', 'rawFp32'),
    };
    out.firstIds = Object.fromEntries(order.map((k) => [k, runs[k][0]?.ids.slice(0, 8) ?? []]));
    // wllama streams text, not ids: its text against native llama.cpp's on the same file
    // (same library and weights; only the SIMD kernels differ, and the byte tokens wllama bans).
    const texts: Record<string, string | null> = Object.fromEntries((['wllamaQ8', 'nativeQ8', 'wllamaQ4', 'nativeQ4'] as const).map((k) => [k, runs[k]?.[0]?.text ?? null]));
    const prefix = (a: string | null, b: string | null): number | null => {
      if (a === null || b === null) return null;
      let i = 0;
      while (i < a.length && i < b.length && a[i] === b[i]) i++;
      return i;
    };
    out.peerText = { sample: texts, wllamaQ8VsNativeQ8SameChars: prefix(texts.wllamaQ8 ?? null, texts.nativeQ8 ?? null), wllamaQ4VsNativeQ4SameChars: prefix(texts.wllamaQ4 ?? null, texts.nativeQ4 ?? null) };
    if (cfg.cpu.longPromptThreads.includes(threads) && cfg.cpu.longPrompts.length > 0) {
      out.longPrompts = await longPrompts(cfg.cpu, tokenizer, c, tjsCfg, ew, tj, peers, threads);
    }
    return out;
  } finally {
    await engine?.dispose();
    await tjs?.dispose();
    for (const w of Object.values(raw)) w.terminate();
    for (const p of Object.values(peers)) await p.dispose();
  }
}

/** TTFT at each long-prompt length: edgewise, transformers.js and the chosen peers (2 tokens each). */
async function longPrompts(cpu: CpuConfig['cpu'], tok: Tokenizer, c: CpuConfig, tjsCfg: CpuConfig, ew: Engine, tj: TjsHandle, peers: Partial<Record<PeerKey, Peer>>, threads: number): Promise<Record<string, unknown>> {
  const prompts = buildPrompts(tok, c.prompt, cpu.longPrompts);
  const runners: Record<string, TtftRunner> = {
    edgewise: async (p: LongPrompt) => {
      const r = await edgewiseRun(ew, { ...c, prompt: p.text, maxTokens: 2 });
      return { ttftMs: r.ttftMs, promptTokens: r.promptTokens };
    },
    transformersjs: async (p: LongPrompt) => {
      tjsCfg.prompt = p.text;
      tjsCfg.maxTokens = 2;
      try {
        const r = await tj.run();
        return { ttftMs: r.ttftMs, promptTokens: r.promptTokens };
      } finally {
        tjsCfg.prompt = c.prompt;
        tjsCfg.maxTokens = c.maxTokens;
      }
    },
  };
  for (const k of cpu.longPromptPeers) {
    const peer = peers[k];
    if (peer) runners[k] = async (p: LongPrompt) => {
      const r = await peer.run(p.text, p.ids, 2);
      return { ttftMs: r.ttftMs, promptTokens: r.promptTokens };
    };
  }
  log(`cpu ${threads}T: long prompts ${prompts.map((p) => p.tokens).join(', ')} tokens, ${cpu.longPromptRuns} runs: ${Object.keys(runners).join(', ')}`);
  const byLength = await longPromptTtft(runners, prompts, cpu.longPromptRuns, `cpu ${threads}T`);
  const ttft = (n: number, k: string): number | null => ((byLength[String(n)] as Record<string, { ttftMs: number | null }> | undefined)?.[k]?.ttftMs ?? null);
  const ratio = (a: number | null, b: number | null): number | null => (a && b ? round(a / b, 2) : null);
  return {
    threads,
    runs: cpu.longPromptRuns,
    tokensPerRun: 2,
    byLength,
    edgewiseOverTjsTtft: Object.fromEntries(prompts.map((p) => [p.tokens, ratio(ttft(p.tokens, 'edgewise'), ttft(p.tokens, 'transformersjs'))])),
    edgewiseOverWllamaQ8Ttft: Object.fromEntries(prompts.map((p) => [p.tokens, ratio(ttft(p.tokens, 'edgewise'), ttft(p.tokens, 'wllamaQ8'))])),
    edgewiseOverNativeQ8Ttft: Object.fromEntries(prompts.map((p) => [p.tokens, ratio(ttft(p.tokens, 'edgewise'), ttft(p.tokens, 'nativeQ8'))])),
  };
}

// ---------------------------------------------------------------------------------------
// Memory

interface UasmEntry { bytes: number; attribution: { url?: string; scope?: string }[]; types: string[] }

/**
 * `performance.measureUserAgentSpecificMemory()` (Chromium, cross-origin isolated pages;
 * run.mjs enables ForceEagerMeasureMemory so it answers at once): bytes of every live
 * JavaScript object per realm, ArrayBuffer backing stores included, so a worker's
 * WebAssembly.Memory counts in the realm that holds its buffer. onnxruntime's thread workers
 * each hold the same SharedArrayBuffer, so each of them is attributed the whole WASM memory
 * again: they are reported apart, and never added to the SDK worker's figure.
 */
async function uasm(): Promise<Record<string, unknown> | null> {
  const m = (performance as unknown as { measureUserAgentSpecificMemory?: () => Promise<{ bytes: number; breakdown: UasmEntry[] }> }).measureUserAgentSpecificMemory;
  if (!m) return null;
  try {
    const r = await m.call(performance);
    const out = { totalBytes: r.bytes, sdkWorkerBytes: 0, ortThreadWorkerBytes: [] as number[], rawWorkerBytes: 0, pageBytes: 0, otherBytes: 0 };
    for (const e of r.breakdown) {
      const a = e.attribution;
      if (a.length !== 1) { out.otherBytes += e.bytes; continue; }
      const url = a[0]?.url ?? '';
      const scope = a[0]?.scope ?? '';
      if (scope === 'DedicatedWorkerGlobalScope' && url.includes('edgewise.worker')) out.sdkWorkerBytes += e.bytes;
      else if (scope === 'DedicatedWorkerGlobalScope' && url.includes('ort-wasm')) out.ortThreadWorkerBytes.push(e.bytes);
      else if (scope === 'DedicatedWorkerGlobalScope') out.rawWorkerBytes += e.bytes;
      else if (scope === 'Window') out.pageBytes += e.bytes;
      else out.otherBytes += e.bytes;
    }
    return out;
  } catch (e) {
    return { error: String(e) };
  }
}

declare global {
  interface Window {
    runCpuSpeed: (cfg: CpuConfig, threads: number) => Promise<Record<string, unknown>>;
    runCpuMemory: (cfg: CpuConfig, form: Form) => Promise<Record<string, unknown>>;
    runCpuQuality: (cfg: CpuConfig) => Promise<Record<string, unknown>>;
    /** run.mjs: cores the browser's processes use over `ms` (Linux /proc). */
    benchCpuIdle?: (ms: number) => Promise<number | null>;
    /** run.mjs, DevTools protocol: start sampling the SDK worker's heap every 100 ms / stop and return the peaks. */
    benchCpuMemory?: (what: 'start' | 'stop' | 'snapshot') => Promise<Record<string, unknown>>;
  }
}

async function measure(label: string, withUasm: boolean): Promise<Record<string, unknown>> {
  // The runner collects the SDK worker's garbage and reads its heap and the renderer's RSS first.
  let t = now();
  const devtools = (await window.benchCpuMemory?.('snapshot')) ?? null;
  const devtoolsMs = now() - t;
  t = now();
  // With onnxruntime thread workers alive it waits 60 s for them (they sit in Atomics.wait and
  // never answer), then leaves them out: only asked when the runtime has no threads.
  const userAgent = withUasm ? await uasm() : { skipped: 'measured only at 1 thread (ORT thread workers make it wait 60 s)' };
  return { at: label, devtools, measureUserAgentSpecificMemory: userAgent, ms: { devtools: round(devtoolsMs, 0), measureUserAgentSpecificMemory: round(now() - t, 0) } };
}

async function memoryPass(cfg: CpuConfig, form: Form, pass: 'first' | 'cached'): Promise<Record<string, unknown>> {
  const threads = cfg.cpu.memoryThreads;
  const withUasm = threads === 1;
  const engine = engineFor(cfg, threads, form);
  try {
    await engine.cache.usage(); // starts the worker, before the sampler looks for it
    const before = await measure('before load', withUasm);
    await window.benchCpuMemory?.('start');
    const t0 = now();
    await engine.load();
    const loadMs = now() - t0;
    const info = await weightsOf(engine);
    const afterLoad = await measure('after load', withUasm);
    const r = await edgewiseRun(engine, cfg);
    const afterGenerate = await measure('after one generation', withUasm);
    const peaks = (await window.benchCpuMemory?.('stop')) ?? null;
    const sdkMB = (m: Record<string, unknown>): string => {
      const d = (m.devtools as { sdkWorker?: { totalBytes?: number | null; wasmMemoryBytes?: number | null } } | null)?.sdkWorker;
      return d?.totalBytes == null ? '?' : `${round(d.totalBytes / MB, 1)} (WASM ${round((d.wasmMemoryBytes ?? 0) / MB, 1)})`;
    };
    log(`cpu memory ${form} (${pass} load): ${JSON.stringify(info.weights)}; SDK worker ${sdkMB(afterLoad)} MB after load, ${sdkMB(afterGenerate)} MB after one generation`);
    return {
      form, pass, requestedThreads: threads, loadMs: round(loadMs), ...info,
      generation: { completionTokens: r.completionTokens, decodeTokPerSec: r.decodeTokPerSec, ttftMs: r.ttftMs },
      before, afterLoad, afterGenerate, peaks,
    };
  } finally {
    await engine.dispose();
  }
}

export async function runCpuMemory(cfg: CpuConfig, form: Form): Promise<Record<string, unknown>> {
  const first = await memoryPass(cfg, form, 'first');
  const cached = cfg.cpu.memoryCachedLoad ? await memoryPass(cfg, form, 'cached') : null;
  return { first, cached };
}

// ---------------------------------------------------------------------------------------
// Quality

async function documentedSample(base: string): Promise<string | null> {
  // As test/browser/stories-oracle.test.ts reads it: the code block after "temperature 0.0".
  const card = await (await fetch(`${base}MODEL_CARD.md`)).text();
  const block = /```\n\$ [^\n]*\n([\s\S]*?)```/.exec(card.slice(card.indexOf('temperature 0.0')));
  return block?.[1] ?? null;
}

export async function runCpuQuality(cfg: CpuConfig): Promise<Record<string, unknown>> {
  const base = cfg.cpu.storiesUrl;
  const probe = await fetch(`${base}config.json`, { method: 'HEAD' }).catch(() => null);
  if (!probe?.ok) {
    const why = `SKIP quality guard: ${base} is not served (../shared/models/stories260K-onnx is absent)`;
    log(why);
    return { skipped: why };
  }
  const w = rawWorker();
  try {
    log('cpu quality: stories260K guard (2 sources × int8 / fp32 / mixed forms)');
    const oracle = await documentedSample(base);
    return await w.call<Record<string, unknown>>({
      type: 'quality', wasmPaths: cfg.cpu.wasmPaths, baseUrl: base, positions: cfg.cpu.qualityPositions,
      oracle, oraclePrompt: 'Once upon a time', oracleTokens: 200,
    } satisfies QualityRequest);
  } finally {
    w.terminate();
  }
}

/** Called by page.ts (a bare import would be dropped: the package says it has no side effects). */
export function registerCpuBench(): void {
  window.runCpuSpeed = runCpuSpeed;
  window.runCpuMemory = runCpuMemory;
  window.runCpuQuality = runCpuQuality;
}

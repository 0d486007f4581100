/**
 * The `scale` part's transformers.js pass: the same q4 files, main thread (as its users run
 * it; its onnxruntime-web runs in the page), the same threads. Unlike gen-bench.ts it keeps
 * the browser cache on, so a second load reads the files back from the Cache API (its warm
 * load). A crash or an out-of-memory error is recorded as the result, not thrown.
 */
import { AutoModelForCausalLM, AutoTokenizer, BaseStreamer, env } from '@huggingface/transformers';
import { memory, type ScaleConfig } from './scale-util.js';
import { log, median, now, round } from './util.js';

const CACHE_KEY = 'transformers-cache';

class Timing extends BaseStreamer {
  promptSeen = false;
  times: number[] = [];
  override put(): void {
    if (!this.promptSeen) { this.promptSeen = true; return; }
    this.times.push(now());
  }
  override end(): void {}
}

type Loaded = Awaited<ReturnType<typeof AutoModelForCausalLM.from_pretrained>>;
type Tok = Awaited<ReturnType<typeof AutoTokenizer.from_pretrained>>;

/** Requests for the model's weight files the page made since `since` (a Cache API hit makes none). */
const weightFetches = (cfg: ScaleConfig, since: number): number =>
  performance.getEntriesByType('resource').filter((e) => e.startTime >= since && e.name.includes(`/fixtures/${cfg.model}/onnx/`)).length;

async function sampledLoad(cfg: ScaleConfig): Promise<{ loadMs: number; weightRequests: number; sampled: Record<string, unknown> | null; tokenizer: Tok; model: Loaded }> {
  await memory('start');
  const t0 = now();
  const tokenizer = await AutoTokenizer.from_pretrained(cfg.model);
  const model = await AutoModelForCausalLM.from_pretrained(cfg.model, { dtype: cfg.dtype, device: 'wasm' });
  const loadMs = now() - t0;
  await memory('mark', 'loaded');
  return { loadMs: round(loadMs) as number, weightRequests: weightFetches(cfg, t0), sampled: await memory('stop'), tokenizer, model };
}

async function decode(cfg: ScaleConfig, tokenizer: Tok, model: Loaded): Promise<{ decodeTokPerSec: number | null; ttftMs: number | null; tokens: number }> {
  const streamer = new Timing();
  const t0 = now();
  const inputs = tokenizer(cfg.prompt);
  await model.generate({ ...inputs, max_new_tokens: cfg.maxTokens, min_new_tokens: cfg.maxTokens, do_sample: false, streamer: streamer as never });
  const n = streamer.times.length;
  const first = streamer.times[0];
  const last = streamer.times[n - 1];
  return {
    decodeTokPerSec: first !== undefined && last !== undefined && n > 1 ? round(((n - 1) * 1000) / (last - first), 2) : null,
    ttftMs: first === undefined ? null : round(first - t0),
    tokens: n,
  };
}

const failure = (e: unknown): { error: string } => ({ error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });

export async function runScaleTjs(cfg: ScaleConfig): Promise<Record<string, unknown>> {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.useBrowserCache = true;
  // A same-origin path, as in gen-bench.ts (an absolute URL counts as remote there).
  env.localModelPath = '/fixtures/';
  const wasm = env.backends.onnx.wasm as { wasmPaths?: string; numThreads?: number };
  wasm.wasmPaths = cfg.tjsWasmPaths;
  wasm.numThreads = cfg.numThreads;
  await caches.delete(CACHE_KEY);
  await memory('hook');
  const out: Record<string, unknown> = { before: await memory('snapshot') };
  let loaded: Awaited<ReturnType<typeof sampledLoad>> | undefined;
  try {
    log(`scale ${cfg.model}: transformers.js cold load`);
    loaded = await sampledLoad(cfg);
    out.cold = { loadMs: loaded.loadMs, weightRequests: loaded.weightRequests, sampled: loaded.sampled, afterLoad: await memory('snapshot') };
    log(`scale ${cfg.model}: transformers.js cold load ${loaded.loadMs} ms`);
  } catch (e) {
    out.cold = { ...failure(e), sampled: await memory('stop').catch(() => null) };
    log(`scale ${cfg.model}: transformers.js cold load failed: ${(out.cold as { error: string }).error}`);
    return out;
  }
  try {
    const warmup = await decode(cfg, loaded.tokenizer, loaded.model);
    const runs = [];
    for (let i = 0; i < cfg.scaleRuns; i++) runs.push(await decode(cfg, loaded.tokenizer, loaded.model));
    out.decode = {
      decodeTokPerSec: round(median(runs.map((r) => r.decodeTokPerSec)), 2), ttftMs: round(median(runs.map((r) => r.ttftMs))),
      tokens: runs.map((r) => r.tokens), warmupRun: warmup, runs,
    };
    out.afterGenerate = await memory('snapshot');
    log(`scale ${cfg.model}: transformers.js decode ${runs.map((r) => r.decodeTokPerSec).join(', ')} tok/s`);
  } catch (e) {
    out.decode = failure(e);
  } finally {
    await loaded.model.dispose();
  }
  try {
    log(`scale ${cfg.model}: transformers.js warm load (Cache API)`);
    const warm = await sampledLoad(cfg);
    out.warm = { loadMs: warm.loadMs, weightRequests: warm.weightRequests, sampled: warm.sampled };
    await warm.model.dispose();
  } catch (e) {
    out.warm = failure(e);
  }
  await caches.delete(CACHE_KEY);
  return out;
}

/**
 * The `scale` part, page side (scale-runner.mjs loads this bundle into a fresh page per
 * pass, each in its own browser context: its own renderer process and an empty IndexedDB):
 *
 * - `runScaleEdgewise(cfg)`: edgewise with default options (on WASM a q4 file becomes the
 *   int8 form on the device): a cold load (cache cleared) with the SDK worker's memory
 *   sampled through it, decode speed, then a warm load by a new engine (from IndexedDB).
 * - `runScaleTjs(cfg)`: transformers.js on the same q4 files (scale-tjs.ts).
 * - `runScaleAbort(cfg, mode)`: abort or dispose in the middle of the transform (scale-abort.ts).
 */
import type { Engine } from '/dist/edgewise.js';
import { edgewiseRun } from './gen-bench.js';
import { runScaleAbort } from './scale-abort.js';
import { runScaleTjs } from './scale-tjs.js';
import { engineFor, memory, weightsOf, type ScaleConfig } from './scale-util.js';
import { log, median, now, round } from './util.js';

declare global {
  interface Window {
    runScaleEdgewise: (cfg: ScaleConfig) => Promise<Record<string, unknown>>;
    runScaleTjs: (cfg: ScaleConfig) => Promise<Record<string, unknown>>;
    runScaleAbort: typeof runScaleAbort;
  }
}

/** One sampled load: marks `bytes` at the first progress event that has every byte, and `loaded`. */
async function sampledLoad(engine: Engine): Promise<{ loadMs: number; bytesMs: number | null; sampled: Record<string, unknown> | null }> {
  await memory('start');
  let bytesAt: number | undefined;
  const t0 = now();
  await engine.load({
    onProgress: (p) => {
      if (bytesAt === undefined && p.totalLoaded >= p.totalBytes) {
        bytesAt = now();
        void memory('mark', 'bytes');
      }
    },
  });
  const loadMs = now() - t0;
  await memory('mark', 'loaded');
  const sampled = await memory('stop');
  return { loadMs: round(loadMs) as number, bytesMs: bytesAt === undefined ? null : round(bytesAt - t0), sampled };
}

export async function runScaleEdgewise(cfg: ScaleConfig): Promise<Record<string, unknown>> {
  const cold = engineFor(cfg);
  let out: Record<string, unknown> = {};
  try {
    await cold.cache.clear(); // starts the worker, so the probe can hook it before the runtime loads
    await memory('hook');
    const before = await memory('snapshot');
    log(`scale ${cfg.model}: edgewise cold load`);
    const first = await sampledLoad(cold);
    const weights = await weightsOf(cold);
    const afterLoad = await memory('snapshot');
    log(`scale ${cfg.model}: edgewise cold load ${first.loadMs} ms, weights ${JSON.stringify(weights)}`);
    const warmup = await edgewiseRun(cold, cfg);
    const runs = [];
    for (let i = 0; i < cfg.scaleRuns; i++) runs.push(await edgewiseRun(cold, cfg));
    const afterGenerate = await memory('snapshot');
    log(`scale ${cfg.model}: edgewise decode ${runs.map((r) => r.decodeTokPerSec).join(', ')} tok/s`);
    out = {
      weights, cold: { ...first, before, afterLoad, afterGenerate },
      decode: {
        decodeTokPerSec: round(median(runs.map((r) => r.decodeTokPerSec)), 2),
        ttftMs: round(median(runs.map((r) => r.ttftMs))),
        completionTokens: runs.map((r) => r.completionTokens),
        promptTokens: runs[0]?.promptTokens ?? null,
        finishReasons: runs.map((r) => r.finishReason),
        warmupRun: { decodeTokPerSec: warmup.decodeTokPerSec, ttftMs: warmup.ttftMs },
        runs: runs.map(({ ids: _i, text: _t, ...r }) => r),
      },
    };
  } finally {
    await cold.dispose();
  }
  // Apart, so a failed warm load keeps the cold figures.
  const warm = engineFor(cfg);
  try {
    await warm.cache.usage();
    await memory('hook');
    const before = await memory('snapshot');
    log(`scale ${cfg.model}: edgewise warm load`);
    const second = await sampledLoad(warm);
    const afterLoad = await memory('snapshot');
    out.warm = { ...second, weights: await weightsOf(warm), before, afterLoad };
    log(`scale ${cfg.model}: edgewise warm load ${second.loadMs} ms (${JSON.stringify((out.warm as { weights: unknown }).weights)})`);
    await warm.cache.clear();
  } catch (e) {
    out.warm = { error: e instanceof Error ? e.message : String(e) };
  } finally {
    await warm.dispose();
  }
  return out;
}

window.runScaleEdgewise = runScaleEdgewise;
window.runScaleTjs = runScaleTjs;
window.runScaleAbort = runScaleAbort;
log('scale bench ready');

/**
 * The bench page. `run.mjs` bundles it with esbuild (transformers.js and its bare imports
 * inlined; edgewise is loaded from /dist/ at runtime so its worker and runtime files resolve
 * beside it, as in a real app) and calls `window.runBench(config)`.
 *
 * Everything runs in one page, on the same model files, the WASM execution provider and the
 * same thread count: edgewise in its worker, transformers.js on the main thread (as its
 * users run it).
 */
import { cacheBench } from './cache-bench.js';
import { registerCpuBench } from './cpu-bench.js';
import { edgeCloudBench } from './edgecloud-bench.js';
import { embedBench } from './embed-bench.js';
import { generateBench } from './gen-bench.js';
import { privacyBench } from './privacy-bench.js';
import { searchBench } from './search-bench.js';
import { structuredBench, structuredSelected } from './structured-bench.js';
import { type BenchConfig, log, now, round } from './util.js';

declare global {
  interface Window {
    runBench: (cfg: BenchConfig) => Promise<unknown>;
  }
}

window.runBench = async (cfg: BenchConfig): Promise<unknown> => {
  const started = now();
  const result: Record<string, unknown> = {
    page: { crossOriginIsolated: globalThis.crossOriginIsolated, hardwareConcurrency: navigator.hardwareConcurrency, userAgent: navigator.userAgent },
  };
  if (!globalThis.crossOriginIsolated) throw new Error('the bench page is not cross-origin isolated: WASM threads would silently fall back to 1');
  if (cfg.parts.includes('cache')) result.weightCache = await cacheBench(cfg);
  if (cfg.parts.includes('generate') || cfg.parts.includes('transformersjs')) Object.assign(result, await generateBench(cfg));
  if (cfg.parts.includes('edgecloud')) result.edgeCloud = await edgeCloudBench(cfg);
  if (cfg.parts.includes('embed')) result.embeddings = await embedBench(cfg);
  if (cfg.parts.includes('privacy')) result.privacy = await privacyBench(cfg);
  if (cfg.parts.includes('search')) result.search = await searchBench(cfg);
  if (structuredSelected(cfg)) result.structured = await structuredBench(cfg);
  result.pageMs = round(now() - started, 0);
  return result;
};
// window.runCpuSpeed / runCpuMemory / runCpuQuality: run.mjs drives the `cpu` part itself,
// in fresh pages (one per thread count, one per weight form).
registerCpuBench();
log('ready');

/** Shared pieces of the bench page: its config, statistics helpers and logging. */
import type { Progress } from '/dist/edgewise.js';

export interface BenchConfig {
  /** Origin of the model server; files live under `/fixtures/<model>/`. */
  modelsUrl: string;
  model: string;
  dtype: 'q4';
  numThreads: number;
  prompt: string;
  maxTokens: number;
  /** Timed generation runs per library (after one warm-up run each). */
  genRuns: number;
  /** Timed loads per kind (cold with cache, warm, cold without cache). */
  loadRuns: number;
  /** Where transformers.js's own onnxruntime-web `dist/` is served. */
  tjsWasmPaths: string;
  parts: readonly ('cache' | 'generate' | 'transformersjs' | 'edgecloud' | 'embed' | 'privacy' | 'search' | 'cpu')[];
  /** The search part's synthetic index sizes, in chunks (`BENCH_SEARCH_SIZES`). */
  searchSizes?: readonly number[];
  /** The generated encoder the embed part uses (`minilm-l6-shape`). */
  embedModel: string;
  /** Base URL (ending in /v1) of the OpenAI-compatible test server, for the edgecloud part. */
  remoteUrl: string;
}

export const MB = 1e6;
export const now = (): number => performance.now();
export const round = (x: number | null | undefined, digits = 1): number | null =>
  x === null || x === undefined || !Number.isFinite(x) ? null : Math.round(x * 10 ** digits) / 10 ** digits;

export function median(xs: readonly (number | null)[]): number | null {
  const v = xs.filter((x): x is number => x !== null && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  return v.length % 2 ? (v[mid] as number) : ((v[mid - 1] as number) + (v[mid] as number)) / 2;
}

export function range(xs: readonly (number | null)[]): (number | null)[] {
  const v = xs.filter((x): x is number => x !== null && Number.isFinite(x));
  return v.length ? [round(Math.min(...v), 2), round(Math.max(...v), 2)] : [];
}

export function log(line: string): void {
  console.log(`[bench] ${line}`);
  const el = document.getElementById('log');
  if (el) el.textContent += `${line}\n`;
}

export function modelSpec(cfg: BenchConfig): { id: string; url: string; dtype: 'q4' } {
  return { id: cfg.model, url: `${cfg.modelsUrl}/fixtures/${cfg.model}/`, dtype: cfg.dtype };
}

export type { Progress };

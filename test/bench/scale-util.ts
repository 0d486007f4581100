/** Pieces the `scale` part's page modules share: its config, the memory probe, the engine. */
import { createEngine } from '/dist/edgewise.js';
import type { Engine, EngineOptions } from '/dist/edgewise.js';
import { type BenchConfig, modelSpec } from './util.js';

export interface ScaleConfig extends BenchConfig {
  /** Timed decode runs per library (after one warm-up). */
  scaleRuns: number;
}

type MemoryCall = (what: 'hook' | 'snapshot' | 'start' | 'mark' | 'stop', arg?: string) => Promise<Record<string, unknown> | null>;

declare global {
  interface Window {
    /** scale-memory.mjs: the memory probe of this pass's target (the SDK worker or the page). */
    benchScaleMemory?: MemoryCall;
  }
}

/** The probe, or null where the page runs without scale-runner.mjs. */
export const memory: MemoryCall = async (what, arg) => (await window.benchScaleMemory?.(what, arg)) ?? null;

export interface WeightsInfo { form: string; reason: string; transform: string; transformMs?: number; bytes?: number }

/** Default options but the threads: on WASM a q4 file runs as its int8 form. */
export function engineFor(cfg: BenchConfig): Engine {
  return createEngine({ model: modelSpec(cfg), cache: true, numThreads: cfg.numThreads } as EngineOptions);
}

export async function weightsOf(engine: Engine): Promise<WeightsInfo | null> {
  const m = (await engine.info()).model as { weights?: WeightsInfo } | undefined;
  return m?.weights ?? null;
}

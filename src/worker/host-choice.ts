/**
 * Where an engine's local models run: the origin's shared worker (one model host for all
 * its tabs) or a worker of the page's own. What `engine.info().host` reports.
 *
 * The trade-off, measured in Chromium 156 (docs/one-engine-per-origin.md): a
 * SharedWorker is never cross-origin isolated, so it has no SharedArrayBuffer and runs
 * onnxruntime-web's WASM on one thread. A dedicated worker of an isolated page runs
 * `numThreads`. With two threads (this machine's 2 cores) a dedicated worker decodes
 * 1.3–1.4× faster for a lone tab, the same for two busy tabs, for a second copy of the
 * model in every tab (bench part `tabs`): sharing wins. From
 * three threads on, the speed-up outgrows that (not measured here: this machine has two
 * cores), so the page keeps its own worker unless the app asks to share; so it does when
 * the app sets `numThreads` above 1.
 */
import type { EngineOptions } from '../config-types.js';

export type HostKind = 'shared-worker' | 'dedicated-worker';

export interface HostChoice {
  kind: HostKind;
  /** Why this host, in words. */
  reason: string;
  /** WASM threads the host can run (1 in a shared worker, or without cross-origin isolation). */
  threads: number;
}

/** Up to this many threads, one shared single-thread host beats a multi-thread host per tab. */
const SHARE_UP_TO_THREADS = 2;

/** `numThreads`: the app's option; `threads`: what the page would run by default. */
export function chooseHost(share: boolean | undefined, numThreads: number | undefined, threads: number, device: EngineOptions['device']): HostChoice {
  const isolated = globalThis.crossOriginIsolated === true;
  const dedicated = (reason: string): HostChoice => ({ kind: 'dedicated-worker', reason, threads: isolated ? numThreads ?? threads : 1 });
  const shared = (reason: string): HostChoice => ({ kind: 'shared-worker', reason, threads: 1 });
  if (share === false) return dedicated('share: false');
  if (typeof SharedWorker === 'undefined') return dedicated('no SharedWorker in this browser');
  if (!globalThis.navigator?.locks) return dedicated('no Web Locks (not a secure context)');
  if (share === true) return shared('share: true');
  if (!isolated) return shared('not cross-origin isolated: one WASM thread either way');
  if (device === 'webgpu') return shared('WebGPU: WASM threads do not matter');
  // Shared workers get no SharedArrayBuffer: one thread.
  if (numThreads !== undefined && numThreads > 1) return dedicated(`numThreads: ${numThreads} needs a worker of the page's own`);
  return threads > SHARE_UP_TO_THREADS
    ? dedicated(`${threads} WASM threads need a worker of the page's own`)
    : shared(`${threads} WASM threads decode 1.3-1.4x faster than one, less than a model copy per tab costs`);
}

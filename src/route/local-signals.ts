/**
 * Why the local model cannot serve a request, checked in a fixed order: configuration,
 * last load, memory, storage, context, latency. The first signal that fires is the
 * reason. A fact that is unknown (absent) never fires its check: the router only moves
 * a request off the device on evidence, never on a guess.
 */
import type { CandidateFacts, RouteInput } from './decision.js';
import { estimateLocalMs, estimatePromptTokens } from './estimate.js';
import type { RouteReason } from './vocab.js';

export type LocalSignal = Extract<RouteReason, 'local_load_failed' | 'memory' | 'storage' | 'context_overflow' | 'latency_budget'>;

export interface LocalBlock {
  reason: LocalSignal;
  /** A lower-case clause with the numbers, e.g. `prompt ≈ 812 tokens + 1 > context 512`. */
  detail: string;
}

const GIB = 2 ** 30;

/**
 * Share of `navigator.deviceMemory` the weights may take. The figure is rounded to the
 * nearest power of two (https://www.w3.org/TR/device-memory/), so a 6 GiB device may
 * say 8; the OS, the browser, other tabs, activations and the KV cache need the rest.
 */
export const DEVICE_MEMORY_FRACTION = 0.5;

/**
 * Chromium caps `deviceMemory` at 8, so 8 means "8 GiB or more": no upper bound is
 * known, and an unknown limit must not block (a 16 GiB laptop would otherwise never run
 * a 5 GiB WebGPU model). From 8 up (MDN notes the bounds may grow) only the WASM
 * ceiling below applies.
 */
export const DEVICE_MEMORY_CAP_GIB = 8;

/**
 * wasm32 addresses at most 65 536 pages of 64 KiB = 4 GiB (WebAssembly core spec,
 * memory limits), and the WASM backend holds the weights in that heap.
 */
export const WASM32_MAX_BYTES = 4 * GIB;

/**
 * What a WASM load of a weight-only quantized decoder takes, per byte of its file
 * (`weightBytes`), measured by the bench's `scale` part (test/bench/README.md, "Scale") on
 * a SmolLM2-1.7B shaped q4 file, which the device rewrites to int8 (1.17x the file).
 * HEAP: the WASM heap holds that form and the KV cache, and never shrinks (1.22x the file
 * after load, 1.29x after a 100-token generation). PEAK: a first load with a cache stores
 * the file and reads it back by range, streams the rewrite into the cache, and the kernel
 * reads that back by range, so the worker holds about the WASM heap (1.11x the int8 form at
 * 1.7B, 1.14x at 360M), and the renderer about 1.3-1.6x the file. Without
 * a cache (or without room in it) the file and its rewrite are both in the worker, then the
 * rewrite in JS and in the WASM heap at once: 2.42x. The router cannot tell ahead of the
 * load which one it gets, so the bound keeps the larger.
 * Both are checked before the download: a load that cannot fit must not start and end the tab.
 */
export const WASM_HEAP_PER_BYTE = 1.3;
export const WASM_PEAK_PER_BYTE = 2.5;

/** The first signal that makes the local candidate `local` unusable for this request, if any. */
export function localBlock(local: CandidateFacts, input: RouteInput): LocalBlock | undefined {
  const { capabilities } = input;
  if (local.loadFailed) {
    return { reason: 'local_load_failed', detail: `the local model failed to load (${local.loadFailed.code}: ${local.loadFailed.message})` };
  }
  const weights = local.weightBytes;
  // Once loaded, the weights already sit in memory: memory and storage have been proven enough.
  if (weights !== undefined && !local.loaded) {
    const wasm = local.ranOn === 'wasm';
    if (wasm && weights > WASM32_MAX_BYTES) {
      return { reason: 'memory', detail: `weights ${bytes(weights)} > the 4 GiB wasm32 memory ceiling` };
    }
    const gib = capabilities.deviceMemoryGiB;
    const room = gib !== undefined && gib < DEVICE_MEMORY_CAP_GIB ? gib * GIB * DEVICE_MEMORY_FRACTION : Infinity;
    if (weights > room) {
      return { reason: 'memory', detail: `weights ${bytes(weights)} > ${DEVICE_MEMORY_FRACTION * 100}% of ${gib} GiB device memory` };
    }
    // Weights that fit may still not load (see WASM_PEAK_PER_BYTE).
    if (wasm && weights * WASM_HEAP_PER_BYTE > WASM32_MAX_BYTES) {
      return { reason: 'memory', detail: `a WASM load of weights ${bytes(weights)} needs ≈ ${bytes(weights * WASM_HEAP_PER_BYTE)} of heap > the 4 GiB wasm32 memory ceiling` };
    }
    if (wasm && weights * WASM_PEAK_PER_BYTE > room) {
      return { reason: 'memory', detail: `a WASM load of weights ${bytes(weights)} peaks at ≈ ${bytes(weights * WASM_PEAK_PER_BYTE)} > ${DEVICE_MEMORY_FRACTION * 100}% of ${gib} GiB device memory` };
    }
    const storage = capabilities.storage;
    // `cached` absent counts as not cached: the quota is known, and a download needs it.
    if (storage !== undefined && local.cached !== true && weights > storage.quota - storage.usage) {
      return { reason: 'storage', detail: `weights ${bytes(weights)} are not cached and only ${bytes(storage.quota - storage.usage)} of storage quota is left` };
    }
  }
  const exact = local.promptTokens !== undefined;
  const tokens = local.promptTokens ?? estimatePromptTokens(input.promptChars);
  // +1: a prompt that fills the window leaves no room for the first new token.
  if (local.contextLength !== undefined && tokens + 1 > local.contextLength) {
    return { reason: 'context_overflow', detail: `prompt ${exact ? '' : '≈ '}${tokens} tokens + 1 > context ${local.contextLength}` };
  }
  if (input.maxLocalLatencyMs !== undefined) {
    const ms = estimateLocalMs(tokens, input.maxTokens, local.speed);
    if (ms !== undefined && ms > input.maxLocalLatencyMs) {
      return {
        reason: 'latency_budget',
        detail: `local run ≈ ${Math.round(ms)} ms (${tokens} prompt + ${input.maxTokens} new tokens at measured speed) > budget ${input.maxLocalLatencyMs} ms`,
      };
    }
  }
  return undefined;
}

function bytes(n: number): string {
  const v = Math.max(0, n);
  if (v >= GIB) return `${(v / GIB).toFixed(2)} GiB`;
  if (v >= 2 ** 20) return `${Math.round(v / 2 ** 20)} MiB`;
  return `${Math.round(v / 1024)} KiB`;
}

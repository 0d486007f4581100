/**
 * The worker's door to the decoder kernel (a lazy chunk): opens an int8 form on the kernel
 * when the form carries a plan and the browser runs WebAssembly SIMD, else says why not.
 */
import type { ExternalData } from '../runtime.js';
import { KernelDecoder } from './decoder.js';
import { loadKernelWeights, planOf } from './load.js';
import { kernelSupported } from './memory.js';
import { KernelThreads } from './threads.js';

export type KernelOpen = { decoder: KernelDecoder; threads: number } | { decoder?: undefined; why: string };

/**
 * `threads` above 1 needs a cross-origin isolated worker (shared WebAssembly memory) that
 * can start workers of its own script; the caller passes 1 otherwise.
 */
export async function openKernel(graph: Uint8Array, external: readonly ExternalData[], contextLength: number, o: { threads: number; signal?: AbortSignal }): Promise<KernelOpen> {
  if (!planOf(graph)) return { why: 'the int8 form is not a Llama-family decoder the kernel recognises' };
  if (!kernelSupported()) return { why: 'this browser has no WebAssembly SIMD' };
  const files = new Map(external.map((e) => [e.path, e.data]));
  const shared = o.threads > 1 && typeof Worker === 'function' && typeof SharedArrayBuffer === 'function';
  const weights = await loadKernelWeights(graph, files, { contextLength, shared, ...(o.signal ? { signal: o.signal } : {}) });
  const threads = shared ? await KernelThreads.start(weights.mem, o.threads, globalThis.location.href) : undefined;
  return { decoder: new KernelDecoder(weights, contextLength, threads), threads: threads?.count ?? 1 };
}

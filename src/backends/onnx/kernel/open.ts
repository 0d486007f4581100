/**
 * The worker's door to the decoder kernel (a lazy chunk): opens an int8 form on the kernel
 * when the form carries a plan and the browser runs WebAssembly SIMD, else says why not.
 */
import { rangeOf, type WeightFile } from '../weight-files.js';
import { KernelDecoder } from './decoder.js';
import { loadKernelWeights, planOf } from './load.js';
import { kernelSupported } from './memory.js';
import { KernelThreads } from './threads.js';
import { capabilities } from '../../../capabilities.js';

export type KernelOpen = { decoder: KernelDecoder; threads: number } | { decoder?: undefined; why: string };

/**
 * Threads as onnxruntime-web would get them for `numThreads`: more than one needs a
 * cross-origin isolated worker (shared WebAssembly memory) that can start workers of its
 * own script, which a SharedWorker never is.
 */
function threadsFor(numThreads: number): number {
  const isolated = capabilities().threads && !('onconnect' in globalThis) && typeof Worker === 'function';
  return isolated ? Math.max(1, numThreads) : 1;
}

export async function openKernel(graph: Uint8Array, external: readonly WeightFile[], contextLength: number, o: { numThreads: number; signal?: AbortSignal }): Promise<KernelOpen> {
  if (!planOf(graph)) return { why: 'the int8 form is not a Llama-family decoder the kernel recognises' };
  if (!kernelSupported()) return { why: 'this browser has no WebAssembly SIMD' };
  const files = new Map(external.map((e) => [e.path, rangeOf(e)]));
  const count = threadsFor(o.numThreads);
  const weights = await loadKernelWeights(graph, files, { contextLength, shared: count > 1, ...(o.signal ? { signal: o.signal } : {}) });
  const threads = count > 1 ? await KernelThreads.start(weights.mem, count, globalThis.location.href) : undefined;
  return { decoder: new KernelDecoder(weights, contextLength, threads), threads: threads?.count ?? 1 };
}

/**
 * The worker's door to the decoder kernel (a lazy chunk): opens an int8 form on the kernel
 * when the form carries a plan and the browser runs WebAssembly SIMD, else says why not.
 */
import type { ExternalData } from '../runtime.js';
import { KernelDecoder } from './decoder.js';
import { loadKernelWeights, planOf } from './load.js';
import { kernelSupported } from './memory.js';

export type KernelOpen = { decoder: KernelDecoder; threads: number } | { decoder?: undefined; why: string };

export async function openKernel(graph: Uint8Array, external: readonly ExternalData[], contextLength: number, signal?: AbortSignal): Promise<KernelOpen> {
  if (!planOf(graph)) return { why: 'the int8 form is not a Llama-family decoder the kernel recognises' };
  if (!kernelSupported()) return { why: 'this browser has no WebAssembly SIMD' };
  const files = new Map(external.map((e) => [e.path, e.data]));
  const weights = await loadKernelWeights(graph, files, { contextLength, shared: false, ...(signal ? { signal } : {}) });
  return { decoder: new KernelDecoder(weights, contextLength), threads: 1 };
}

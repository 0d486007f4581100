/**
 * What WebGPU this realm (page or worker) has, probed once, and which device an ONNX
 * model should run on. No runtime is imported here: the page's capability probe uses it.
 * `auto` takes WebGPU only when the adapter is a real GPU whose limits fit the model and
 * whose features fit its weights; a software fallback adapter (SwiftShader in headless
 * Chromium) is slower than the WASM EP (~70× measured here), so `auto` passes it over.
 */
import { EdgewiseError } from './errors.js';

/** Where an ONNX session runs. */
export type OrtDevice = 'wasm' | 'webgpu';

export type DevicePreference = 'auto' | 'webgpu' | 'wasm';

export interface GpuProbe {
  /** An adapter was granted. */
  adapter: boolean;
  /** The adapter is a software fallback (`isFallbackAdapter`). */
  fallback: boolean;
  shaderF16: boolean;
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
  description: string;
}

interface AdapterLike {
  features: { has(name: string): boolean };
  limits: { maxBufferSize: number; maxStorageBufferBindingSize: number };
  isFallbackAdapter?: boolean;
  info?: { isFallbackAdapter?: boolean; vendor?: string; architecture?: string; description?: string };
}
interface GpuLike {
  requestAdapter(): Promise<AdapterLike | null>;
}

let probe: Promise<GpuProbe> | undefined;

export function probeWebGPU(gpu: GpuLike | undefined = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu): Promise<GpuProbe> {
  probe ??= (async (): Promise<GpuProbe> => {
    const none: GpuProbe = { adapter: false, fallback: false, shaderF16: false, maxBufferSize: 0, maxStorageBufferBindingSize: 0, description: 'no WebGPU in this browser' };
    if (!gpu) return none;
    let adapter: AdapterLike | null = null;
    try {
      adapter = await gpu.requestAdapter();
    } catch { /* treated as no adapter */ }
    if (!adapter) return { ...none, description: 'WebGPU present, but no adapter was granted' };
    const info = adapter.info ?? {};
    return {
      adapter: true,
      fallback: adapter.isFallbackAdapter === true || info.isFallbackAdapter === true,
      shaderF16: adapter.features.has('shader-f16'),
      maxBufferSize: adapter.limits.maxBufferSize,
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      description: [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'a WebGPU adapter',
    };
  })();
  return probe;
}

export interface DeviceChoice {
  device: OrtDevice;
  /** Why, for `engine.info()` and the route's detail. */
  reason: string;
}

/**
 * `largestTensorBytes`: the biggest single weight (a buffer must hold it); unknown → 0.
 * Throws typed errors only for an explicit `'webgpu'` the device cannot honour.
 */
export function chooseDevice(preference: DevicePreference, gpu: GpuProbe, model: { fp16: boolean; largestTensorBytes: number }): DeviceChoice {
  if (preference === 'wasm') return { device: 'wasm', reason: "device 'wasm' was asked for" };
  const problem = !gpu.adapter ? gpu.description
    : model.fp16 && !gpu.shaderF16 ? `the adapter (${gpu.description}) lacks shader-f16, which fp16 weights need`
    : model.largestTensorBytes > Math.min(gpu.maxBufferSize, gpu.maxStorageBufferBindingSize) ? `a weight of ${model.largestTensorBytes} bytes exceeds the adapter's buffer limit`
    : undefined;
  if (preference === 'webgpu') {
    if (!problem) return { device: 'webgpu', reason: `device 'webgpu' was asked for (${gpu.description}${gpu.fallback ? ', a software fallback adapter' : ''})` };
    const code = gpu.adapter && model.fp16 && !gpu.shaderF16 ? 'missing_shader_f16' : 'webgpu_unavailable';
    throw new EdgewiseError(code, `WebGPU cannot run this model: ${problem}. Use device 'wasm', or 'auto' to pick by itself${code === 'missing_shader_f16' ? ', or fp32/q4 weights' : ''}.`, { details: { device: 'webgpu', phase: 'probe' } });
  }
  if (problem) return { device: 'wasm', reason: `WASM: ${problem}` };
  if (gpu.fallback) return { device: 'wasm', reason: `WASM: the only WebGPU adapter is a software fallback (${gpu.description}), slower than WASM` };
  return { device: 'webgpu', reason: `WebGPU on ${gpu.description}` };
}

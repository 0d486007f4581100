/**
 * `supports()` for web-llm: cheap, synchronous, no fetch. It reads the GPU facts from the
 * capabilities object when they are there (`capabilities.gpu`, read defensively: the probe
 * that fills it is not part of `Capabilities` yet) and otherwise says yes, leaving `load()`
 * to fail with a typed `webgpu_unavailable` / `missing_shader_f16`. After such a load
 * failure it says no, since the device will not change.
 */
import type { Capabilities } from '../../capabilities.js';
import type { EdgewiseError } from '../../errors.js';
import type { Support, UnsupportedCode } from '../backend.js';

/** The GPU facts `supports()` understands, as a future `Capabilities.gpu` may carry them. */
export interface GpuFacts {
  adapter: boolean;
  shaderF16: boolean;
  /** The adapter's `limits.maxBufferSize` in bytes. */
  maxBufferSize?: number;
}

const UNSUPPORTED_DEVICE: UnsupportedCode = 'unsupported_device';
/** web-llm's floor: below 256 MB of maxBufferSize its GPU setup throws. */
export const MIN_BUFFER_BYTES = 1 << 28;

export function readGpuFacts(capabilities: Capabilities): GpuFacts | undefined {
  const gpu: unknown = (capabilities as { gpu?: unknown }).gpu;
  if (typeof gpu !== 'object' || gpu === null) return undefined;
  const g = gpu as Record<string, unknown>;
  if (typeof g.adapter !== 'boolean') return undefined;
  const out: GpuFacts = { adapter: g.adapter, shaderF16: g.shaderF16 === true };
  if (typeof g.maxBufferSize === 'number' && Number.isFinite(g.maxBufferSize)) out.maxBufferSize = g.maxBufferSize;
  return out;
}

const DEVICE_CODES: readonly string[] = ['webgpu_unavailable', 'missing_shader_f16'];

export function webllmSupport(capabilities: Capabilities, needsF16: boolean, lastLoadError: EdgewiseError | undefined): Support {
  if (lastLoadError && DEVICE_CODES.includes(lastLoadError.code)) {
    return { ok: false, code: 'load_failed', detail: lastLoadError.message };
  }
  const gpu = readGpuFacts(capabilities);
  if (!gpu) return { ok: true };
  if (!gpu.adapter) return { ok: false, code: UNSUPPORTED_DEVICE, detail: 'web-llm needs WebGPU, and this browser offers no WebGPU adapter.' };
  if (needsF16 && !gpu.shaderF16) {
    return { ok: false, code: UNSUPPORTED_DEVICE, detail: "This MLC model runs fp16 shaders and the GPU adapter lacks 'shader-f16'; its q4f32 variant would run." };
  }
  if (gpu.maxBufferSize !== undefined && gpu.maxBufferSize < MIN_BUFFER_BYTES) {
    return { ok: false, code: UNSUPPORTED_DEVICE, detail: `The GPU adapter's maxBufferSize (${gpu.maxBufferSize} bytes) is under web-llm's 256 MB minimum.` };
  }
  return { ok: true };
}

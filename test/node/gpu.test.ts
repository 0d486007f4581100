/** The device choice for ONNX models: pure, over injected adapter facts (no GPU needed). */
import { describe, expect, it } from 'vitest';
import { isEdgewiseError } from '../../src/errors.js';
import { chooseDevice, probeWebGPU, type GpuProbe } from '../../src/gpu.js';

const real: GpuProbe = { adapter: true, fallback: false, shaderF16: true, maxBufferSize: 2 ** 31, maxStorageBufferBindingSize: 2 ** 30, description: 'nvidia ampere' };
const swiftshader: GpuProbe = { ...real, fallback: true, shaderF16: false, description: 'google swiftshader' };
const none: GpuProbe = { adapter: false, fallback: false, shaderF16: false, maxBufferSize: 0, maxStorageBufferBindingSize: 0, description: 'no WebGPU in this browser' };
const fp32 = { fp16: false, largestTensorBytes: 0 };
const fp16 = { fp16: true, largestTensorBytes: 0 };
const codeOf = (f: () => unknown): string => {
  try { f(); } catch (e) { return isEdgewiseError(e) ? e.code : 'untyped'; }
  return 'no error';
};

describe('chooseDevice', () => {
  it("'auto' takes a real GPU, and passes over a software adapter, no adapter, or fp16 without shader-f16", () => {
    expect(chooseDevice('auto', real, fp32).device).toBe('webgpu');
    expect(chooseDevice('auto', real, fp16).device).toBe('webgpu');
    expect(chooseDevice('auto', swiftshader, fp32)).toMatchObject({ device: 'wasm', reason: expect.stringMatching(/software fallback/) });
    expect(chooseDevice('auto', none, fp32)).toMatchObject({ device: 'wasm', reason: expect.stringMatching(/no WebGPU/) });
    expect(chooseDevice('auto', { ...real, shaderF16: false }, fp16)).toMatchObject({ device: 'wasm', reason: expect.stringMatching(/shader-f16/) });
    expect(chooseDevice('auto', real, { fp16: false, largestTensorBytes: 2 ** 31 }).device).toBe('wasm');
  });

  it("'webgpu' insists: any adapter, even a software one; typed refusals otherwise, marked as the probe's", () => {
    expect(chooseDevice('webgpu', swiftshader, fp32).device).toBe('webgpu');
    expect(codeOf(() => chooseDevice('webgpu', none, fp32))).toBe('webgpu_unavailable');
    expect(codeOf(() => chooseDevice('webgpu', swiftshader, fp16))).toBe('missing_shader_f16');
    try { chooseDevice('webgpu', none, fp32); } catch (e) { expect(isEdgewiseError(e) && e.details).toMatchObject({ device: 'webgpu', phase: 'probe' }); }
  });

  it("'wasm' never touches the GPU", () => {
    expect(chooseDevice('wasm', real, fp32).device).toBe('wasm');
  });
});

describe('probeWebGPU', () => {
  it('reads the adapter facts once; a browser without navigator.gpu has none', async () => {
    expect((await probeWebGPU(undefined)).adapter).toBe(false);
  });
});

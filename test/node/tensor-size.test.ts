/**
 * Bug (issue 15): `device: 'auto'` never checked whether a model fits the GPU, because the
 * ONNX backend passed `largestTensorBytes: 0`; an oversized model went to WebGPU, failed,
 * and only then fell back. The estimate now comes from config.json before any download.
 */
import { describe, expect, it } from 'vitest';
import { largestTensorBytes } from '../../src/backends/onnx/tensor-size.js';
import { chooseDevice, type GpuProbe } from '../../src/gpu.js';

const gpu: GpuProbe = { adapter: true, fallback: false, shaderF16: true, maxBufferSize: 2 ** 31, maxStorageBufferBindingSize: 2 ** 30, description: 'a real GPU' };
const smollm135 = { vocab_size: 49152, hidden_size: 576, intermediate_size: 1536 };
// Qwen2.5-7B's shape: a 152,064 × 3,584 embedding table.
const qwen7b = { vocab_size: 152064, hidden_size: 3584, intermediate_size: 18944 };

describe('the largest weight, from config.json', () => {
  it('is the embedding table in the file\'s float type (vocab × hidden × bytes)', () => {
    expect(largestTensorBytes(smollm135, 'q4')).toBe(49152 * 576 * 4);
    expect(largestTensorBytes(smollm135, 'q4f16')).toBe(49152 * 576 * 2);
    expect(largestTensorBytes(smollm135, 'int8')).toBe(49152 * 576);
  });

  it('is 0 when config.json lacks the sizes, so no limit check fires on a guess', () => {
    expect(largestTensorBytes({}, 'fp32')).toBe(0);
  });

  it("sends a model whose table exceeds the adapter's binding limit to WASM under 'auto', before any download", () => {
    const bytes = largestTensorBytes(qwen7b, 'fp32');
    expect(bytes).toBeGreaterThan(gpu.maxStorageBufferBindingSize);
    expect(chooseDevice('auto', gpu, { fp16: false, largestTensorBytes: bytes })).toMatchObject({ device: 'wasm', reason: expect.stringMatching(/exceeds the adapter's buffer limit/) });
    expect(chooseDevice('auto', gpu, { fp16: false, largestTensorBytes: largestTensorBytes(smollm135, 'q4') }).device).toBe('webgpu');
  });
});

import { describe, expect, it } from 'vitest';
import { WASM_PREFILL_CHUNK, chunksOf, prefillChunkFor } from '../../src/backends/onnx/prefill.js';

describe('where a prompt is cut for prefill', () => {
  it('a prompt up to one chunk and a half runs whole', () => {
    expect(chunksOf(0, 256)).toEqual([0]);
    expect(chunksOf(68, 256)).toEqual([68]);
    expect(chunksOf(384, 256)).toEqual([384]);
  });

  it('a longer one runs in full chunks, the remainder first, so the last run (the logits that matter) is a full one', () => {
    expect(chunksOf(385, 256)).toEqual([129, 256]);
    expect(chunksOf(512, 256)).toEqual([256, 256]);
    expect(chunksOf(1024, 256)).toEqual([256, 256, 256, 256]);
    expect(chunksOf(1100, 256)).toEqual([76, 256, 256, 256, 256]);
    for (const n of [400, 777, 2048, 4001]) expect(chunksOf(n, 256).reduce((a, b) => a + b, 0)).toBe(n);
  });

  it('an unbounded chunk (WebGPU) or a nonsense one never cuts', () => {
    expect(chunksOf(5000, Infinity)).toEqual([5000]);
    expect(chunksOf(5000, 0)).toEqual([5000]);
    expect(chunksOf(5000, Number.NaN)).toEqual([5000]);
  });

  it('WASM cuts at the measured size, except the int8 form (its per-run activation scale would change the answer); WebGPU prefills in one run', () => {
    expect(prefillChunkFor('wasm', 'fp32')).toBe(WASM_PREFILL_CHUNK);
    expect(prefillChunkFor('wasm', 'source')).toBe(WASM_PREFILL_CHUNK);
    expect(prefillChunkFor('wasm', undefined)).toBe(WASM_PREFILL_CHUNK);
    expect(prefillChunkFor('wasm', 'int8')).toBe(Infinity);
    expect(prefillChunkFor('webgpu', 'source')).toBe(Infinity);
  });
});

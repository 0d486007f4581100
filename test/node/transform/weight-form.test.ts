import { describe, expect, it } from 'vitest';
import { estimateParams, fp32Budget, planWeights } from '../../../src/backends/onnx/weight-form.js';

// SmolLM2-135M's published config and its published parameter count (134.5M, tied head).
const SMOLLM2 = { hidden_size: 576, num_hidden_layers: 30, intermediate_size: 1536, vocab_size: 49152, num_attention_heads: 9, num_key_value_heads: 3, tie_word_embeddings: true };
const STORIES = { hidden_size: 64, num_hidden_layers: 5, intermediate_size: 172, vocab_size: 512, num_attention_heads: 8, num_key_value_heads: 4, head_dim: 8, tie_word_embeddings: true };

describe('planWeights', () => {
  it('estimates parameters from a Llama config (without norms)', () => {
    expect(estimateParams(SMOLLM2)! / 1e6).toBeCloseTo(134.5, 0);
    expect(estimateParams({ hidden_size: 8 })).toBeUndefined();
  });

  it('auto with a cache: times int8 against fp32 when float32 fits the device comfortably, else int8 alone', () => {
    expect(planWeights('auto', 'q4', STORIES, 8, true)).toMatchObject({ form: 'int8', candidates: ['int8', 'fp32'] });
    expect(planWeights('auto', 'q4', STORIES, undefined, true).candidates).toEqual(['int8', 'fp32']);
    // 538 MB in float32: over the 512 MiB budget of an 8 GB device (a load peak of ~2 GB).
    const big = planWeights('auto', 'q4', SMOLLM2, 8, true);
    expect(big).toMatchObject({ form: 'int8', reason: expect.stringContaining('would not fit') });
    expect(big.candidates).toBeUndefined();
    expect(planWeights('auto', 'q4', {}, 8, true)).not.toHaveProperty('candidates');
  });

  it('the fp32 budget: a quarter of device memory and half the wasm32 heap, over the load peak (4x)', () => {
    const MiB = 1024 ** 2;
    expect(fp32Budget(8)).toBe(512 * MiB);
    expect(fp32Budget(undefined)).toBe(512 * MiB);
    expect(fp32Budget(2)).toBe(128 * MiB);
    expect(fp32Budget(0.5)).toBe(32 * MiB);
    // 54M parameters (215 MB in float32): measured on 4 GB and up, int8 alone on 2 GB.
    const mid = { ...SMOLLM2, num_hidden_layers: 10, vocab_size: 32000 };
    expect(estimateParams(mid)! / 1e6).toBeGreaterThan(35);
    expect(planWeights('auto', 'q4', mid, 8, true).candidates).toBeDefined();
    expect(planWeights('auto', 'q4', mid, 1, true).candidates).toBeUndefined();
  });

  it('auto without a cache to remember a measurement: the size rule (fp32 under 64 MB), never timing', () => {
    expect(planWeights('auto', 'q4', SMOLLM2, 8).form).toBe('int8');
    expect(planWeights('auto', 'q4', STORIES, 8)).toMatchObject({ form: 'fp32', reason: expect.stringContaining('no cache') });
    expect(planWeights('auto', 'q4', STORIES, undefined).form).toBe('fp32');
    expect(planWeights('auto', 'q4', STORIES, 2).candidates).toBeUndefined();
    expect(planWeights('auto', 'q4', { ...SMOLLM2, num_hidden_layers: 10, vocab_size: 32000 }, 8).form).toBe('int8');
    expect(planWeights('auto', 'q4', {}, 8).form).toBe('int8');
  });

  it('files that are not weight-only quantized run as they are', () => {
    for (const dtype of ['fp32', 'fp16', 'q4f16'] as const) expect(planWeights('auto', dtype, SMOLLM2, 8)).toMatchObject({ form: 'source' });
    expect(planWeights('int8', 'fp32', SMOLLM2, 8).form).toBe('source');
  });

  it('an explicit choice wins and says so', () => {
    expect(planWeights('fp32', 'q4', SMOLLM2, 8)).toMatchObject({ form: 'fp32', reason: expect.stringContaining("'fp32'") });
    expect(planWeights('int8', 'int8', STORIES, 8).form).toBe('int8');
    expect(planWeights('source', 'q4', SMOLLM2, 8).form).toBe('source');
    for (const pref of ['int8', 'fp32', 'source'] as const) expect(planWeights(pref, 'q4', STORIES, 8, true).candidates).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { estimateParams, planWeights } from '../../../src/backends/onnx/weight-form.js';

// SmolLM2-135M's published config and its published parameter count (134.5M, tied head).
const SMOLLM2 = { hidden_size: 576, num_hidden_layers: 30, intermediate_size: 1536, vocab_size: 49152, num_attention_heads: 9, num_key_value_heads: 3, tie_word_embeddings: true };
const STORIES = { hidden_size: 64, num_hidden_layers: 5, intermediate_size: 172, vocab_size: 512, num_attention_heads: 8, num_key_value_heads: 4, head_dim: 8, tie_word_embeddings: true };

describe('planWeights', () => {
  it('estimates parameters from a Llama config (without norms)', () => {
    expect(estimateParams(SMOLLM2)! / 1e6).toBeCloseTo(134.5, 0);
    expect(estimateParams({ hidden_size: 8 })).toBeUndefined();
  });

  it('auto: int8 for a 135M model, fp32 for a tiny one, unless memory is short', () => {
    expect(planWeights('auto', 'q4', SMOLLM2, 8).form).toBe('int8');
    expect(planWeights('auto', 'q4', STORIES, 8).form).toBe('fp32');
    expect(planWeights('auto', 'q4', STORIES, undefined).form).toBe('fp32');
    expect(planWeights('auto', 'q4', STORIES, 2).form).toBe('int8');
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
  });
});

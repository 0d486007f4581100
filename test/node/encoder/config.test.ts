import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isEdgewiseError } from '../../../src/errors.js';
import { maxLengthOf, readEncoderConfig } from '../../../src/backends/onnx/encoder/config.js';
import { GLOVE, MODELS, haveModels, readJson } from './helpers.js';

function refusal(config: Record<string, unknown>): { code: string; message: string } {
  try {
    readEncoderConfig(config);
  } catch (e) {
    if (isEdgewiseError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected readEncoderConfig to refuse this config');
}

describe('readEncoderConfig refuses generation models', () => {
  it.each([
    ['model_type llama', { model_type: 'llama', hidden_size: 64 }],
    ['model_type qwen2', { model_type: 'qwen2' }],
    ['model_type gpt2', { model_type: 'gpt2', n_embd: 32 }],
    ['is_decoder on a bert config', { model_type: 'bert', is_decoder: true }],
    ['a causal-LM architecture of an unknown type', { model_type: 'mystery', architectures: ['MysteryForCausalLM'] }],
    ['an LM-head architecture without model_type', { architectures: ['GPT2LMHeadModel'] }],
  ])('%s', (_, config) => {
    const r = refusal(config);
    expect(r.code).toBe('unsupported_model');
    expect(r.message).toMatch(/a generation model cannot embed/);
    expect(r.message).toMatch(/embedding model/);
  });
});

describe.skipIf(!haveModels)('readEncoderConfig on the shared models (skipped: ../shared/models is absent)', () => {
  it('refuses stories260K (a transformers llama config.json)', () => {
    expect(refusal(readJson(join(MODELS, 'stories260K-onnx', 'config.json'))).code).toBe('unsupported_model');
  });

  it('refuses tiny-random-llama-onnx-fp16 (it ships only an onnxruntime-genai config)', () => {
    expect(refusal(readJson(join(MODELS, 'tiny-random-llama-onnx-fp16', 'genai_config.json'))).message).toMatch(/onnxruntime-genai decoder config.*cannot embed/);
  });

  it('refuses tiny-random-gpt2-onnx (no model_type; its genai-style model block says gpt2)', () => {
    expect(refusal(readJson(join(MODELS, 'tiny-random-gpt2-onnx', 'config.json'))).message).toMatch(/gpt2/);
  });

  it('accepts the GloVe encoder', () => {
    expect(readEncoderConfig(readJson(join(GLOVE, 'config.json')))).toEqual({ modelType: 'bert', hiddenSize: 100, maxPositions: 512, padTokenId: 0 });
  });
});

describe('readEncoderConfig accepts encoders', () => {
  it.each([
    ['bert (bge, e5, MiniLM)', { model_type: 'bert', hidden_size: 384, max_position_embeddings: 512, pad_token_id: 0, is_decoder: false, use_cache: true }, { hiddenSize: 384, maxPositions: 512 }],
    ['roberta: 514 positions hold 512 tokens', { model_type: 'roberta', hidden_size: 768, max_position_embeddings: 514, pad_token_id: 1 }, { hiddenSize: 768, maxPositions: 512 }],
    ['xlm-roberta', { model_type: 'xlm-roberta', hidden_size: 1024, max_position_embeddings: 514, pad_token_id: 1 }, { hiddenSize: 1024, maxPositions: 512 }],
    ['mpnet', { model_type: 'mpnet', hidden_size: 768, max_position_embeddings: 514, pad_token_id: 1 }, { hiddenSize: 768, maxPositions: 512 }],
    ['distilbert (dim, not hidden_size)', { model_type: 'distilbert', dim: 768, max_position_embeddings: 512, pad_token_id: 0 }, { hiddenSize: 768, maxPositions: 512 }],
    ['nomic_bert (n_embd, n_positions)', { model_type: 'nomic_bert', n_embd: 768, n_positions: 8192, architectures: ['NomicBertModel'] }, { hiddenSize: 768, maxPositions: 8192 }],
    ['modernbert', { model_type: 'modernbert', hidden_size: 768, max_position_embeddings: 8192, pad_token_id: 50283 }, { hiddenSize: 768, maxPositions: 8192 }],
    ['an unknown type that says nothing decoder-like', { model_type: 'my-encoder' }, { hiddenSize: undefined, maxPositions: undefined }],
    ['an empty config', {}, { hiddenSize: undefined, maxPositions: undefined }],
  ])('%s', (_, config, expected) => {
    expect(readEncoderConfig(config)).toMatchObject(expected);
  });
});

describe('maxLengthOf', () => {
  const bert = readEncoderConfig({ model_type: 'bert', max_position_embeddings: 512 });

  it('takes the smaller of model_max_length and the model positions', () => {
    expect(maxLengthOf(bert, { model_max_length: 256 })).toBe(256);
    expect(maxLengthOf(readEncoderConfig({ model_type: 'bert', max_position_embeddings: 128 }), { model_max_length: 512 })).toBe(128);
  });

  it("ignores transformers' 1e30 'unset' model_max_length", () => {
    expect(maxLengthOf(bert, { model_max_length: 1e30 })).toBe(512);
  });

  it('falls back to 512 when nothing says', () => {
    expect(maxLengthOf(readEncoderConfig({}), {})).toBe(512);
  });
});

/**
 * Tokenizers to compile grammars against, and a "model" that is a seeded random number
 * generator: random logits each step, the constraint's mask, argmax, accept. Whatever it
 * writes is valid only because of the mask.
 */
import { isEdgewiseError, type EdgewiseError } from '../../../src/errors.js';
import './xgrammar-env.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { grammarVocab, type GrammarVocab } from '../../../src/backends/onnx/grammar/vocab.js';
import type { GrammarConstraint } from '../../../src/backends/onnx/grammar/constraint.js';
import { argmax, createRng } from '../../../src/backends/onnx/sampling.js';
import { buildTokenizer } from '../../fixtures/tokenizer.js';
import { SMOLLM2_135M_SHAPE, TINY_LLAMA } from '../../fixtures/shapes.js';

type Json = Record<string, unknown>;

export interface TokenizerSource {
  name: string;
  tokenizer: Json;
  config: Json;
  eosIds: number[];
  /** Rows of the model's logits. */
  vocabSize: number;
}

/** `../shared/models` from the project root; tests that need it skip, saying so, when it is absent. */
export const MODELS = join(process.cwd(), '..', 'shared', 'models');
export const STORIES_DIR = join(MODELS, 'stories260K-onnx');
export const LLAMA_DIR = join(MODELS, 'tiny-random-llama-onnx-fp16');
export const GPT2_DIR = join(MODELS, 'tiny-random-gpt2-onnx', 'gpt2-full-tokenizer-from-ortgenai');
export const HAS_STORIES = existsSync(join(STORIES_DIR, 'tokenizer.json'));
export const HAS_LLAMA = existsSync(join(LLAMA_DIR, 'tokenizer.json'));
export const HAS_GPT2 = existsSync(join(GPT2_DIR, 'tokenizer.json'));
export const MODELS_SKIP = 'skipped when ../shared/models is absent';

const readJson = (path: string): Json => JSON.parse(readFileSync(path, 'utf8')) as Json;

/** The fixture tokenizer (byte-level BPE, 512 tokens): what `npm run fixtures` writes to test/fixtures/out/tiny-llama/. */
export function fixtureTokenizer(): TokenizerSource {
  const { tokenizer, tokenizerConfig } = buildTokenizer(TINY_LLAMA);
  return { name: 'fixture tiny-llama (byte_level, 512)', tokenizer, config: tokenizerConfig, eosIds: [2, 0], vocabSize: TINY_LLAMA.vocabSize };
}

/** The bench shape's tokenizer: the fixture's merges padded with filler tokens to SmolLM2's 49,152. */
export function benchTokenizer(): TokenizerSource {
  const { tokenizer, tokenizerConfig } = buildTokenizer(SMOLLM2_135M_SHAPE);
  return { name: 'smollm2-135m-shape (byte_level, 49152)', tokenizer, config: tokenizerConfig, eosIds: [2], vocabSize: SMOLLM2_135M_SHAPE.vocabSize };
}

export function storiesTokenizer(): TokenizerSource {
  return { name: 'stories260K (byte_fallback, 512)', tokenizer: readJson(join(STORIES_DIR, 'tokenizer.json')), config: readJson(join(STORIES_DIR, 'tokenizer_config.json')), eosIds: [1, 2], vocabSize: 512 };
}

export function llamaTokenizer(): TokenizerSource {
  return { name: 'Llama-2 (byte_fallback, 32000)', tokenizer: readJson(join(LLAMA_DIR, 'tokenizer.json')), config: readJson(join(LLAMA_DIR, 'tokenizer_config.json')), eosIds: [2], vocabSize: 32000 };
}

export function gpt2Tokenizer(): TokenizerSource {
  // onnxruntime-genai's copy adds 38 tokens past GPT-2's 50,257.
  return { name: 'GPT-2 (byte_level, 50295)', tokenizer: readJson(join(GPT2_DIR, 'tokenizer.json')), config: readJson(join(GPT2_DIR, 'tokenizer_config.json')), eosIds: [50256], vocabSize: 50295 };
}

export function vocabOf(src: TokenizerSource): GrammarVocab {
  return grammarVocab(src.tokenizer, src.config, { eosIds: src.eosIds, vocabSize: src.vocabSize });
}

export function hfTokenizer(src: TokenizerSource): Tokenizer {
  return new Tokenizer(src.tokenizer, src.config);
}

export interface RandomRun {
  ids: number[];
  /** The grammar took a stop token before the budget ran out. */
  terminated: boolean;
}

/** Random logits → mask → argmax → accept, until the grammar ends or `budget` tokens. */
export async function randomConstrained(constraint: GrammarConstraint, logitsSize: number, seed: number, budget = 256): Promise<RandomRun> {
  const rng = createRng(seed);
  const logits = new Float32Array(logitsSize);
  const ids: number[] = [];
  for (let step = 0; step < budget; step++) {
    for (let i = 0; i < logitsSize; i++) logits[i] = rng();
    await constraint.mask(logits);
    const id = argmax(logits);
    constraint.accept(id);
    if (constraint.done) return { ids, terminated: true };
    ids.push(id);
  }
  return { ids, terminated: false };
}

/** The same random model without a mask: stops at a stop token or the budget. */
export function randomUnconstrained(logitsSize: number, eosIds: readonly number[], seed: number, budget = 256): number[] {
  const rng = createRng(seed);
  const logits = new Float32Array(logitsSize);
  const ids: number[] = [];
  for (let step = 0; step < budget; step++) {
    for (let i = 0; i < logitsSize; i++) logits[i] = rng();
    const id = argmax(logits);
    if (eosIds.includes(id)) break;
    ids.push(id);
  }
  return ids;
}

/** The typed error `f` throws; fails the test when it throws nothing or something untyped. */
export function caught(f: () => unknown): EdgewiseError {
  try {
    f();
  } catch (e) {
    if (isEdgewiseError(e)) return e;
    throw e;
  }
  throw new Error('expected a throw');
}

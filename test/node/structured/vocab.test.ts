// XGrammar's view of each tokenizer: ids in order with holes and special tokens empty,
// the vocab type and prepend-space read from tokenizer.json, the stop ids checked.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isEdgewiseError } from '../../../src/errors.js';
import { grammarVocab } from '../../../src/backends/onnx/grammar/vocab.js';
import { benchTokenizer, fixtureTokenizer, gpt2Tokenizer, HAS_GPT2, HAS_LLAMA, HAS_STORIES, llamaTokenizer, MODELS_SKIP, storiesTokenizer, vocabOf } from './helpers.js';

describe('grammarVocab', () => {
  it('fixture tokenizer: byte-level BPE, 512 tokens, specials empty', () => {
    const v = vocabOf(fixtureTokenizer());
    expect([v.vocabType, v.prependSpace, v.vocabSize, v.encodedVocab.length]).toEqual(['byte_level', false, 512, 512]);
    expect(v.encodedVocab.slice(0, 3)).toEqual(['', '', '']);
    expect(v.encodedVocab[3]).toBe('Ā'); // byte 0x00 in GPT-2's byte-to-unicode table
    expect(v.stopTokenIds).toEqual([2, 0]);
  });

  it('is the same as the generated test/fixtures/out/tiny-llama tokenizer when it exists', () => {
    const dir = join(process.cwd(), 'test', 'fixtures', 'out', 'tiny-llama');
    if (!existsSync(join(dir, 'tokenizer.json'))) return console.warn('skipped: run `npm run fixtures` to compare with the generated files');
    const read = (f: string): Record<string, unknown> => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>;
    expect(grammarVocab(read('tokenizer.json'), read('tokenizer_config.json'), { eosIds: [2, 0] }).key).toBe(vocabOf(fixtureTokenizer()).key);
  });

  it('bench shape: 49,152 byte-level tokens', () => {
    const v = vocabOf(benchTokenizer());
    expect([v.vocabType, v.vocabSize, v.encodedVocab.length]).toEqual(['byte_level', 49152, 49152]);
  });

  it.skipIf(!HAS_STORIES)(`stories260K: byte fallback, prepend space, 512 (${MODELS_SKIP})`, () => {
    const v = vocabOf(storiesTokenizer());
    expect([v.vocabType, v.prependSpace, v.vocabSize]).toEqual(['byte_fallback', true, 512]);
    expect(v.encodedVocab.slice(0, 4)).toEqual(['', '', '', '<0x00>']);
  });

  it.skipIf(!HAS_LLAMA)(`Llama-2: byte fallback, prepend space, 32,000 (${MODELS_SKIP})`, () => {
    const v = vocabOf(llamaTokenizer());
    expect([v.vocabType, v.prependSpace, v.vocabSize, v.encodedVocab.length]).toEqual(['byte_fallback', true, 32000, 32000]);
  });

  it.skipIf(!HAS_GPT2)(`GPT-2 (onnxruntime-genai's copy): byte level, 50,295 (${MODELS_SKIP})`, () => {
    const v = vocabOf(gpt2Tokenizer());
    expect([v.vocabType, v.prependSpace, v.vocabSize]).toEqual(['byte_level', false, 50295]);
  });

  it('pads to the model\'s logits size, fills holes, and encodes plain added tokens', () => {
    const tokenizer = {
      model: { type: 'BPE', vocab: { a: 0, b: 1, 'Ġc': 3 } },
      added_tokens: [{ id: 4, content: '<|end|>', special: true }, { id: 5, content: ' tool', special: false }],
      decoder: { type: 'ByteLevel' },
    };
    const v = grammarVocab(tokenizer, {}, { eosIds: [4], vocabSize: 8 });
    expect(v.encodedVocab).toEqual(['a', 'b', '', 'Ġc', '', 'Ġtool']);
    expect(v.vocabSize).toBe(8);
  });

  it('reads Metaspace tokenizers without byte fallback as byte_fallback (▁ is a space) and raw otherwise', () => {
    const meta = grammarVocab({ model: { type: 'Unigram', vocab: [['▁a', 0], ['</s>', 0]] }, decoder: { type: 'Metaspace' }, pre_tokenizer: { type: 'Metaspace', prepend_scheme: 'first' } }, {}, { eosIds: [1] });
    expect([meta.vocabType, meta.prependSpace, meta.encodedVocab]).toEqual(['byte_fallback', true, ['▁a', '</s>']]);
    expect(grammarVocab({ model: { type: 'WordLevel', vocab: { x: 0 } } }, {}, { eosIds: [0] }).vocabType).toBe('raw');
  });

  it('refuses missing or out-of-range stop ids with a typed error', () => {
    const t = fixtureTokenizer();
    for (const eosIds of [[], [512], [-1]]) {
      let error: unknown;
      try {
        grammarVocab(t.tokenizer, t.config, { eosIds });
      } catch (e) {
        error = e;
      }
      expect(isEdgewiseError(error) && error.code).toBe('unsupported_model');
    }
  });
});

/**
 * Shared test material: a hand-written WordPiece tokenizer (so truncation and packing have
 * hand-countable ids), and where the real shared models live.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

type Json = Record<string, unknown>;

export const WORDS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'the', 'cat', 'sat', 'on', 'mat', 'a', 'dog', 'ran', '.'] as const;
export const CLS = 2;
export const SEP = 3;
/** Id of a word of {@link WORDS}. */
export const id = (w: (typeof WORDS)[number]): number => WORDS.indexOf(w);

const special = (i: number): Json => ({ id: i, content: WORDS[i], single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });

/** A BERT-style tokenizer.json: lowercase, split on spaces and punctuation, `[CLS] A [SEP]`. */
export function tinyTokenizer(): { tokenizer: Json; tokenizerConfig: Json } {
  return {
    tokenizer: {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: [0, 1, 2, 3].map(special),
      normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
      pre_tokenizer: { type: 'BertPreTokenizer' },
      post_processor: {
        type: 'TemplateProcessing',
        single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
        pair: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } }],
        special_tokens: { '[CLS]': { id: '[CLS]', ids: [CLS], tokens: ['[CLS]'] }, '[SEP]': { id: '[SEP]', ids: [SEP], tokens: ['[SEP]'] } },
      },
      decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
      model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: Object.fromEntries(WORDS.map((w, i) => [w, i])) },
    },
    tokenizerConfig: { tokenizer_class: 'BertTokenizer', do_lower_case: true, model_max_length: 512, cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]', unk_token: '[UNK]' },
  };
}

/** `../shared/models` from the project root; tests that need it skip, saying so, when it is absent. */
export const MODELS = join(process.cwd(), '..', 'shared', 'models');
export const GLOVE = join(MODELS, 'glove-100d-static-onnx');
export const haveModels = existsSync(MODELS);
export const haveGlove = existsSync(join(GLOVE, 'onnx', 'model.onnx'));

export function readJson(path: string): Json {
  return JSON.parse(readFileSync(path, 'utf8')) as Json;
}

export { cosine } from '../../fixtures/verify-bert-session.js';

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EncoderTokenizer, truncateKeepingSuffix } from '../../../src/backends/onnx/encoder/tokenize.js';
import { CLS, GLOVE, SEP, haveGlove, id, readJson, tinyTokenizer } from './helpers.js';

describe('truncateKeepingSuffix', () => {
  it('keeps the head and the closing special tokens', () => {
    expect(truncateKeepingSuffix([2, 10, 11, 12, 13, 3], 4, 1)).toEqual([2, 10, 11, 3]);
    expect(truncateKeepingSuffix([0, 10, 11, 12, 2, 2], 5, 2)).toEqual([0, 10, 11, 2, 2]);
  });

  it('leaves a text that fits as it is (as a copy)', () => {
    const ids = [2, 10, 3];
    const out = truncateKeepingSuffix(ids, 3, 1);
    expect(out).toEqual(ids);
    expect(out).not.toBe(ids);
  });

  it('cuts plainly when the template adds nothing after the text', () => {
    expect(truncateKeepingSuffix([10, 11, 12, 13], 2, 0)).toEqual([10, 11]);
  });
});

describe('EncoderTokenizer', () => {
  const { tokenizer, tokenizerConfig } = tinyTokenizer();
  const tok = new EncoderTokenizer(tokenizer, tokenizerConfig, undefined);

  it("learns the template's shape: [CLS] A [SEP]", () => {
    expect([tok.specials, tok.suffix, tok.padId]).toEqual([2, 1, 0]);
  });

  it('adds the special tokens', () => {
    expect(tok.encode('The cat sat.', 16)).toEqual({ ids: [CLS, id('the'), id('cat'), id('sat'), id('.'), SEP], truncated: false });
  });

  it('gives [CLS] [SEP] for the empty string', () => {
    expect(tok.encode('', 16)).toEqual({ ids: [CLS, SEP], truncated: false });
  });

  it('a text of exactly maxLength ids is not truncated', () => {
    expect(tok.encode('the cat sat on', 6)).toEqual({ ids: [CLS, 4, 5, 6, 7, SEP], truncated: false });
  });

  it('cuts a longer text at maxLength keeping [SEP] last, and says so', () => {
    expect(tok.encode('the cat sat on the mat', 5)).toEqual({ ids: [CLS, id('the'), id('cat'), id('sat'), SEP], truncated: true });
  });

  it('reads a very long text from a prefix with the same ids as reading it whole', () => {
    const words = ['the', 'cat', 'sat', 'on', 'a', 'mat', 'dog', 'ran'] as const;
    const text = Array.from({ length: 20_000 }, (_, i) => words[(i * 5) % 8]).join(' ');
    const got = tok.encode(text, 32);
    const whole = tok.encode(text, 1_000_000).ids;
    expect(got.truncated).toBe(true);
    expect(got.ids).toEqual([...whole.slice(0, 31), SEP]);
  });

  it('takes the pad id from tokenizer_config, then config.json, then 0', () => {
    const named = new EncoderTokenizer(tokenizer, { ...tokenizerConfig, pad_token: '[UNK]' }, 7);
    expect(named.padId).toBe(1);
    const { pad_token: _, ...noPad } = tokenizerConfig;
    expect(new EncoderTokenizer(tokenizer, noPad, 7).padId).toBe(7);
  });

  it('reads a <s> A </s> template too', () => {
    const t = tinyTokenizer();
    const post = { ...(t.tokenizer['post_processor'] as Record<string, unknown>) };
    post['single'] = [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }];
    const two = new EncoderTokenizer({ ...t.tokenizer, post_processor: post }, t.tokenizerConfig, undefined);
    expect(two.suffix).toBe(2);
    expect(two.encode('the cat sat on the mat', 5)).toEqual({ ids: [CLS, id('the'), id('cat'), SEP, SEP], truncated: true });
  });
});

describe.skipIf(!haveGlove)('EncoderTokenizer on GloVe (skipped: ../shared/models/glove-100d-static-onnx is absent)', () => {
  it('matches the ids transformers.js gives', () => {
    const tok = new EncoderTokenizer(readJson(join(GLOVE, 'tokenizer.json')), readJson(join(GLOVE, 'tokenizer_config.json')), 0);
    expect(tok.encode('The cat sat on the carpet.', 512).ids).toEqual([2, 4, 5143, 3046, 15, 4, 8794, 6, 3]);
  });
});

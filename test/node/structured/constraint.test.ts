// The per-request constraint the decode loop drives: mask in place (padded rows too),
// accept or a typed error, done once the stop token is taken, disposal.
import './xgrammar-env.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenizerGrammars } from '../../../src/backends/onnx/grammar/compile.js';
import { GrammarConstraint } from '../../../src/backends/onnx/grammar/constraint.js';
import { applyTokenBitmask } from '../../../src/backends/onnx/grammar/mask.js';
import { isEdgewiseError } from '../../../src/errors.js';
import { fixtureTokenizer, vocabOf } from './helpers.js';
import { byteToUnicode } from '../../fixtures/tokenizer.js';

describe('applyTokenBitmask', () => {
  it('masks cleared bits, keeps set ones, and masks rows past the mask', () => {
    const logits = new Float32Array(70).fill(1);
    const mask = new Int32Array([-1, 0b101, 0]); // 0-31 allowed, 32 and 34 allowed, the rest not
    expect(applyTokenBitmask(logits, mask)).toBe(34);
    expect(logits.slice(30, 36)).toEqual(new Float32Array([1, 1, 1, -Infinity, 1, -Infinity]));
    expect(logits.slice(64).every((x) => x === -Infinity)).toBe(true);
    const longer = new Float32Array(100).fill(1);
    applyTokenBitmask(longer, new Int32Array([-1, -1]));
    expect(longer.slice(64).every((x) => x === -Infinity)).toBe(true);
  });

  it('counts a full last word only within the logits', () => {
    expect(applyTokenBitmask(new Float32Array(40), new Int32Array([-1, -1]))).toBe(40);
  });
});

describe('GrammarConstraint', () => {
  const src = fixtureTokenizer();
  const vocab = vocabOf(src);
  const table = byteToUnicode();
  const byteId = (c: string): number => vocab.encodedVocab.indexOf(table[c.charCodeAt(0)]!);
  let grammars: TokenizerGrammars;
  beforeAll(async () => {
    grammars = await TokenizerGrammars.create(vocab);
  });
  afterAll(() => grammars.dispose());

  it('drives a regex to its stop token: done, then every further call is refused', async () => {
    const constraint = await GrammarConstraint.create(await grammars.compile({ type: 'regex', pattern: 'ab' }));
    const logits = new Float32Array(512);
    await constraint.mask(logits);
    expect([...logits.keys()].filter((i) => logits[i] !== -Infinity)).toContain(byteId('a'));
    constraint.accept(byteId('a'));
    constraint.accept(byteId('b'));
    expect(constraint.done).toBe(false);
    logits.fill(0);
    await constraint.mask(logits);
    expect([...logits.keys()].filter((i) => logits[i] !== -Infinity)).toEqual([2, 0].sort((x, y) => x - y));
    constraint.accept(2);
    expect([constraint.done, constraint.steps]).toEqual([true, 3]);
    constraint.dispose();
    constraint.dispose();
    expect(constraint.done).toBe(false);
    let error: unknown;
    try {
      constraint.accept(2);
    } catch (e) {
      error = e;
    }
    expect(isEdgewiseError(error) && error.code).toBe('disposed');
  });

  it('refuses a token the grammar forbids with a typed error naming it', async () => {
    const constraint = await GrammarConstraint.create(await grammars.compile({ type: 'regex', pattern: 'ab' }));
    let error: unknown;
    try {
      constraint.accept(byteId('z'));
    } catch (e) {
      error = e;
    }
    expect(isEdgewiseError(error) && error.code).toBe('runtime_error');
    expect(isEdgewiseError(error) && error.details).toMatchObject({ tokenId: byteId('z'), steps: 0 });
    constraint.dispose();
  });

  it('masks rows a model pads its vocabulary with (logits longer than the tokenizer)', async () => {
    const constraint = await GrammarConstraint.create(await grammars.compile({ type: 'json_object' }));
    const logits = new Float32Array(576).fill(5); // 64 padded rows, all with the highest logit
    await constraint.mask(logits);
    expect(logits.slice(512).every((x) => x === -Infinity)).toBe(true);
    expect(logits[byteId('{')]).toBe(5);
    constraint.dispose();
  });

  it('a padded vocabulary (vocabSize above the tokenizer) compiles and never allows the padding', async () => {
    const padded = await TokenizerGrammars.create({ ...vocab, vocabSize: 600, key: `${vocab.key}:600` });
    const constraint = await GrammarConstraint.create(await padded.compile({ type: 'regex', pattern: '[0-9]+' }));
    const logits = new Float32Array(600).fill(1);
    await constraint.mask(logits);
    expect(logits.slice(512).every((x) => x === -Infinity)).toBe(true);
    constraint.dispose();
    padded.dispose();
  });

  it('honours other stop tokens for one request', async () => {
    const constraint = await GrammarConstraint.create(await grammars.compile({ type: 'regex', pattern: 'a' }), { eosIds: [1] });
    constraint.accept(byteId('a'));
    const logits = new Float32Array(512);
    await constraint.mask(logits);
    expect([...logits.keys()].filter((i) => logits[i] !== -Infinity)).toEqual([1]);
    constraint.accept(1);
    expect(constraint.done).toBe(true);
    constraint.dispose();
  });

  it('never lets the bytes become invalid UTF-8 (XGrammar alone allows a lone C0)', async () => {
    const constraint = await GrammarConstraint.create(await grammars.compile({ type: 'json_schema', schema: { type: 'string', maxLength: 4 } }));
    constraint.accept(byteId('"'));
    const logits = new Float32Array(512);
    await constraint.mask(logits);
    const allowed = (b: number): boolean => logits[vocab.encodedVocab.indexOf(table[b]!)] !== -Infinity;
    expect([0xc0, 0xc1, 0xf5, 0xff, 0x80].map(allowed)).toEqual([false, false, false, false, false]);
    expect([0x41, 0xc3, 0xe0, 0xf0].map(allowed)).toEqual([true, true, true, true]);
    constraint.accept(vocab.encodedVocab.indexOf(table[0xe0]!));
    logits.fill(0);
    await constraint.mask(logits);
    // After E0 only A0-BF may follow (80-9F would spell an overlong form).
    expect([0x80, 0x9f, 0xa0, 0xbf, 0x41].map(allowed)).toEqual([false, false, true, true, false]);
    constraint.dispose();
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY_BERT } from '../fixtures/bert-shapes.js';
import { fileHashes } from '../fixtures/file-hashes.js';
import { generateFixtures, type GeneratedModel } from '../fixtures/generate.js';

const BERT_FILES = [
  'config.json',
  'onnx/model.onnx',
  'onnx/model_quantized.onnx',
  'special_tokens_map.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'vocab.txt',
];

const readJson = (dir: string, name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(dir, name), 'utf8')) as Record<string, unknown>;

describe('tiny-bert fixture', () => {
  let root: string;
  let bert: GeneratedModel;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'ew-bert-a-'));
    bert = generateFixtures({ outDir: root, log: () => undefined }).find((m) => m.name === TINY_BERT.name)!;
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('is written in the Hugging Face / Optimum layout', () => {
    expect(Object.keys(fileHashes(bert.dir)).sort()).toEqual(BERT_FILES);
    const config = readJson(bert.dir, 'config.json');
    expect(config).toMatchObject({
      model_type: 'bert',
      architectures: ['BertModel'],
      hidden_size: TINY_BERT.hiddenSize,
      num_hidden_layers: TINY_BERT.numLayers,
      num_attention_heads: TINY_BERT.numHeads,
      vocab_size: TINY_BERT.vocabSize,
      type_vocab_size: 2,
      hidden_act: 'gelu',
      pad_token_id: 0,
    });
    expect(readJson(bert.dir, 'tokenizer_config.json')).toMatchObject({
      tokenizer_class: 'BertTokenizer',
      do_lower_case: true,
      model_max_length: TINY_BERT.maxPositionEmbeddings,
    });
    const vocab = readFileSync(join(bert.dir, 'vocab.txt'), 'utf8').trimEnd().split('\n');
    expect(vocab.slice(0, 5)).toEqual(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);
    expect(vocab).toHaveLength(TINY_BERT.vocabSize);
  });

  it('is byte-identical across two fresh generations, and skipped when up to date', () => {
    const other = mkdtempSync(join(tmpdir(), 'ew-bert-b-'));
    try {
      const again = generateFixtures({ outDir: other, log: () => undefined }).find((m) => m.name === TINY_BERT.name)!;
      expect(fileHashes(again.dir)).toEqual(fileHashes(bert.dir));
      const rerun = generateFixtures({ outDir: root, log: () => undefined }).find((m) => m.name === TINY_BERT.name)!;
      expect(rerun.skipped).toBe(true);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('has a WordPiece tokenizer that @huggingface/tokenizers loads: [CLS] .. [SEP], ## pieces, no [UNK] on ASCII', () => {
    const tok = new Tokenizer(readJson(bert.dir, 'tokenizer.json'), readJson(bert.dir, 'tokenizer_config.json'));
    const enc = tok.encode('Tokenization splits UNBELIEVABLY rare words; 1,024 of them!');
    expect(enc.tokens[0]).toBe('[CLS]');
    expect(enc.tokens.at(-1)).toBe('[SEP]');
    expect(enc.ids.slice(0, 1).concat(enc.ids.slice(-1))).toEqual([2, 3]);
    expect(enc.tokens.filter((t) => t.startsWith('##')).length).toBeGreaterThan(2);
    expect(enc.tokens).not.toContain('[UNK]');
    expect(enc.tokens.slice(1, -1).every((t) => t === t.toLowerCase())).toBe(true);
    expect(tok.encode('the model', { add_special_tokens: false }).tokens).toEqual(['the', 'model']);
  });

  it('runs in onnxruntime-web: shapes, plain-JS reference, padding invariance, controls (verify-bert.ts)', () => {
    // verify-bert.ts exits non-zero and prints FAIL lines on any failed check.
    const out = execFileSync('npx', ['tsx', 'test/fixtures/verify-bert.ts'], { encoding: 'utf8', timeout: 120_000 });
    expect(out).not.toMatch(/\bFAIL\b/);
    expect(out).toMatch(/PASS padding invariance/);
    expect(out.match(/\bPASS\b/g)?.length ?? 0).toBeGreaterThan(20);
  }, 150_000);
});

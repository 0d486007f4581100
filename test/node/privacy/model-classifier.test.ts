/**
 * Issue 16: the token classifier end to end in onnxruntime-web (wasm, in Node) on the
 * generated tiny-ner fixture, whose labels are known by construction: names, addresses
 * and secrets found with the right character offsets, `##` continuations joined, the
 * unsure word left out under the default floor and found under a lower one, and a name
 * far past the model's 16 positions still found (the windows skip nothing).
 */
import { mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTokenClassifier, type TokenClassifier } from '../../../src/backends/onnx/encoder/token-classify.js';
import type { OrtModule } from '../../../src/backends/onnx/runtime.js';
import { modelSpans } from '../../../src/privacy/model-labels.js';
import { REDACTION_TYPES } from '../../../src/route/vocab.js';
import { TINY_NER, writeNerFolder } from '../../fixtures/ner-folder.js';

let dir: string;
let ner: TokenClassifier;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tiny-ner-'));
  mkdirSync(join(dir, 'onnx'));
  writeNerFolder(TINY_NER, dir);
  const json = (f: string): Record<string, unknown> => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>;
  ner = await openTokenClassifier(ort as unknown as OrtModule, {
    config: json('config.json'), tokenizer: json('tokenizer.json'), tokenizerConfig: json('tokenizer_config.json'),
    model: new Uint8Array(readFileSync(join(dir, 'onnx', 'model.onnx'))),
  }, (o, model) => o.InferenceSession.create(model));
});

afterAll(async () => {
  await ner?.release();
  rmSync(dir, { recursive: true, force: true });
});

const found = (text: string, entities: { label: string; start: number; end: number }[]): [string, string][] =>
  entities.map((e) => [e.label, text.slice(e.start, e.end)]);

describe('token classifier on tiny-ner', () => {
  it('reads 16 positions and the labels of config.json', () => {
    expect(ner.maxLength).toBe(16);
    expect(ner.labels[1]).toBe('B-PER');
  });

  it('finds names, addresses and secrets with their character offsets', async () => {
    const text = 'Hello, my name is Alice Smith and Zephyrine lives at 12 Maple Street; password hunter2 (Acme).';
    const [entities] = await ner.classify([text], { minScore: 0.5 });
    expect(found(text, entities!)).toEqual([['PER', 'Alice Smith'], ['PER', 'Zephyrine'], ['ADDRESS', 'Maple Street'], ['SECRET', 'hunter2'], ['ORG', 'Acme']]);
    expect(entities![0]!.score).toBeGreaterThan(0.99);
  });

  it('leaves out a token under minScore, and finds it under a lower floor', async () => {
    const text = 'call Maybe today';
    expect((await ner.classify([text], { minScore: 0.5 }))[0]).toEqual([]);
    const [low] = await ner.classify([text], { minScore: 0.3 });
    expect(found(text, low!)).toEqual([['PER', 'Maybe']]);
    expect(low![0]!.score).toBeCloseTo(0.4, 3);
  });

  it('finds a name hundreds of tokens past the model length, in several texts at once', async () => {
    const filler = 'the '.repeat(300);
    const texts = [`${filler}meet Bob`, 'Carol Jones', `Bob ${filler}`];
    const out = await ner.classify(texts, { minScore: 0.5 });
    expect(out.map((e, i) => found(texts[i]!, e))).toEqual([[['PER', 'Bob']], [['PER', 'Carol Jones']], [['PER', 'Bob']]]);
  });

  it('maps to redaction spans without the organisation', async () => {
    const text = 'Alice works for Acme on Elm Road in Paris';
    const [entities] = await ner.classify([text], { minScore: 0.5 });
    const spans = modelSpans(text, entities!, new Set(REDACTION_TYPES));
    expect(spans.map((s) => [s.type, text.slice(s.start, s.end)])).toEqual([['name', 'Alice'], ['address', 'Elm Road'], ['address', 'Paris']]);
  });
});

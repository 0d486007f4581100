/**
 * Issue 8 in Chromium, through the built package: local embeddings on the generated
 * tiny BERT encoder (shape, order, batching, truncation, bad input), and the acceptance
 * check on the real GloVe model from ../shared/models (skipped with a message when absent).
 */
import { createEngine, isEdgewiseError, type Engine } from '/dist/edgewise.js';
import { FIXTURE_URL, MODEL_SERVER, assert, assertEqual, rejection, sharedModelsAvailable } from '../helpers.js';
import { BERT_URL, cosine, dot } from './helpers.js';

const GLOVE_URL = `${MODEL_SERVER}/shared/glove-100d-static-onnx/`;

const codeOf = (e: unknown): string => (isEdgewiseError(e) ? e.code : `untyped: ${String(e)}`);

describe('embeddings: the real GloVe model (acceptance 1)', () => {
  for (const dtype of ['fp32', 'q8'] as const) {
    it(`${dtype}: "The cat sat on the carpet." is closer to the kitten sentence than to the finance one, by a clear margin`, async function () {
      if (!(await sharedModelsAvailable())) {
        console.warn('SKIP GloVe acceptance: ../shared/models is absent');
        this.skip();
      }
      const engine = createEngine({ embeddingModel: { id: 'glove-100d', url: GLOVE_URL, dtype }, cache: false });
      try {
        const [cat, kitten, shares] = await engine.embed(['The cat sat on the carpet.', 'A kitten was lying on the rug.', 'Shares plunged after the earnings report.']);
        const near = cosine(cat as Float32Array, kitten as Float32Array);
        const far = cosine(cat as Float32Array, shares as Float32Array);
        console.log(`GloVe ${dtype}: cos(cat, kitten) = ${near.toFixed(3)}, cos(cat, shares) = ${far.toFixed(3)}`);
        assert(near - far > 0.2, `a clear margin: ${near.toFixed(3)} vs ${far.toFixed(3)}`);
        assertEqual(cat?.length, 100, '100 dimensions');
      } finally {
        await engine.dispose();
      }
    });
  }
});

describe('embeddings: the generated tiny BERT encoder', () => {
  let engine: Engine;
  before(() => { engine = createEngine({ embeddingModel: { id: 'tiny-bert', url: BERT_URL }, cache: false }); });
  after(() => engine.dispose());

  it('one unit-length vector per text, in input order, whatever the batch size', async () => {
    const texts = ['short', 'a somewhat longer sentence about cats and dogs', 'mid length text', '', 'the end'];
    const a = await engine.embed(texts, { batchSize: 1 });
    const b = await engine.embed(texts, { batchSize: 32 });
    const c = await engine.embed([...texts].reverse(), { batchSize: 2 });
    assertEqual(a.length, texts.length, 'one vector per text');
    for (let i = 0; i < texts.length; i++) {
      const v = a[i] as Float32Array;
      assert(Math.abs(Math.sqrt(dot(v, v)) - 1) < 1e-5, `unit length (${i})`);
      assert(cosine(v, b[i] as Float32Array) > 0.99999, `batch 1 = batch 32 (${i})`);
      assert(cosine(v, c[texts.length - 1 - i] as Float32Array) > 0.99999, `input order kept (${i})`);
    }
    assertEqual(a.ranOn, 'wasm', 'ran locally');
    assertEqual(a.route.reason, 'local_only', 'and says why');
    assert(a.promptTokens > texts.length * 2, 'tokens counted');
  });

  it('pooling and normalize change the result as documented', async () => {
    const [mean] = await engine.embed(['hello world'], { pooling: 'mean' });
    const [cls] = await engine.embed(['hello world'], { pooling: 'cls' });
    const [raw] = await engine.embed(['hello world'], { normalize: false });
    assert(cosine(mean as Float32Array, cls as Float32Array) < 0.9999, 'cls differs from mean');
    assert(Math.abs(Math.sqrt(dot(raw as Float32Array, raw as Float32Array)) - 1) > 1e-3, 'normalize: false leaves the length alone');
    assert(cosine(raw as Float32Array, mean as Float32Array) > 0.99999, 'the default pooling of a model without a pooled output is mean');
  });

  it('a text longer than the model maximum is truncated and reported, never silently', async () => {
    const long = 'word '.repeat(5000);
    const r = await engine.embed(['fine', long, 'also fine']);
    assertEqual(r.truncated, [1], 'the long text is reported');
    assertEqual(r.length, 3, 'still one vector each');
  });

  it('bad input: [] → [], "" → a vector, non-strings → invalid_input, bad options → typed, all within a second', async () => {
    const t0 = performance.now();
    const empty = await engine.embed([]);
    assertEqual(empty.length, 0, 'empty list gives []');
    assertEqual((await engine.embed(['']))[0]?.length, 32, 'an empty string has a defined vector');
    assertEqual(codeOf(await rejection(engine.embed(['ok', 42 as unknown as string]))), 'invalid_input', 'non-string item');
    assertEqual(codeOf(await rejection(engine.embed('text' as unknown as string[]))), 'invalid_input', 'not an array');
    assertEqual(codeOf(await rejection(engine.embed(['x'], { batchSize: 0 }))), 'invalid_option', 'batchSize 0');
    assertEqual(codeOf(await rejection(engine.embed(['x'], { pooling: 'max' as 'mean' }))), 'invalid_option', 'unknown pooling');
    assertEqual(codeOf(await rejection(engine.embed(['x'], { signal: {} as AbortSignal }))), 'invalid_signal', 'bad signal');
    assert(performance.now() - t0 < 1000, 'all within a second');
  });

  it('10,000 texts stream through in windows with progress, and an abort ends it typed', async function () {
    this.timeout(300_000);
    const texts = Array.from({ length: 10_000 }, (_, i) => `note ${i}: buy milk and ${i % 7} eggs`);
    const seen: number[] = [];
    const r = await engine.embed(texts, { batchSize: 64, onProgress: (p) => { seen.push(p.done); assertEqual(p.total, 10_000, 'total'); } });
    assertEqual(r.length, 10_000, 'all vectors');
    assert(seen.length > 10 && seen.every((d, i) => i === 0 || d > (seen[i - 1] as number)) && seen.at(-1) === 10_000, 'progress rises to the total');
    const [again] = await engine.embed([texts[9_999] as string]);
    assert(cosine(again as Float32Array, r[9_999] as Float32Array) > 0.99999, 'the last vector is the last text\'s');
    const controller = new AbortController();
    const pending = engine.embed(texts, { batchSize: 64, signal: controller.signal, onProgress: (p) => { if (p.done >= 1000) controller.abort(); } });
    const t0 = performance.now();
    assertEqual(codeOf(await rejection(pending)), 'aborted', 'typed abort');
    assert(performance.now() - t0 < 5000, 'ended promptly');
  });

  it('a generation model given as the embedding model fails with unsupported_model before its weights download', async () => {
    const e = createEngine({ embeddingModel: { id: 'tiny-llama', url: FIXTURE_URL, dtype: 'q4' }, cache: false });
    try {
      assertEqual(codeOf(await rejection(e.embed(['x']))), 'unsupported_model', 'typed');
    } finally {
      await e.dispose();
    }
  });

  it('embed() without an embedding model and without a remote fails with no_embedding_model', async () => {
    const e = createEngine({ model: { id: 'tiny-llama', url: FIXTURE_URL, dtype: 'q4' }, cache: false });
    try {
      assertEqual(codeOf(await rejection(e.embed(['x']))), 'no_embedding_model', 'typed');
    } finally {
      await e.dispose();
    }
  });

  it('one engine holds a generation model and an embedding model in one worker and one cache', async () => {
    const e = createEngine({ model: { id: 'tiny-llama-both', url: FIXTURE_URL, dtype: 'q4' }, embeddingModel: { id: 'tiny-bert-both', url: BERT_URL } });
    try {
      await e.cache.clear();
      const models = new Set<string>();
      await e.load({ onProgress: (p) => { if (p.model) models.add(p.model); } });
      assertEqual([...models].sort(), ['tiny-bert-both:fp32', 'tiny-llama-both:q4'], 'progress names both models');
      const [text, vectors] = await Promise.all([e.text({ prompt: 'Hi', maxTokens: 3 }), e.embed(['hi', 'there'])]);
      assert(text.length > 0 && vectors.length === 2, 'both work side by side');
      const keys = (await e.cache.list()).map((m) => m.key).sort();
      assertEqual(keys.filter((k) => k.endsWith('-both:q4') || k.endsWith('-both:fp32')), ['tiny-bert-both:fp32', 'tiny-llama-both:q4'], 'engine.cache lists both');
      await e.cache.clear();
    } finally {
      await e.dispose();
    }
  });
});

/**
 * End to end on a real encoder: the GloVe-100d bag-of-words model in onnxruntime-web (wasm)
 * in Node, fp32 and int8. The expected cosines (0.715 and 0.329) are what transformers.js
 * 4.3.1's feature-extraction pipeline (mean pooling, normalize) gives on the fp32 file; the
 * ≈0.65 / ≈0.30 in ../shared/models/README.md are rounder than what either library measures.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEdgewiseError } from '../../../src/errors.js';
import { openEncoder, type Encoder } from '../../../src/backends/onnx/encoder/index.js';
import { GLOVE, cosine, haveGlove, readJson } from './helpers.js';

const CAT = 'The cat sat on the carpet.';
const KITTEN = 'A kitten was lying on the rug.';
const SHARES = 'Shares plunged after the earnings report.';

if (!haveGlove) console.warn(`Skipping the GloVe end-to-end tests: ${GLOVE} is absent (the shared test models live outside the repository).`);

function open(file: string): Promise<Encoder> {
  return openEncoder(ort, {
    config: readJson(join(GLOVE, 'config.json')),
    tokenizer: readJson(join(GLOVE, 'tokenizer.json')),
    tokenizerConfig: readJson(join(GLOVE, 'tokenizer_config.json')),
    model: readFileSync(join(GLOVE, 'onnx', file)),
  });
}

const maxDiff = (a: Float32Array[], b: Float32Array[]): number =>
  Math.max(...a.map((v, i) => Math.max(...v.map((x, d) => Math.abs(x - b[i]![d]!)))));

describe.skipIf(!haveGlove).each(['model.onnx', 'model_quantized.onnx'])('GloVe %s (skipped when ../shared/models/glove-100d-static-onnx is absent)', (file) => {
  let encoder: Encoder;
  beforeAll(async () => {
    encoder = await open(file);
  });
  afterAll(async () => {
    await encoder.release();
  });

  it('reads the model: 100 dims, 512 tokens, a sentence_embedding output used by default', () => {
    expect([encoder.dims, encoder.maxLength, encoder.hasPooledOutput, encoder.defaultPooling]).toEqual([100, 512, true, 'pooled']);
  });

  it.each(['mean', 'pooled'] as const)('%s pooling: the kitten on the rug is far closer to the cat on the carpet than the share crash is', async (pooling) => {
    const { vectors } = await encoder.embed({ texts: [CAT, KITTEN, SHARES], batchSize: 8, normalize: true, pooling });
    const [cat, kitten, shares] = vectors as [Float32Array, Float32Array, Float32Array];
    const near = cosine(cat, kitten);
    const far = cosine(cat, shares);
    expect(near - far).toBeGreaterThan(0.3);
    // int8 rows move these by under 0.001.
    expect(near).toBeCloseTo(0.7153, 2);
    expect(far).toBeCloseTo(0.3287, 2);
  });

  it("masked mean + normalize equals the model's own sentence_embedding", async () => {
    const texts = [CAT, KITTEN, SHARES, 'the'];
    const mean = await encoder.embed({ texts, batchSize: 4, normalize: true, pooling: 'mean' });
    const pooled = await encoder.embed({ texts, batchSize: 4, normalize: true, pooling: 'pooled' });
    expect(maxDiff(mean.vectors, pooled.vectors)).toBeLessThan(1e-5);
  });

  it('gives the same vectors in batches as one by one, whatever the batch size', async () => {
    const texts = [CAT, '', KITTEN, 'Paris is the capital of France, and Berlin is the capital of Germany.', SHARES, 'dog', 'The quick brown fox jumps over the lazy dog near the river bank at dawn.', 'rain'];
    const single = await Promise.all(texts.map(async (t) => (await encoder.embed({ texts: [t], batchSize: 1, normalize: true })).vectors[0]!));
    for (const batchSize of [1, 3, 5, 64]) {
      for (const pooling of ['mean', 'pooled'] as const) {
        const { vectors } = await encoder.embed({ texts, batchSize, normalize: true, pooling });
        expect(maxDiff(vectors, single)).toBeLessThan(1e-5);
      }
    }
  });

  it('embeds the empty string as a defined (zero: its specials have zero vectors) vector', async () => {
    const { vectors, promptTokens } = await encoder.embed({ texts: [''], batchSize: 1, normalize: true });
    expect(promptTokens).toBe(2);
    expect(Array.from(vectors[0]!).every((x) => x === 0)).toBe(true);
  });

  it('cuts a text longer than maxLength, says which, and embeds what fits', async () => {
    const words = ['cat', 'dog', 'river', 'city', 'music', 'bank'];
    const long = Array.from({ length: 800 }, (_, i) => words[i % 6]).join(' ');
    const fits = long.split(' ').slice(0, 510).join(' ');
    const r = await encoder.embed({ texts: [CAT, long, fits], batchSize: 2, normalize: true, pooling: 'mean' });
    expect(r.truncated).toEqual([1]);
    expect(r.promptTokens).toBe(9 + 512 + 512);
    expect(maxDiff([r.vectors[1]!], [r.vectors[2]!])).toBeLessThan(1e-5);
  });

  it('rejects typed when aborted between batches', async () => {
    const ac = new AbortController();
    const texts = Array.from({ length: 40 }, (_, i) => `text number ${i} about a cat`);
    const seen: number[] = [];
    const error = await encoder
      .embed({ texts, batchSize: 4, normalize: true }, { signal: ac.signal, onBatch: (done) => (seen.push(done), done === 8 && ac.abort()) })
      .catch((e: unknown) => e);
    expect(isEdgewiseError(error) && error.code).toBe('aborted');
    expect(seen).toEqual([4, 8]);
    // The encoder still works afterwards.
    expect((await encoder.embed({ texts: [CAT], batchSize: 1, normalize: true })).vectors).toHaveLength(1);
  });
});

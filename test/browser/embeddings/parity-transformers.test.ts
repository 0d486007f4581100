/**
 * Acceptance (issue 8.2): on the generated tiny BERT encoder, edgewise's vectors match
 * @huggingface/transformers' `feature-extraction` pipeline (same files, mean pooling,
 * normalized) with cosine similarity ≥ 0.9999 for 20 varied texts.
 */
import { env, pipeline } from '@huggingface/transformers';
import { createEngine } from '/dist/edgewise.js';
import { assert } from '../helpers.js';
import { BERT_URL, cosine } from './helpers.js';

const TEXTS = [
  'The cat sat on the carpet.', 'A kitten was lying on the rug.', 'Shares plunged after the earnings report.',
  'hello', '', 'Once upon a time, there was a little girl named Lily.', 'UPPER CASE and lower case',
  'numbers 1234 and 5678', 'punctuation!!! does it matter???', 'a b c d e f g h i j k l m n o p',
  'The quick brown fox jumps over the lazy dog.', 'unbelievably uncharacteristically', 'café naïve résumé',
  'tabs\tand\nnewlines', 'email me at someone@example.com', 'dogs and cats and birds and fish',
  'short', 'A much longer sentence that goes on and on about nothing in particular, just to be long enough to need padding.',
  'emoji 🙂 here', 'the the the the the',
];

describe('embeddings: parity with transformers.js feature-extraction', () => {
  it('cosine ≥ 0.9999 for 20 varied texts (mean pooling, normalized)', async () => {
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.useBrowserCache = false;
    env.localModelPath = '/test/fixtures/out/';
    (env.backends.onnx.wasm as { wasmPaths?: string }).wasmPaths = '/node_modules/@huggingface/transformers/node_modules/onnxruntime-web/dist/';
    const extractor = await pipeline('feature-extraction', 'tiny-bert', { dtype: 'fp32', device: 'wasm' });
    const reference = (await extractor(TEXTS, { pooling: 'mean', normalize: true })).tolist() as number[][];
    await extractor.dispose();

    const engine = createEngine({ embeddingModel: { id: 'tiny-bert', url: BERT_URL, dtype: 'fp32' }, cache: false });
    try {
      const ours = await engine.embed(TEXTS, { pooling: 'mean', normalize: true, batchSize: 8 });
      let worst = 1;
      for (let i = 0; i < TEXTS.length; i++) {
        const c = cosine(ours[i] as Float32Array, Float32Array.from(reference[i] as number[]));
        worst = Math.min(worst, c);
        assert(c >= 0.9999, `text ${i} (${JSON.stringify(TEXTS[i])}): cosine ${c}`);
      }
      console.log(`parity with transformers.js feature-extraction: worst cosine over ${TEXTS.length} texts ${worst.toFixed(7)}`);
    } finally {
      await engine.dispose();
    }
  });
});

/**
 * Safety net for the redesign's `engine.unload(which?: 'model' | 'embeddingModel')`
 * (public API, built package, real worker): unloading the generation model releases it
 * and nothing else. The embedding model stays loaded and keeps working without a reload;
 * the next generate() loads the generation model again, from the cache.
 *
 * Written before the method exists: until it does, this file does not typecheck and the
 * tests fail with "engine.unload is not a function".
 */
import { createEngine, type Progress } from '/dist/edgewise.js';
import { FIXTURE_URL, assert, assertEqual } from '../helpers.js';
import { BERT_URL, cosine } from '../embeddings/helpers.js';

describe('safety net: unload the generation model, keep the embedder', () => {
  it("unload('model'): info() drops the model and keeps the embedding model; embed() works without reloading it; generate() reloads the model from the cache", async () => {
    const engine = createEngine({
      model: { id: 'safety-net-unload-gen', url: FIXTURE_URL, dtype: 'q4' },
      embeddingModel: { id: 'safety-net-unload-bert', url: BERT_URL },
    });
    try {
      await engine.cache.delete();
      const before = await engine.text({ prompt: 'Once upon a time', maxTokens: 8 });
      assert(before.length > 0, 'generated once');
      const [first] = await engine.embed(['the cat sat on the mat']);
      const loaded = await engine.info();
      assert(loaded.model !== undefined && loaded.embeddingModel !== undefined, 'both models are loaded');

      await engine.unload('model');
      const after = await engine.info();
      assertEqual(after.model, undefined, 'the generation model is released');
      assertEqual(after.embeddingModel?.engine, 'onnx', 'the embedding model is still loaded');

      const [again] = await engine.embed(['the cat sat on the mat']);
      assert(cosine(first as Float32Array, again as Float32Array) > 0.99999, 'the same vector as before the unload');
      assertEqual((await engine.info()).model, undefined, 'embedding did not bring the generation model back');

      const sources = new Set<string>();
      await engine.load({ onProgress: (p: Progress) => { if (!p.file.includes('tiny-bert')) sources.add(p.source); } });
      assertEqual([...sources], ['cache'], 'the generation model loads again from the cache');
      assertEqual(await engine.text({ prompt: 'Once upon a time', maxTokens: 8 }), before, 'and generates the same greedy text');
      assert((await engine.info()).model !== undefined, 'and is reported again');
    } finally {
      await engine.cache.delete();
      await engine.dispose();
    }
  });

  it("unload() with no argument releases both; each loads again on its next call", async () => {
    const engine = createEngine({
      model: { id: 'safety-net-unload-gen', url: FIXTURE_URL, dtype: 'q4' },
      embeddingModel: { id: 'safety-net-unload-bert', url: BERT_URL },
      cache: false,
    });
    try {
      const text = await engine.text({ prompt: 'Hello', maxTokens: 4 });
      await engine.embed(['hello']);
      await engine.unload();
      const info = await engine.info();
      assertEqual([info.model, info.embeddingModel], [undefined, undefined], 'both released');
      assertEqual((await engine.embed(['hello'])).ranOn, 'wasm', 'embed loads its model again');
      assertEqual(await engine.text({ prompt: 'Hello', maxTokens: 4 }), text, 'generate loads its model again');
    } finally {
      await engine.dispose();
    }
  });
});

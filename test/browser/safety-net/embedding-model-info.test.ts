/**
 * Safety net (public API, built package, real worker): what `engine.info().embeddingModel`
 * says about the embedding model. An ONNX encoder, once an embed() loaded it, is reported
 * with its engine ('onnx'), where it runs ('wasm') and its context (the tiny BERT
 * fixture's 128 positions, test/fixtures/bert-shapes.ts); nothing is reported before it
 * loads. A web-llm embedding model cannot load in this Chromium (no model hub, no GPU), so
 * here it is pinned only as "not loaded, not reported"; a loaded one (engine 'webllm')
 * is covered in Node with the recording fake.
 */
import { createEngine } from '/dist/edgewise.js';
import { assertEqual } from '../helpers.js';
import { remoteReset, testRemote } from '../edge-cloud/remote-helpers.js';
import { BERT_URL } from '../embeddings/helpers.js';

const WEBLLM_EMBEDDER = { engine: 'webllm', id: 'snowflake-arctic-embed-m-q0f32-MLC-b4' } as const;

describe('safety net: engine.info().embeddingModel', () => {
  it("ONNX encoder: undefined before the first embed(), then engine 'onnx', ranOn 'wasm', contextLength 128", async () => {
    const engine = createEngine({ embeddingModel: { id: 'safety-net-bert-info', url: BERT_URL }, cache: false });
    try {
      assertEqual((await engine.info()).embeddingModel, undefined, 'nothing loaded yet, nothing reported');
      const v = await engine.embed(['the cat sat on the mat']);
      assertEqual(v.ranOn, 'wasm', 'embedded locally');
      const info = await engine.info();
      assertEqual(info.embeddingModel?.engine, 'onnx', 'the engine that runs it');
      assertEqual(info.embeddingModel?.ranOn, 'wasm', 'where it runs');
      assertEqual(info.embeddingModel?.contextLength, 128, "the encoder's maximum length");
      assertEqual(info.model, undefined, 'no generation model is configured, none is reported');
    } finally {
      await engine.dispose();
    }
  });

  it('ONNX encoder beside a generation model: embedding does not make the generation model appear loaded', async () => {
    const engine = createEngine({ model: { id: 'safety-net-info-gen', url: BERT_URL.replace('tiny-bert/', 'tiny-llama/'), dtype: 'q4' }, embeddingModel: { id: 'safety-net-bert-info', url: BERT_URL }, cache: false });
    try {
      await engine.embed(['hello']);
      const info = await engine.info();
      assertEqual(info.embeddingModel?.engine, 'onnx', 'the embedder is reported');
      assertEqual(info.model, undefined, 'the generation model never loaded');
    } finally {
      await engine.dispose();
    }
  });

  it('web-llm embedding model: engine.info().embeddingModel is undefined before any load', async () => {
    const engine = createEngine({ embeddingModel: WEBLLM_EMBEDDER, cache: false });
    try {
      assertEqual((await engine.info()).embeddingModel, undefined, 'not loaded, not reported');
    } finally {
      await engine.dispose();
    }
  });

  it('web-llm embedding model that cannot load here: embed() goes remote and info() still reports no local embedder', async () => {
    await remoteReset();
    const engine = createEngine({ embeddingModel: WEBLLM_EMBEDDER, ...testRemote(), cache: false });
    try {
      const v = await engine.embed(['hello']);
      assertEqual(v.ranOn, 'remote', 'the remote embedded it');
      const info = await engine.info();
      assertEqual(info.embeddingModel, undefined, 'a failed load is not a loaded model');
      assertEqual(info.remote?.model, 'test-model', 'the remote is reported');
    } finally {
      await engine.dispose();
      await remoteReset();
    }
  });
});

/**
 * Weight formats beyond single-file fp32/int8/q4: external-data files (transformers.js's
 * `use_external_data_format`) and fp16 graphs with an fp16 KV cache and logits.
 */
import { createEngine, type Dtype } from '/dist/edgewise.js';
import { FIXTURE_URL, MODEL_SERVER, assert, assertEqual } from './helpers.js';

const EXTDATA_URL = `${MODEL_SERVER}/fixtures/tiny-llama-extdata/`;

async function greedyIds(url: string, dtype: Dtype, prompt: string, maxTokens = 16): Promise<number[]> {
  const engine = createEngine({ model: { id: `formats-${dtype}`, url, dtype }, cache: false });
  try {
    for await (const part of engine.generate({ prompt, maxTokens, includeTokenIds: true })) {
      if (part.type === 'finish') return part.tokenIds ?? [];
    }
    throw new Error('no finish part');
  } finally {
    await engine.dispose();
  }
}

describe('weight formats', () => {
  for (const dtype of ['fp32', 'q4'] as const) {
    it(`${dtype} with external data (config use_external_data_format) generates exactly what the embedded file does`, async () => {
      const embedded = await greedyIds(FIXTURE_URL, dtype, 'The quick brown fox');
      const external = await greedyIds(EXTDATA_URL, dtype, 'The quick brown fox');
      assert(embedded.length > 0, 'generated tokens');
      assertEqual(external, embedded, 'same greedy ids');
    });
  }

  it('fp16 weights with an fp16 KV cache and logits load and track the fp32 model', async () => {
    const fp32 = await greedyIds(FIXTURE_URL, 'fp32', 'Once upon a time');
    const fp16 = await greedyIds(FIXTURE_URL, 'fp16', 'Once upon a time');
    assert(fp16.length > 0, 'generated tokens');
    // Only rounding at the graph's fp16 edges separates them; the first tokens agree.
    assertEqual(fp16.slice(0, 8), fp32.slice(0, 8), 'the first 8 greedy ids agree with fp32');
  });

  it('a dtype whose file the folder lacks → model_not_found naming the file', async () => {
    const engine = createEngine({ model: { id: 'formats-missing', url: EXTDATA_URL, dtype: 'int8' }, cache: false });
    try {
      let message = '';
      try { await engine.load(); } catch (e) { message = `${(e as { code: string }).code}: ${(e as Error).message}`; }
      assert(message.startsWith('model_not_found') && message.includes('model_int8.onnx'), message);
    } finally {
      await engine.dispose();
    }
  });
});

/**
 * Acceptance: on the project's own generated Llama fixture, greedy token ids from
 * edgewise equal those from @huggingface/transformers (the reference implementation)
 * on the same files with the same execution provider (WASM).
 */
import { AutoModelForCausalLM, AutoTokenizer, env } from '@huggingface/transformers';
import { createEngine } from '/dist/edgewise.js';
import { FIXTURE_URL, assertEqual, assert } from './helpers.js';

const PROMPTS = ['The quick brown fox', 'Once upon a time in a small village', 'def main():\n    print('];
const NEW_TOKENS = 32;

async function referenceIds(prompt: string): Promise<number[]> {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.useBrowserCache = false;
  // transformers.js joins paths in a way that breaks absolute URLs: use the same files
  // through the test page's own origin.
  env.localModelPath = '/test/fixtures/out/';
  // transformers.js would fetch its runtime from a CDN; point it at its own copy.
  (env.backends.onnx.wasm as { wasmPaths?: string }).wasmPaths = '/node_modules/@huggingface/transformers/node_modules/onnxruntime-web/dist/';
  const tokenizer = await AutoTokenizer.from_pretrained('tiny-llama');
  const model = await AutoModelForCausalLM.from_pretrained('tiny-llama', { dtype: 'fp32', device: 'wasm' });
  const inputs = tokenizer(prompt);
  const promptLength = (inputs.input_ids.dims as number[])[1] as number;
  const out = (await model.generate({ ...inputs, max_new_tokens: NEW_TOKENS, do_sample: false })) as { tolist(): bigint[][] };
  await model.dispose();
  return (out.tolist()[0] ?? []).slice(promptLength).map(Number);
}

describe('greedy parity with transformers.js on the generated fixture', () => {
  const engine = createEngine({ model: { id: 'tiny-llama', url: FIXTURE_URL, dtype: 'fp32' }, cache: false });
  after(() => engine.dispose());

  for (const prompt of PROMPTS) {
    it(`same ${NEW_TOKENS} greedy token ids for ${JSON.stringify(prompt)}`, async () => {
      let ids: number[] | undefined;
      for await (const part of engine.generate({ prompt, maxTokens: NEW_TOKENS, temperature: 0, includeTokenIds: true })) {
        if (part.type === 'finish') ids = part.tokenIds;
      }
      assert(ids, 'finish part carries token ids');
      const expected = await referenceIds(prompt);
      // transformers.js keeps the EOS it stopped on; edgewise reports it as the finish reason.
      const reference = expected.length < NEW_TOKENS ? expected.slice(0, -1) : expected;
      assert(reference.length > 0, 'the reference generated tokens');
      assertEqual(ids, reference, 'edgewise greedy ids equal transformers.js greedy ids');
    });
  }
});

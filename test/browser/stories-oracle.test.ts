/**
 * Acceptance: greedy decoding of karpathy's stories260K through the built package, in
 * the SDK's own worker, reproduces the sample documented in its MODEL_CARD.md.
 */
import { createEngine, type Engine, type FinishPart } from '/dist/edgewise.js';
import { STORIES_URL, assert, assertEqual, sharedModelsAvailable } from './helpers.js';

async function documentedSample(): Promise<string> {
  const card = await (await fetch(`${STORIES_URL}MODEL_CARD.md`)).text();
  const afterGreedy = card.slice(card.indexOf('temperature 0.0'));
  const block = /```\n\$ [^\n]*\n([\s\S]*?)```/.exec(afterGreedy);
  assert(block?.[1], 'MODEL_CARD.md has the greedy sample in a code block');
  return block[1];
}

async function run(engine: Engine, prompt: string, maxTokens: number): Promise<{ text: string; finish: FinishPart }> {
  let text = '';
  let finish: FinishPart | undefined;
  for await (const part of engine.generate({ prompt, maxTokens, temperature: 0 })) {
    if (part.type === 'text') text += part.text;
    else if (part.type === 'finish') finish = part;
  }
  assert(finish, 'the stream ends with a finish part');
  return { text, finish };
}

describe('stories260K (real trained Llama) through the built package', function () {
  before(async function () {
    if (!(await sharedModelsAvailable())) {
      console.warn('SKIP stories260K oracle: ../shared/models is absent');
      this.skip();
    }
  });

  it('fp32 greedy from "Once upon a time" reproduces the first 400 characters of the documented sample', async () => {
    const expected = (await documentedSample()).slice(0, 400);
    assert(expected.length === 400 && expected.startsWith('Once upon a time, there was a little girl named Lily.'), 'oracle parsed');
    const engine = createEngine({ model: { id: 'stories260K', url: STORIES_URL, dtype: 'fp32' }, cache: false });
    try {
      const prompt = 'Once upon a time';
      const { text, finish } = await run(engine, prompt, 200);
      assertEqual((prompt + text).slice(0, 400), expected, 'prompt + output equals the documented greedy sample');
      assertEqual(finish.reason, 'length', 'stops on maxTokens');
      assertEqual(finish.usage.completionTokens, 200, 'completion tokens counted');
      assert(finish.usage.promptTokens >= 4, 'prompt tokens counted (BOS + words)');
      assert(finish.usage.timeToFirstTokenMs > 0 && finish.usage.tokensPerSecond > 0, 'timings reported');
      assertEqual(finish.ranOn, 'wasm', 'ran on the ONNX backend, on WASM');
    } finally {
      await engine.dispose();
    }
  });

  it('an empty prompt generates unconditionally from BOS, matching the sample from its start', async () => {
    const expected = await documentedSample();
    const engine = createEngine({ model: { id: 'stories260K', url: STORIES_URL, dtype: 'fp32' }, cache: false });
    try {
      const { text } = await run(engine, '', 40);
      assert(text.length > 60, 'some text came out');
      assertEqual(text, expected.slice(0, text.length), 'the unconditional greedy sample is the documented one');
    } finally {
      await engine.dispose();
    }
  });

  for (const dtype of ['int8', 'q4'] as const) {
    it(`${dtype} weights load and produce fluent text`, async () => {
      const vocabulary = new Set((await documentedSample()).toLowerCase().match(/[a-z']+/g));
      const engine = createEngine({ model: { id: 'stories260K', url: STORIES_URL, dtype }, cache: false });
      try {
        const { text } = await run(engine, 'Once upon a time', 120);
        const words = text.toLowerCase().match(/[a-z']+/g) ?? [];
        assert(words.length >= 40, `at least 40 words (got ${words.length}): ${text}`);
        // Fluent here means English words from the same tiny world, not byte soup.
        const known = words.filter((w) => vocabulary.has(w) || w.length <= 3).length / words.length;
        assert(known > 0.6, `most words are ordinary story words (${(known * 100).toFixed(0)}%): ${text}`);
        assert(/[.!?,]/.test(text), 'has punctuation');
      } finally {
        await engine.dispose();
      }
    });
  }
});

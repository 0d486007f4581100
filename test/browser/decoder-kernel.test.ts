/**
 * The decoder kernel through the engine, in the SDK's real worker: the int8 form of a
 * recognised decoder runs on it by default and says so, requests stream and abort as on
 * onnxruntime-web, each request starts from a clean cache, and `wasmKernel: false` puts
 * the same form back on onnxruntime-web.
 */
import { createEngine, type Engine, type FinishPart, type ModelSpec } from '/dist/edgewise.js';
import { FIXTURE_URL, STORIES_URL, assert, assertEqual, sharedModelsAvailable } from './helpers.js';

const FIXTURE: ModelSpec = { id: 'tiny-llama', url: FIXTURE_URL, dtype: 'q4' };

async function run(engine: Engine, prompt: string, maxTokens: number, signal?: AbortSignal): Promise<{ text: string; finish: FinishPart }> {
  let text = '';
  let finish: FinishPart | undefined;
  for await (const p of engine.generate({ prompt, maxTokens, temperature: 0, includeTokenIds: true, ...(signal ? { signal } : {}) })) {
    if (p.type === 'text') text += p.text;
    else if (p.type === 'finish') finish = p;
  }
  assert(finish, 'the stream ends with a finish part');
  return { text, finish };
}

describe('decoder kernel through the engine', () => {
  it('runs the int8 form by default and reports it; the same request twice gives the same tokens; an abort ends one request only', async () => {
    const engine = createEngine({ model: FIXTURE, cache: false, wasmWeights: 'int8', device: 'wasm' });
    try {
      await engine.load();
      const info = (await engine.info()).model;
      assertEqual(info?.weights?.form, 'int8', 'the int8 form');
      assertEqual(info?.weights?.runner, 'kernel', 'on the decoder kernel');
      assert(/decoder kernel/.test(info?.detail ?? ''), `the detail says so: ${info?.detail}`);
      assertEqual(info?.threads, 1, 'one thread');
      const a = await run(engine, 'The small model', 24);
      assertEqual(a.finish.ranOn, 'wasm', 'ran on WASM');
      assertEqual(a.finish.metadata?.onnx?.weights, 'int8', 'the finish part names the form');
      assertEqual(a.finish.tokenIds?.length, 24, '24 tokens');
      assert(a.finish.usage.tokensPerSecond > 0, 'decode speed reported');
      const b = await run(engine, 'The small model', 24);
      assertEqual(b.finish.tokenIds, a.finish.tokenIds, 'the second request starts from a clean cache');
      // The kernel decodes this tiny model faster than a message crosses to the page, so the
      // abort is sent right after the call: the worker sees it before the prompt's first run.
      const ac = new AbortController();
      const stream = engine.generate({ prompt: 'Hello there', maxTokens: 200, signal: ac.signal });
      ac.abort();
      let aborted: FinishPart | undefined;
      for await (const p of stream) if (p.type === 'finish') aborted = p;
      assertEqual(aborted?.reason, 'abort', 'an abort ends the request');
      assertEqual(aborted?.usage.completionTokens, 0, 'before its first token');
      const c = await run(engine, 'The small model', 24);
      assertEqual(c.finish.tokenIds, a.finish.tokenIds, 'and the next request is whole');
    } finally {
      await engine.dispose();
    }
  });

  it('on two threads (a cross-origin isolated page): a helper worker takes half of each step, and the tokens are the same as on one', async () => {
    assert(globalThis.crossOriginIsolated, 'the test page is cross-origin isolated');
    const one = createEngine({ model: FIXTURE, cache: false, wasmWeights: 'int8', device: 'wasm', numThreads: 1, share: false });
    const two = createEngine({ model: FIXTURE, cache: false, wasmWeights: 'int8', device: 'wasm', numThreads: 2 });
    try {
      const a = await run(one, 'The small model', 40);
      const b = await run(two, 'The small model', 40);
      const info = (await two.info()).model;
      assertEqual(info?.weights?.runner, 'kernel', 'on the kernel');
      assertEqual(info?.threads, 2, 'on two threads');
      assert(/2 WASM threads/.test(info?.detail ?? ''), `the detail says so: ${info?.detail}`);
      assertEqual(b.finish.tokenIds, a.finish.tokenIds, 'each output row and head is computed whole on one thread or the other: the same numbers');
      const long = 'The small model '.repeat(40);
      assertEqual((await run(two, long, 8)).finish.tokenIds, (await run(one, long, 8)).finish.tokenIds, 'a prompt of several 64-row runs too');
    } finally {
      await one.dispose();
      await two.dispose();
    }
  });

  it('wasmKernel: false runs the same form on onnxruntime-web', async () => {
    const engine = createEngine({ model: FIXTURE, cache: false, wasmWeights: 'int8', device: 'wasm', wasmKernel: false });
    try {
      await engine.load();
      const info = (await engine.info()).model;
      assertEqual(info?.weights?.runner, 'onnxruntime', 'on onnxruntime-web');
      const { finish } = await run(engine, 'The small model', 8);
      assertEqual(finish.tokenIds?.length, 8, 'generates');
    } finally {
      await engine.dispose();
    }
  });

  it('stories260K int8 file: the kernel tells a story (words of the model card, punctuation)', async function () {
    if (!(await sharedModelsAvailable())) {
      console.warn('SKIP stories260K on the kernel: ../shared/models is absent');
      this.skip();
    }
    const card = await (await fetch(`${STORIES_URL}MODEL_CARD.md`)).text();
    const vocabulary = new Set(card.toLowerCase().match(/[a-z']+/g));
    const engine = createEngine({ model: { id: 'stories260K', url: STORIES_URL, dtype: 'int8' }, cache: false, wasmWeights: 'int8', device: 'wasm' });
    try {
      const { text } = await run(engine, 'Once upon a time', 120);
      assertEqual((await engine.info()).model?.weights?.runner, 'kernel', 'on the kernel');
      const words = text.toLowerCase().match(/[a-z']+/g) ?? [];
      assert(words.length >= 40, `at least 40 words (got ${words.length}): ${text}`);
      const known = words.filter((w) => vocabulary.has(w) || w.length <= 3).length / words.length;
      assert(known > 0.7, `story words (${(known * 100).toFixed(0)}%): ${text}`);
    } finally {
      await engine.dispose();
    }
  });
});

/**
 * Safety net (public API, built package, real worker, real servers): before the tokenizer
 * is loaded the router estimates a prompt at one token per 6 UTF-8 bytes, an estimate that
 * under-counts on purpose. When the real count then overflows the local context, the
 * local run fails before its first token with `context_overflow` and the remote answers.
 *
 * The fixture (test/fixtures/shapes.ts TINY_LLAMA) has a 256-token context and a
 * byte-level tokenizer. The prompt below is 600 UTF-8 bytes of punctuation outside
 * ASCII: estimated at 100 tokens, it is 600 tokens for the fixture's tokenizer (counted
 * with @huggingface/tokenizers on test/fixtures/out/tiny-llama/tokenizer.json).
 */
import { createEngine, type FinishPart } from '/dist/edgewise.js';
import { FIXTURE_URL, assert, assertEqual } from '../helpers.js';
import { chatCalls, remoteReset, testRemote } from '../edge-cloud/remote-helpers.js';

const CONTEXT = 256;
const PROMPT = '§¶'.repeat(150);

describe('safety net: a local context overflow after an under-counted estimate', () => {
  beforeEach(remoteReset);
  after(remoteReset);

  it('the prompt is under the context by the pre-load estimate and over it in real tokens', () => {
    const bytes = new TextEncoder().encode(PROMPT).length;
    assertEqual(bytes, 600, 'UTF-8 bytes');
    assert(Math.ceil(bytes / 6) + 1 <= CONTEXT, 'the estimate (ceil(bytes / 6)) fits the 256-token context');
    // A byte-level BPE never makes fewer tokens than bytes for text it has no merges for.
    assert(bytes > CONTEXT, 'the real count (about one token per byte) does not');
  });

  it("fresh engine, prefer-local: the local load happens, the run overflows, the remote answers; route.reason and failover.code are 'context_overflow'", async () => {
    const { remote } = testRemote();
    const engine = createEngine({ model: { id: 'safety-net-overflow', url: FIXTURE_URL, dtype: 'q4' }, remote, policy: 'prefer-local', cache: false });
    try {
      assertEqual((await engine.info()).model, undefined, 'nothing is loaded yet');
      let text = '';
      let finish: FinishPart | undefined;
      for await (const p of engine.generate({ prompt: PROMPT, maxTokens: 4 })) {
        if (p.type === 'text') text += p.text;
        else if (p.type === 'finish') finish = p;
      }
      assertEqual(finish?.ranOn, 'remote', `the remote answered (${finish?.route.detail ?? 'no finish'})`);
      assert(text.startsWith('Echo: '), `the text is the remote server's: ${JSON.stringify(text.slice(0, 40))}`);
      assertEqual((await chatCalls()).length, 1, 'one remote call');
      assertEqual(finish?.route.failover?.from, 'wasm', 'the local candidate was tried first');
      assertEqual(finish?.route.failover?.code, 'context_overflow', 'and failed with context_overflow');
      assertEqual(finish?.route.reason, 'context_overflow', 'the route names the overflow');
      const info = (await engine.info()).model;
      assertEqual(info?.contextLength, CONTEXT, 'the local model did load: the estimate let it try');
    } finally {
      await engine.dispose();
    }
  });

  it('the same prompt on a loaded engine is counted exactly and goes remote without trying locally', async () => {
    const { remote } = testRemote();
    const engine = createEngine({ model: { id: 'safety-net-overflow', url: FIXTURE_URL, dtype: 'q4' }, remote, policy: 'prefer-local', cache: false });
    try {
      await engine.load();
      let finish: FinishPart | undefined;
      for await (const p of engine.generate({ prompt: PROMPT, maxTokens: 4 })) if (p.type === 'finish') finish = p;
      assertEqual(`${finish?.ranOn}/${finish?.route.reason}`, 'remote/context_overflow', finish?.route.detail ?? 'no finish');
      assertEqual(finish?.route.failover, undefined, 'no local attempt to fail over from');
    } finally {
      await engine.dispose();
    }
  });
});

/**
 * edgewise/prompt-api sessions through the built package in Chromium: the conversation
 * each request carries (read back from the OpenAI-compatible test server's log), append,
 * streaming deltas, the spec's input errors, abort mid-stream, destroy, clone
 * independence, and a real model's text (stories260K) where the words matter.
 */
import { createEngine } from '/dist/edgewise.js';
import { STORIES_URL, assert, assertEqual, rejection, sharedModelsAvailable } from '../helpers.js';
import { remoteReset } from '../edge-cloud/remote-helpers.js';
import { chunksOf, createLanguageModel, fixtureEngine, nameOf, remoteEngine, sentMessages } from './prompt-api-face.js';

const contents = (ms: { role: string; content: unknown }[] | undefined): string[] => (ms ?? []).map((m) => `${m.role}: ${String(m.content)}`);

describe('prompt-api: sessions', function () {
  this.timeout(120_000);
  const remote = remoteEngine();
  const LM = createLanguageModel(remote);
  const local = fixtureEngine('tiny-llama-prompt-api-session');
  const LocalLM = createLanguageModel(local, { maxTokens: 200 });
  beforeEach(() => remoteReset());
  after(async () => {
    await remote.dispose();
    await local.dispose();
  });

  it('prompt() keeps the conversation: initial prompts, each prompt and its answer, in order', async () => {
    const session = await LM.create({ initialPrompts: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }, { role: 'assistant', content: [{ type: 'text', value: 'Hel' }, { type: 'text', value: 'lo' }] }] });
    assertEqual(await session.prompt('first question'), 'Echo: first question', 'the answer text');
    assertEqual(await session.prompt([{ role: 'user', content: [{ type: 'text', value: 'second ' }, { type: 'text', value: 'question' }] }]), 'Echo: second question', 'text parts joined with nothing between');
    const [one, two] = await sentMessages();
    assertEqual(contents(one), ['system: Be brief.', 'user: Hi', 'assistant: Hello', 'user: first question'], 'first request');
    assertEqual(contents(two), ['system: Be brief.', 'user: Hi', 'assistant: Hello', 'user: first question', 'assistant: Echo: first question', 'user: second question'], 'the second carries the first turn');
    assert(session.contextUsage > 0 && session.inputUsage === session.contextUsage, 'usage counted, old name too');
  });

  it('append() adds messages without generating; a system message is allowed first in the first prompt() of an empty session', async () => {
    const session = await LM.create();
    await session.append([{ role: 'system', content: 'Rules.' }, { role: 'user', content: 'Context A' }]);
    const usage = session.contextUsage;
    await session.append('Context B');
    assert(session.contextUsage > usage, `append counts (${usage} → ${session.contextUsage})`);
    assertEqual((await sentMessages()).length, 0, 'no request for an append');
    await session.prompt('Question');
    assertEqual(contents((await sentMessages())[0]), ['system: Rules.', 'user: Context A', 'user: Context B', 'user: Question'], 'appended, then the prompt');
    const fresh = await LM.create();
    assertEqual(await fresh.prompt([{ role: 'system', content: 'Terse.' }, { role: 'user', content: 'go' }]), 'Echo: go', 'system first in the first prompt');
  });

  it('the spec\'s input errors: TypeError for a misplaced system message, SyntaxError for a misplaced prefix, NotSupportedError for images and non-text assistant content', async () => {
    assertEqual(nameOf(await rejection(LM.create({ initialPrompts: [{ role: 'user', content: 'a' }, { role: 'system', content: 'late' }] }))), 'TypeError/TypeError', 'system second in initialPrompts');
    const session = await LM.create({ initialPrompts: [{ role: 'system', content: 'first' }] });
    assertEqual(nameOf(await rejection(session.prompt([{ role: 'system', content: 'again' }]))), 'TypeError/TypeError', 'system in a later prompt');
    assertEqual(nameOf(await rejection(session.append([{ role: 'system', content: 'again' }]))), 'TypeError/TypeError', 'system in a later append');
    assertEqual(nameOf(await rejection(session.prompt([{ role: 'assistant', content: 'x', prefix: true }, { role: 'user', content: 'y' }]))), 'DOMException/SyntaxError', 'prefix not last');
    assertEqual(nameOf(await rejection(session.prompt([{ role: 'user', content: 'y', prefix: true }]))), 'DOMException/SyntaxError', 'prefix on a user message');
    assertEqual(nameOf(await rejection(session.prompt([{ role: 'user', content: [{ type: 'image', value: new Blob([]) }] }]))), 'DOMException/NotSupportedError', 'an image');
    assertEqual(nameOf(await rejection(session.prompt([{ role: 'assistant', content: [{ type: 'audio', value: new ArrayBuffer(4) }] }]))), 'DOMException/NotSupportedError', 'assistant audio');
    assertEqual(nameOf(await rejection(session.prompt([{ role: 'user', content: [{ type: 'text', value: 42 }] }]))), 'TypeError/TypeError', 'a text part that is not a string');
    assertEqual((await sentMessages()).length, 0, 'none of them reached the model');
    assertEqual(await session.prompt('still fine'), 'Echo: still fine', 'the session is unharmed');
  });

  it('promptStreaming() is a ReadableStream of deltas that join to the answer, which then joins the history', async () => {
    const session = await LM.create();
    const stream = session.promptStreaming('stream this answer please');
    assert(stream instanceof ReadableStream, 'a real ReadableStream');
    const chunks = await chunksOf(stream);
    assert(chunks.length > 1, `several chunks (${chunks.length})`);
    assertEqual(chunks.join(''), 'Echo: stream this answer please', 'deltas, not the text so far');
    await session.prompt('next');
    assertEqual(contents((await sentMessages())[1]).slice(-2), ['assistant: Echo: stream this answer please', 'user: next'], 'the streamed answer is in the history');
  });

  it('abort: an aborted signal rejects with its reason; aborting mid-stream errors the reader with the reason and leaves the history as it was', async () => {
    const session = await LocalLM.create({ samplingMode: 'most-predictable', initialPrompts: [{ role: 'system', content: 'Tell stories.' }] });
    const reason = new Error('stop');
    assertEqual(await rejection(session.prompt('x', { signal: AbortSignal.abort(reason) })), reason, 'already aborted');
    const usage = session.contextUsage;
    const c = new AbortController();
    const reader = session.promptStreaming('Tell me a long story', { signal: c.signal }).getReader();
    const first = await reader.read();
    assert(!first.done && typeof first.value === 'string', 'a first chunk came');
    c.abort(reason);
    let seen: unknown;
    try {
      for (;;) if ((await reader.read()).done) break;
    } catch (e) {
      seen = e;
    }
    assertEqual(seen, reason, 'the reader sees the abort reason');
    assertEqual(session.contextUsage, usage, 'nothing joined the history');
    const whole = await session.prompt('Tell me a long story');
    assert(whole.startsWith(first.value ?? '\u0000'), 'the same prompt again starts as the aborted one did: the history had not changed');
    assert(session.contextUsage > usage, 'a completed answer does count');
  });

  it('cancelling the stream aborts the prompt; prompts queue, and an aborted queued prompt rejects at once', async () => {
    const session = await LocalLM.create({ samplingMode: 'most-predictable' });
    const usage = session.contextUsage;
    const stream = session.promptStreaming('A story');
    const reader = stream.getReader();
    await reader.read();
    await reader.cancel('no more');
    const running = session.prompt('one');
    const c = new AbortController();
    const queued = session.prompt('two', { signal: c.signal });
    c.abort();
    assertEqual(nameOf(await rejection(queued)), 'DOMException/AbortError', 'the queued prompt rejects with the default reason');
    await running;
    await session.append('three');
    assert(session.contextUsage > usage, 'the session goes on');
  });

  it('destroy(): what is in flight rejects with AbortError, every later call with InvalidStateError', async () => {
    const session = await LocalLM.create();
    const inFlight = session.prompt('A long story');
    const stream = session.promptStreaming('Another');
    session.destroy();
    assertEqual(nameOf(await rejection(inFlight)), 'DOMException/AbortError', 'the prompt in flight');
    assertEqual(nameOf(await rejection(chunksOf(stream))), 'DOMException/AbortError', 'the stream in flight');
    for (const [what, call] of [
      ['prompt', () => session.prompt('x')],
      ['append', () => session.append('x')],
      ['clone', () => session.clone()],
      ['measureContextUsage', () => session.measureContextUsage('x')],
      ['promptStreaming', () => chunksOf(session.promptStreaming('x'))],
    ] as const) {
      assertEqual(nameOf(await rejection(call)), 'DOMException/InvalidStateError', `${what} after destroy`);
    }
    session.destroy();
  });

  it('clone() copies the history and settings and is independent afterwards; an aborted signal rejects with its reason', async () => {
    const a = await LM.create({ initialPrompts: [{ role: 'system', content: 'S' }], samplingMode: 'creative' });
    await a.prompt('shared');
    const b = await a.clone();
    assertEqual([b.contextUsage, b.contextWindow, b.samplingMode], [a.contextUsage, a.contextWindow, 'creative'], 'same usage, window and settings');
    await b.prompt('only in the clone');
    await a.prompt('only in the original');
    const [, fromB, fromA] = await sentMessages();
    assertEqual(contents(fromB), ['system: S', 'user: shared', 'assistant: Echo: shared', 'user: only in the clone'], 'the clone has the shared turn');
    assertEqual(contents(fromA), ['system: S', 'user: shared', 'assistant: Echo: shared', 'user: only in the original'], 'the original never saw the clone\'s turn');
    b.destroy();
    assertEqual(await a.prompt('after'), 'Echo: after', 'destroying the clone leaves the original working');
    const reason = new Error('no clone');
    assertEqual(await rejection(a.clone({ signal: AbortSignal.abort(reason) })), reason, 'aborted clone');
  });

  it('a real model (stories260K): greedy answers are reproducible, streaming gives the same text, and a clone continues exactly as the original would', async function () {
    if (!(await sharedModelsAvailable())) this.skip();
    const engine = createEngine({ model: { id: 'stories260K', url: STORIES_URL, dtype: 'q4' }, cache: false });
    try {
      const Stories = createLanguageModel(engine, { maxTokens: 24 });
      const s = await Stories.create({ samplingMode: 'most-predictable' });
      const first = await s.prompt('Once upon a time');
      assert(/[a-z]{3,}/i.test(first), `words: ${first}`);
      const copy = await s.clone();
      const streamed = (await chunksOf(s.promptStreaming('Then the cat'))).join('');
      const fromClone = await copy.prompt('Then the cat');
      assertEqual(fromClone, streamed, 'same history, same greedy answer, whether streamed or not');
      const fresh = await Stories.create({ samplingMode: 'most-predictable' });
      const noHistory = await fresh.prompt('Then the cat');
      assert(noHistory !== streamed || first.length === 0, 'without the history the answer differs: the history reached the model');
    } finally {
      await engine.dispose();
    }
  });
});

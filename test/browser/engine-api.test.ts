/** The public API surface end to end on the generated fixture: text, chat, sampling, stop strings, events. */
import { createEngine, type ChatCompletionChunk, type Progress } from '/dist/edgewise.js';
import { FIXTURE_URL, assert, assertEqual } from './helpers.js';

describe('engine API on the generated fixture', () => {
  const engine = createEngine({ model: { id: 'tiny-llama', url: FIXTURE_URL, dtype: 'q4' }, cache: false });
  after(() => engine.dispose());

  it('load() reports byte progress that ends exactly at the total', async () => {
    const events: Progress[] = [];
    const info = await engine.load({ onProgress: (p) => events.push(p) });
    assert(events.length > 0, 'progress events');
    const last = events.at(-1) as Progress;
    assertEqual(last.totalLoaded, last.totalBytes, 'ends at the total');
    assert(events.slice(0, -1).every((p) => p.totalLoaded <= p.totalBytes), 'never past the total');
    assertEqual(info.ranOn, 'wasm', 'runs on WASM');
    assert(info.hasChatTemplate, 'the fixture has a chat template');
  });

  it('text() on a prompt equals the concatenated stream and is deterministic when greedy', async () => {
    const a = await engine.text({ prompt: 'The cat', maxTokens: 16 });
    let b = '';
    for await (const p of engine.generate({ prompt: 'The cat', maxTokens: 16 })) if (p.type === 'text') b += p.text;
    assert(a.length > 0, 'text');
    assertEqual(a, b, 'same greedy text both ways');
  });

  it('sampling with a seed is reproducible, and different seeds differ', async () => {
    const req = { prompt: 'The dog', maxTokens: 24, temperature: 1.2, topK: 50, topP: 0.95 };
    const s1 = await engine.text({ ...req, seed: 1 });
    const s1again = await engine.text({ ...req, seed: 1 });
    const others = await Promise.all([2, 3, 4].map((seed) => engine.text({ ...req, seed })));
    assertEqual(s1, s1again, 'same seed, same text');
    assert(others.some((t) => t !== s1), 'another seed gives other text');
  });

  it('a stop string ends generation before it and never leaks', async () => {
    const full = await engine.text({ prompt: 'The cat', maxTokens: 24 });
    const stop = full.slice(6, 9);
    assert(stop.length === 3, 'picked a stop string from the greedy text');
    const parts = [];
    for await (const p of engine.generate({ prompt: 'The cat', maxTokens: 24, stop: [stop] })) parts.push(p);
    const text = parts.filter((p) => p.type === 'text').map((p) => (p.type === 'text' ? p.text : '')).join('');
    assertEqual(text, full.slice(0, full.indexOf(stop)), 'text up to the stop string');
    const finish = parts.at(-1);
    assertEqual(finish?.type === 'finish' && finish.reason, 'stop', 'finish reason stop');
  });

  it('chat.completions.create streams OpenAI-shaped chunks through the chat template', async () => {
    const stream = await engine.chat.completions.create({ messages: [{ role: 'user', content: 'Hi' }], stream: true, max_tokens: 8 });
    const chunks: ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);
    assertEqual(chunks[0]?.choices[0]?.delta.role, 'assistant', 'first chunk carries the role');
    assertEqual(chunks[0]?.object, 'chat.completion.chunk', 'object');
    const last = chunks.at(-1);
    assert(last?.choices[0]?.finish_reason === 'length' || last?.choices[0]?.finish_reason === 'stop', 'last chunk has finish_reason');
    assert(last?.usage && last.usage.total_tokens === last.usage.prompt_tokens + last.usage.completion_tokens, 'usage adds up');
    assertEqual(last?.edgewise?.ranOn, 'wasm', 'says where it ran');
    assertEqual(last?.edgewise?.route.reason, 'local_only', 'and why');
    assert(new Set(chunks.map((c) => c.id)).size === 1, 'one id for the stream');
  });

  it('chat.completions.create without stream returns one completion equal to text() on the same messages', async () => {
    const messages = [{ role: 'system' as const, content: 'Be brief.' }, { role: 'user' as const, content: 'Hello' }];
    const done = await engine.chat.completions.create({ messages, max_tokens: 10 });
    assertEqual(done.choices[0]?.message.content, await engine.text({ messages, maxTokens: 10 }), 'same text');
    assert(done.usage.prompt_tokens > 5, 'the chat template added tokens around the messages');
  });

  it('dispose() makes later calls fail with a typed "disposed" error', async () => {
    const e2 = createEngine({ model: { id: 'tiny-llama', url: FIXTURE_URL, dtype: 'q4' }, cache: false });
    await e2.dispose();
    let code = '';
    try { await e2.text({ prompt: 'x' }); } catch (e) { code = (e as { code: string }).code; }
    assertEqual(code, 'disposed', 'typed error after dispose');
  });
});

describe('engine.countTokens()', () => {
  const engine = createEngine({ model: { id: 'tiny-llama', url: FIXTURE_URL, dtype: 'q4' }, cache: false });
  after(() => engine.dispose());
  const messages = [{ role: 'system' as const, content: 'You tell short stories.' }, { role: 'user' as const, content: 'A story about a cat and a red ball, please.' }];

  it('before a load it estimates low and says so; after it, the count is what a request of the same messages takes', async () => {
    const before = await engine.countTokens({ messages });
    assertEqual(before.exact, false, 'no model loaded yet: an estimate');
    await engine.load();
    const after = await engine.countTokens({ messages });
    assertEqual(after.exact, true, 'the loaded tokenizer counted');
    assert(before.tokens > 0 && before.tokens <= after.tokens, `the estimate (${before.tokens}) is at or under the real count (${after.tokens})`);
    let prompt = -1;
    for await (const p of engine.generate({ messages, maxTokens: 2 })) if (p.type === 'finish') prompt = p.usage.promptTokens;
    assertEqual(after.tokens, prompt, 'the same number the request reported in usage.promptTokens');
    const longer = await engine.countTokens({ messages: [...messages, { role: 'assistant', content: 'Once there was a cat.' }] });
    assert(longer.tokens > after.tokens, 'another turn counts more');
  });

  it('validates the request like generate() does', async () => {
    let code = '';
    try { await engine.countTokens({ messages: [] }); } catch (e) { code = (e as { code?: string }).code ?? ''; }
    assertEqual(code, 'empty_messages', 'typed error for an empty conversation');
  });
});

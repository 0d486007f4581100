/**
 * generate() against a recording fake of the Prompt API: how a request becomes
 * initialPrompts and one user input, the sampling options, chunk semantics, the
 * approximate maxTokens, stop strings, usage, and per-request sessions destroyed.
 */
import { describe, expect, it } from 'vitest';
import { createBuiltinBackend } from '../../../src/backends/builtin/index.js';
import { collect, codeOf, now, request, setup } from './helpers.js';

const params = { defaultTopK: 3, maxTopK: 8, defaultTemperature: 1, maxTemperature: 2 };

describe('builtin generate (recording fake of the Prompt API)', () => {
  it('a prompt is one user input on a fresh session without initialPrompts', async () => {
    const { fake, backend } = setup();
    await backend.load();
    const { text, finish } = await collect(backend.generate(request({ prompt: 'Say hello' })));
    expect(text).toBe('Hello, world!');
    expect(finish).toMatchObject({ type: 'finish', reason: 'stop', ranOn: 'builtin' });
    const create = fake.callsOf('create')[1];
    expect(create?.options.initialPrompts).toBeUndefined();
    expect(fake.callsOf('promptStreaming')).toEqual([{ method: 'promptStreaming', input: 'Say hello', session: 1, options: {} }]);
  });

  it('system messages become the one leading system prompt; earlier turns follow; the last user turn is the input', async () => {
    const { fake, backend } = setup();
    await backend.load();
    await collect(backend.generate(request({
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello.' },
        { role: 'system', content: 'Answer in French.' },
        { role: 'user', content: 'How are you?' },
      ],
    })));
    expect(fake.callsOf('create')[1]?.options.initialPrompts).toEqual([
      { role: 'system', content: 'You are terse.\n\nAnswer in French.' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello.' },
    ]);
    expect(fake.callsOf('promptStreaming')[0]?.input).toBe('How are you?');
  });

  it('a conversation that does not end with a user turn is invalid_request, before any session', async () => {
    const { fake, backend } = setup();
    await backend.load();
    expect(await codeOf(collect(backend.generate(request({ messages: [{ role: 'system', content: 'Only a system prompt' }] }))))).toBe('invalid_request');
    expect(fake.callsOf('create')).toHaveLength(1);
  });

  it('each request gets its own session, destroyed after it; the base session stays', async () => {
    const { fake, backend } = setup();
    await backend.load();
    await collect(backend.generate(request()));
    await collect(backend.generate(request()));
    for await (const p of backend.generate(request())) if (p.type === 'text') break;
    expect(fake.sessions.map((s) => s.destroyed)).toEqual([false, true, true, true]);
  });

  it('delta and cumulative chunk streams give the same text', async () => {
    const chunks = ['Ha', 'ha', ' the', 're', ' there', '!'];
    for (const chunkMode of ['delta', 'cumulative'] as const) {
      const { backend } = setup({ chunks, chunkMode });
      await backend.load();
      const { text } = await collect(backend.generate(request()));
      expect(text).toBe('Haha there there!');
    }
  });

  it('sampling options only where params() exists: greedy is topK 1; values are clamped', async () => {
    const page = setup();
    await page.backend.load();
    await collect(page.backend.generate(request({ temperature: 0.7, topK: 5 })));
    expect(page.fake.callsOf('create')[1]?.options).not.toHaveProperty('temperature');
    expect(page.fake.callsOf('create')[1]?.options).not.toHaveProperty('topK');

    const ext = setup({ params });
    await ext.backend.load();
    const cases = [
      [{ temperature: 0, topK: 0 }, { temperature: 0, topK: 1 }],
      [{ temperature: 0.7, topK: 0 }, { temperature: 0.7, topK: 8 }],
      [{ temperature: 5, topK: 100 }, { temperature: 2, topK: 8 }],
      [{ temperature: 1, topK: 4 }, { temperature: 1, topK: 4 }],
    ] as const;
    for (const [asked] of cases) await collect(ext.backend.generate(request(asked)));
    const sent = ext.fake.callsOf('create').slice(1).map((c) => ({ temperature: c.options.temperature, topK: c.options.topK }));
    expect(sent).toEqual(cases.map(([, want]) => want));
    expect(ext.fake.callsOf('params')).toHaveLength(1);
  });

  it('maxTokens is enforced approximately, four characters a token: the text is cut, the finish says length, the stream is cancelled', async () => {
    const { fake, backend } = setup({ chunks: ['Hello', ', ', 'world', '!', ' More', ' text'] });
    await backend.load();
    const { text, finish } = await collect(backend.generate(request({ maxTokens: 2 })));
    expect(text).toBe('Hello, w');
    expect(finish).toMatchObject({ reason: 'length', usage: { completionTokens: 2 } });
    expect(fake.live()).toHaveLength(1);
  });

  it('a stop string ends the answer before it, with reason stop', async () => {
    const { backend } = setup({ chunks: ['Hello', ', wor', 'ld', '!'] });
    await backend.load();
    const { text, finish } = await collect(backend.generate(request({ stop: ['wor'] })));
    expect(text).toBe('Hello, ');
    expect(finish.reason).toBe('stop');
  });

  it('usage: prompt tokens from the session (initial prompts plus the measured input), completion estimated, timings on the startedAt clock', async () => {
    const { backend } = setup({ chunks: ['abcd', 'efgh', 'ij'] });
    await backend.load();
    const startedAt = now() - 1000;
    const { finish } = await collect(backend.generate(request({ startedAt, messages: [{ role: 'system', content: '12345678' }, { role: 'user', content: '1234' }] })));
    expect(finish.usage.promptTokens).toBe(2 + 1);
    expect(finish.usage.completionTokens).toBe(3);
    expect(finish.usage.timeToFirstTokenMs).toBeGreaterThanOrEqual(1000);
    expect(finish.usage.totalMs).toBeGreaterThanOrEqual(finish.usage.timeToFirstTokenMs);
    expect(finish.usage.tokensPerSecond).toBeGreaterThan(0);
  });

  it('usage under the older names (inputUsage, measureInputUsage), and 0 prompt tokens where the browser cannot measure', async () => {
    const older = setup({ usageNames: 'input' });
    await older.backend.load();
    expect((await collect(older.backend.generate(request({ prompt: '12345678' })))).finish.usage.promptTokens).toBe(2);
    const none = setup({ usageNames: 'none' });
    await none.backend.load();
    expect((await collect(none.backend.generate(request({ prompt: '12345678' })))).finish.usage.promptTokens).toBe(0);
  });

  it('generate before load is a runtime_error; without the Prompt API it is builtin_unavailable, both from the iterator', async () => {
    const { backend } = setup();
    const parts = backend.generate(request());
    expect(await codeOf(collect(parts))).toBe('runtime_error');
    expect(await codeOf(collect(createBuiltinBackend({ engine: 'builtin' }).generate(request())))).toBe('builtin_unavailable');
  });
});

/** The test server speaks the real protocol: the official `openai` client parses every dialect it sends. */
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { chatPosts, useServer, type Style } from './helpers.js';

const server = useServer();
const client = (): OpenAI => new OpenAI({ baseURL: server().url, apiKey: 'test', maxRetries: 0 });
const messages = [{ role: 'system' as const, content: 'Be brief.' }, { role: 'user' as const, content: 'Say hi to Ada' }];

describe('openai test server, through the official client', () => {
  it('answers a non-streaming completion', async () => {
    const c = await client().chat.completions.create({ model: 'echo-1', messages });
    expect(c.object).toBe('chat.completion');
    expect(c.choices[0]?.message).toMatchObject({ role: 'assistant', content: 'Echo: Say hi to Ada' });
    expect(c.choices[0]?.finish_reason).toBe('stop');
    // Six words over both messages; the 19-character reply in 4-character chunks.
    expect(c.usage).toEqual({ prompt_tokens: 6, completion_tokens: 5, total_tokens: 11 });
    const entry = chatPosts(server())[0];
    expect(entry?.headers.authorization).toBe('Bearer test');
    expect(entry?.body).toMatchObject({ model: 'echo-1', messages });
  });

  it.each<Style>(['openai', 'vllm', 'vllm-null', 'llamacpp', 'ollama'])('streams in the %s dialect with include_usage', async (style) => {
    server().setFaults([{ match: 'chat', style }]);
    const stream = await client().chat.completions.create({ model: 'echo-1', messages, stream: true, stream_options: { include_usage: true } });
    let text = '';
    const reasons: string[] = [];
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      expect(chunk.object).toBe('chat.completion.chunk');
      for (const choice of chunk.choices ?? []) {
        text += choice.delta.content ?? '';
        if (choice.finish_reason) reasons.push(choice.finish_reason);
      }
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe('Echo: Say hi to Ada');
    expect(reasons).toEqual(['stop']);
    expect(usage).toEqual({ prompt_tokens: 6, completion_tokens: 5, total_tokens: 11 });
  });

  it("cuts the answer at max_tokens chunks with finish_reason 'length'", async () => {
    const c = await client().chat.completions.create({ model: 'echo-1', messages, max_tokens: 2 });
    expect(c.choices[0]?.message.content).toBe('Echo: Sa');
    expect(c.choices[0]?.finish_reason).toBe('length');
  });

  it('returns deterministic unit embeddings, as floats or base64 (the client default)', async () => {
    const decoded = await client().embeddings.create({ model: 'echo-embed-1', input: ['alpha', 'beta', 'alpha'] });
    expect(decoded.object).toBe('list');
    const vectors = decoded.data.map((d) => [...d.embedding]);
    expect(vectors.map((v) => v.length)).toEqual([8, 8, 8]);
    expect(vectors[0]).toEqual(vectors[2]);
    expect(vectors[0]).not.toEqual(vectors[1]);
    for (const v of vectors) expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    expect(chatPosts(server())).toEqual([]);
    expect(server().log()[0]?.body?.encoding_format).toBe('base64');

    const floats = await client().embeddings.create({ model: 'echo-embed-1', input: 'alpha', encoding_format: 'float' });
    floats.data[0]?.embedding.forEach((x, i) => expect(x).toBeCloseTo(vectors[0]?.[i] ?? NaN, 6));
    expect(floats.usage).toEqual({ prompt_tokens: 1, total_tokens: 1 });
  });

  it('streams scripted tool calls in pieces that the official stream helper assembles, and answers them whole', async () => {
    const tools = [{ type: 'function' as const, function: { name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } } }];
    server().setFaults([{ match: 'chat', toolCalls: [{ name: 'lookup', arguments: '{"q":"Ada"}' }, { name: 'lookup', id: 'call_x' }], chunkSize: 2 }]);
    const stream = client().chat.completions.stream({ model: 'echo-1', messages, tools, max_tokens: 500 });
    const final = await stream.finalChatCompletion();
    const want = [
      { id: 'call_echo_0', type: 'function', function: { name: 'lookup', arguments: '{"q":"Ada"}' } },
      { id: 'call_x', type: 'function', function: { name: 'lookup', arguments: '{"q":"Say hi to Ada"}' } },
    ];
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    expect(final.choices[0]?.message.tool_calls).toEqual(want);
    const whole = await client().chat.completions.create({ model: 'echo-1', messages, tools, max_tokens: 500 });
    expect(whole.choices[0]?.message).toMatchObject({ content: null, tool_calls: want });
  });

  it('lists models', async () => {
    const ids: string[] = [];
    for await (const model of client().models.list()) ids.push(model.id);
    expect(ids).toEqual(['echo-1', 'echo-embed-1']);
  });

  it('its injected errors read as OpenAI errors', async () => {
    server().setFaults([{ match: 'chat', status: 429, headers: { 'retry-after': '7' }, times: 1 }]);
    const error: unknown = await client().chat.completions.create({ model: 'echo-1', messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after')).toBe('7');
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).message).toContain('Injected 429');
  });
});

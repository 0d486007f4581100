/** The same answer from each server's dialect of the OpenAI stream: OpenAI, vLLM, llama.cpp, Ollama. */
import { describe, expect, it } from 'vitest';
import { createRemoteBackend } from '../../../src/backends/remote/index.js';
import { chatPosts, collect, request, useServer, type Fault, type Style } from './helpers.js';

const server = useServer();
const backend = (): ReturnType<typeof createRemoteBackend> => createRemoteBackend({ baseURL: server().url, model: 'echo-1', prices: { input: 1, output: 1 } });

describe('remote backend: server dialects', () => {
  const cases: [string, Fault[]][] = [
    ['openai (usage chunk with choices: [])', [{ match: 'chat', style: 'openai' }]],
    ['vllm (usage chunk with choices: [])', [{ match: 'chat', style: 'vllm' }]],
    ['vllm (usage chunk with choices: null)', [{ match: 'chat', style: 'vllm-null' }]],
    ['llama.cpp (usage and timings in the finish chunk, content: null first)', [{ match: 'chat', style: 'llamacpp' }]],
    ['ollama (no [DONE]; the connection closes after the finish chunk)', [{ match: 'chat', style: 'ollama' }]],
    ['keep-alive comments and blank lines between events', [{ match: 'chat', comments: true }]],
    ['ollama with comments and one character per chunk', [{ match: 'chat', style: 'ollama', comments: true, chunkSize: 1 }]],
  ];

  it.each(cases)('%s', async (_name, faults) => {
    server().setFaults(faults);
    const { text, finish } = await collect(backend().generate(request()));
    expect(text).toBe('Echo: hello there world');
    const chunks = chatPosts(server())[0]?.chunks ?? 0;
    expect(finish).toMatchObject({ reason: 'stop', ranOn: 'remote', usage: { promptTokens: 3, completionTokens: chunks } });
    expect(finish.cost?.total).toBeCloseTo((3 + chunks) / 1e6, 12);
    expect(chatPosts(server())).toHaveLength(1);
  });

  it.each<Style>(['openai', 'vllm', 'vllm-null', 'llamacpp', 'ollama'])("%s: 'length' at max_tokens", async (style) => {
    server().setFaults([{ match: 'chat', style }]);
    const { text, finish } = await collect(backend().generate(request({ maxTokens: 3 })));
    expect(text).toBe('Echo: hello ');
    expect(finish.reason).toBe('length');
  });

  it('without usage from the server, counts are 0 and the cost is 0', async () => {
    server().setFaults([{ match: 'chat', noUsage: true }]);
    const { text, finish } = await collect(backend().generate(request()));
    expect(text).toBe('Echo: hello there world');
    expect(finish.usage).toMatchObject({ promptTokens: 0, completionTokens: 0, tokensPerSecond: 0 });
    expect(finish.cost?.total).toBe(0);
  });

  it('non-streaming llama.cpp answers (with timings) read the same', async () => {
    server().setFaults([{ match: 'chat', style: 'llamacpp' }]);
    const { parts, finish } = await collect(backend().generate(request(), { stream: false }));
    expect(parts[0]).toEqual({ type: 'text', text: 'Echo: hello there world' });
    expect(finish.usage).toMatchObject({ promptTokens: 3, completionTokens: 6 });
  });
});

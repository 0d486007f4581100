/** Tools on the wire against the real test server: request bodies, tool history, calls streamed in pieces, abort. */
import { describe, expect, it } from 'vitest';
import type { BackendPart } from '../../../src/backends/backend.js';
import { createRemoteBackend } from '../../../src/backends/remote/index.js';
import type { ChatMessage, ToolDefinition } from '../../../src/types.js';
import { chatPosts, collect, eventually, request, useServer, type Fault } from './helpers.js';

const server = useServer();
const backend = (): ReturnType<typeof createRemoteBackend> => createRemoteBackend({ baseURL: server().url, model: 'echo-1' });

const TOOLS: ToolDefinition[] = [
  { name: 'get_weather', description: 'Weather now in a city', parameters: { type: 'object', properties: { city: { type: 'string' }, unit: { enum: ['c', 'f'] } }, required: ['city'] } },
  { name: 'get_time', parameters: { type: 'object', properties: { zone: { type: 'string' } } } },
];
const withTools = (overrides: Parameters<typeof request>[0] = {}): ReturnType<typeof request> => request({ tools: TOOLS, toolChoice: 'auto', ...overrides });

/** Two calls whose names and arguments the server cuts into pieces and interleaves by index. */
const TWO_CALLS: NonNullable<Fault['toolCalls']> = [
  { name: 'get_weather', arguments: '{"city":"Paris, \\"the\\" city","unit":"c"}' },
  { name: 'get_time', arguments: { zone: 'Europe/Paris' } },
];
const TWO_PARTS: BackendPart[] = [
  { type: 'tool-call', id: 'call_echo_0', name: 'get_weather', arguments: '{"city":"Paris, \\"the\\" city","unit":"c"}' },
  { type: 'tool-call', id: 'call_echo_1', name: 'get_time', arguments: '{"zone":"Europe/Paris"}' },
];

describe('remote backend: tools in the request', () => {
  it('sends each tool as an OpenAI function (description only when given) with tool_choice', async () => {
    await collect(backend().generate(withTools()));
    const body = chatPosts(server())[0]?.body;
    expect(body?.tools).toEqual([
      { type: 'function', function: { name: 'get_weather', description: 'Weather now in a city', parameters: TOOLS[0]?.parameters } },
      { type: 'function', function: { name: 'get_time', parameters: TOOLS[1]?.parameters } },
    ]);
    expect(body?.tool_choice).toBe('auto');
  });

  it("maps every tool choice: 'auto', 'none', 'required' and a named tool", async () => {
    const b = backend();
    for (const toolChoice of ['auto', 'none', 'required', { name: 'get_time' }] as const) await collect(b.generate(withTools({ toolChoice })));
    expect(chatPosts(server()).map((e) => e.body?.tool_choice)).toEqual(['auto', 'none', 'required', { type: 'function', function: { name: 'get_time' } }]);
  });

  it('sends neither tools nor tool_choice without tools, or with an empty list (OpenAI answers 400 to [])', async () => {
    const b = backend();
    await collect(b.generate(request()));
    await collect(b.generate(request({ tools: [], toolChoice: 'auto' })));
    for (const entry of chatPosts(server())) {
      expect(entry.body).not.toHaveProperty('tools');
      expect(entry.body).not.toHaveProperty('tool_choice');
    }
  });

  it('sends the tool history: calls with JSON text arguments (content null when empty), results by tool_call_id', async () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'Weather in Paris and the time there?' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'call_a', name: 'get_weather', arguments: { city: 'Paris' } }, { id: 'call_b', name: 'get_time', arguments: {} }] },
      { role: 'tool', toolCallId: 'call_a', name: 'get_weather', content: '18 °C' },
      { role: 'tool', toolCallId: 'call_b', content: '14:05' },
      { role: 'assistant', content: 'Let me check once more.', toolCalls: [{ id: 'call_c', name: 'get_weather', arguments: { city: 'Paris', unit: 'f' } }] },
      { role: 'tool', toolCallId: 'call_c', content: '64 °F' },
      { role: 'assistant', content: 'It is 18 °C.' },
      { role: 'user', content: 'Thanks' },
    ];
    const { text } = await collect(backend().generate(withTools({ messages })));
    expect(text).toBe('Echo: Thanks');
    expect(chatPosts(server())[0]?.body?.messages).toEqual([
      { role: 'user', content: 'Weather in Paris and the time there?' },
      { role: 'assistant', content: null, tool_calls: [
        { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
        { id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{}' } },
      ] },
      { role: 'tool', tool_call_id: 'call_a', content: '18 °C' },
      { role: 'tool', tool_call_id: 'call_b', content: '14:05' },
      { role: 'assistant', content: 'Let me check once more.', tool_calls: [{ id: 'call_c', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris","unit":"f"}' } }] },
      { role: 'tool', tool_call_id: 'call_c', content: '64 °F' },
      { role: 'assistant', content: 'It is 18 °C.' },
      { role: 'user', content: 'Thanks' },
    ]);
  });
});

describe('remote backend: tool calls in the answer', () => {
  it.each<[string, Fault]>([
    ['1-character pieces', { match: 'chat', toolCalls: TWO_CALLS, chunkSize: 1 }],
    ['1-character pieces, names cut too', { match: 'chat', toolCalls: TWO_CALLS, chunkSize: 1, toolCallNames: 'split' }],
    ['random pieces (seed 1), names cut too', { match: 'chat', toolCalls: TWO_CALLS, randomChunks: 1, toolCallNames: 'split' }],
    ['random pieces (seed 7)', { match: 'chat', toolCalls: TWO_CALLS, randomChunks: 7 }],
    ['random pieces (seed 5), names resent with every piece (MiniMax via NVIDIA NIM)', { match: 'chat', toolCalls: TWO_CALLS, randomChunks: 5, toolCallNames: 'repeat' }],
    ['random pieces (seed 42), in the Ollama dialect', { match: 'chat', toolCalls: TWO_CALLS, randomChunks: 42, style: 'ollama' }],
    ['random pieces (seed 3), in the llama.cpp dialect', { match: 'chat', toolCalls: TWO_CALLS, randomChunks: 3, style: 'llamacpp' }],
  ])('assembles two interleaved calls streamed in %s exactly, in index order', async (_name, fault) => {
    server().setFaults([fault]);
    // The server counts each piece as a token; leave room for them all.
    const { parts, finish } = await collect(backend().generate(withTools({ maxTokens: 1000 })));
    expect(parts.slice(0, -1)).toEqual(TWO_PARTS);
    expect(finish).toMatchObject({ reason: 'tool-calls', ranOn: 'remote' });
    // Many chunks went by: the calls really came in pieces.
    expect(chatPosts(server())[0]?.chunks).toBeGreaterThan(10);
  });

  it('reads the same calls from a completion that is not streamed', async () => {
    server().setFaults([{ match: 'chat', toolCalls: TWO_CALLS }]);
    const { parts, finish } = await collect(backend().generate(withTools(), { stream: false }));
    expect(parts.slice(0, -1)).toEqual(TWO_PARTS);
    expect(finish.reason).toBe('tool-calls');
    expect(chatPosts(server())[0]?.body?.stream).toBe(false);
  });

  it('passes arguments that are not valid JSON through as received (the engine judges them)', async () => {
    const broken = '{"city": "Par';
    for (const stream of [true, false]) {
      server().setFaults([{ match: 'chat', toolCalls: [{ name: 'get_weather', arguments: broken }], chunkSize: 2 }]);
      const { parts, finish } = await collect(backend().generate(withTools(), { stream }));
      expect(parts[0]).toEqual({ type: 'tool-call', id: 'call_echo_0', name: 'get_weather', arguments: broken });
      expect(finish.reason).toBe('tool-calls');
    }
  });

  it('names calls sent without an id, uniquely across the requests of one backend', async () => {
    const b = backend();
    server().setFaults([{ match: 'chat', toolCalls: [{ name: 'get_time', arguments: '{}', id: null }, { name: 'get_weather', arguments: '{"city":"Oslo"}', id: null }] }]);
    const first = await collect(b.generate(withTools()));
    const second = await collect(b.generate(withTools(), { stream: false }));
    const ids = [...first.parts, ...second.parts].flatMap((p) => (p.type === 'tool-call' ? [p.id] : []));
    expect(ids).toEqual(['call_1', 'call_2', 'call_3', 'call_4']);
  });

  it("calls the tool a named tool_choice names, with arguments of the tool's schema, when the script says only `true`", async () => {
    server().setFaults([{ match: 'chat', toolCalls: true }]);
    const { parts } = await collect(backend().generate(withTools({ toolChoice: { name: 'get_weather' } })));
    expect(parts[0]).toEqual({ type: 'tool-call', id: 'call_echo_0', name: 'get_weather', arguments: '{"city":"hello there world","unit":"c"}' });
  });

  it("stops at max_tokens with reason 'length', handing over the calls as far as they came", async () => {
    server().setFaults([{ match: 'chat', toolCalls: [{ name: 'get_time', arguments: '{"zone":"UTC"}' }], chunkSize: 3 }]);
    const { parts, finish } = await collect(backend().generate(withTools({ maxTokens: 4 })));
    // Four pieces: the name whole, then '{"z', 'one', '":"'.
    expect(parts[0]).toEqual({ type: 'tool-call', id: 'call_echo_0', name: 'get_time', arguments: '{"zone":"' });
    expect(finish.reason).toBe('length');
  });

  it('an abort mid tool-call stream ends with finish abort and no tool-call part, and closes the connection', async () => {
    server().setFaults([{ match: 'chat', toolCalls: TWO_CALLS, chunkSize: 1, chunkDelayMs: 20 }]);
    const controller = new AbortController();
    const stream = collect(backend().generate(withTools(), { signal: controller.signal }));
    await eventually(() => (chatPosts(server())[0]?.chunks ?? 0) >= 5);
    controller.abort();
    const { parts, finish } = await stream;
    expect(parts).toHaveLength(1);
    expect(finish.reason).toBe('abort');
    await eventually(() => chatPosts(server())[0]?.closedEarly === true);
  });
});

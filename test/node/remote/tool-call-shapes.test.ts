/**
 * Tool-call shapes the test server does not send, through a recording fake `fetch`: the
 * dialects of other servers, finish reasons, structural errors, the no-retry-after-output
 * rule; and the assembler against random cuts.
 */
import { describe, expect, it } from 'vitest';
import type { BackendPart } from '../../../src/backends/backend.js';
import { createRemoteBackend } from '../../../src/backends/remote/index.js';
import { ToolCallAssembler } from '../../../src/backends/remote/tool-calls.js';
import { collect, collectError, recordingSleep, request } from './helpers.js';

type Payload = Record<string, unknown> | string;

/** A fetch that answers every request with these SSE payloads (or one JSON body), and counts the requests. */
function fakeFetch(payloads: Payload[], o: { done?: boolean; json?: boolean } = {}): { fetch: typeof globalThis.fetch; readonly requests: number } {
  const state = { requests: 0 };
  const answer: typeof globalThis.fetch = () => {
    state.requests += 1;
    if (o.json) return Promise.resolve(new Response(JSON.stringify(payloads[0]), { headers: { 'content-type': 'application/json' } }));
    const events = payloads.map((p) => `data: ${typeof p === 'string' ? p : JSON.stringify(p)}\n\n`).join('');
    return Promise.resolve(new Response(events + (o.done === false ? '' : 'data: [DONE]\n\n'), { headers: { 'content-type': 'text/event-stream' } }));
  };
  return { fetch: answer, get requests() { return state.requests; } };
}

const chunk = (delta: Record<string, unknown>, finish: string | null = null): Payload => ({ choices: [{ index: 0, delta, finish_reason: finish }] });
const calls = (...fragments: Record<string, unknown>[]): Payload => chunk({ tool_calls: fragments });
const run = (payloads: Payload[], o: { done?: boolean; json?: boolean; maxRetries?: number } = {}): { stream: AsyncIterable<BackendPart>; fake: ReturnType<typeof fakeFetch> } => {
  const fake = fakeFetch(payloads, o);
  const backend = createRemoteBackend({ baseURL: 'https://fake.test/v1', model: 'm', maxRetries: o.maxRetries ?? 2 }, { fetch: fake.fetch, sleep: recordingSleep().sleep });
  return { stream: backend.generate(request({ tools: [{ name: 'f', parameters: { type: 'object' } }], toolChoice: 'auto' }), { stream: o.json !== true }), fake };
};
const toolParts = (parts: BackendPart[]): BackendPart[] => parts.filter((p) => p.type === 'tool-call');

describe('remote backend: tool-call dialects', () => {
  it('reads calls without `index` (older Ollama): whole calls told apart by id, in one chunk or several', async () => {
    const whole = (id: string, name: string, args: string): Record<string, unknown> => ({ id, type: 'function', function: { name, arguments: args } });
    for (const payloads of [
      [calls(whole('a', 'f', '{"x":1}')), calls(whole('b', 'g', '{}')), chunk({}, 'tool_calls')],
      [calls(whole('a', 'f', '{"x":1}'), whole('b', 'g', '{}')), chunk({}, 'stop')],
    ]) {
      const { parts, finish } = await collect(run(payloads).stream);
      expect(toolParts(parts)).toEqual([
        { type: 'tool-call', id: 'a', name: 'f', arguments: '{"x":1}' },
        { type: 'tool-call', id: 'b', name: 'g', arguments: '{}' },
      ]);
      expect(finish.reason).toBe('tool-calls');
    }
  });

  it('continues the call in progress with a fragment that has neither index nor id', async () => {
    const { parts } = await collect(run([calls({ id: 'a', function: { name: 'f', arguments: '{"x"' } }), calls({ function: { arguments: ':1}' } }), chunk({}, 'tool_calls')]).stream);
    expect(toolParts(parts)).toEqual([{ type: 'tool-call', id: 'a', name: 'f', arguments: '{"x":1}' }]);
  });

  it('serializes object arguments, reads no arguments as {}, and treats null fields as absent', async () => {
    const { parts } = await collect(run([
      calls({ index: 0, id: 'a', type: 'function', function: { name: 'f', arguments: { x: [1, 'two'] } } }),
      calls({ index: 1, id: null, type: null, function: { name: 'g', arguments: null } }),
      calls({ index: 1, id: 'b', function: null }),
      chunk({}, 'tool_calls'),
    ]).stream);
    expect(toolParts(parts)).toEqual([
      { type: 'tool-call', id: 'a', name: 'f', arguments: '{"x":[1,"two"]}' },
      { type: 'tool-call', id: 'b', name: 'g', arguments: '{}' },
    ]);
  });

  it('hands calls over in index order, however they arrived', async () => {
    const { parts } = await collect(run([calls({ index: 2, id: 'c', function: { name: 'h', arguments: '{}' } }), calls({ index: 0, id: 'a', function: { name: 'f', arguments: '{}' } }), chunk({}, 'tool_calls')]).stream);
    expect(toolParts(parts).map((p) => (p.type === 'tool-call' ? p.id : ''))).toEqual(['a', 'c']);
  });
});

describe('remote backend: finish reasons with tool calls', () => {
  it("says 'tool-calls' when calls were made, whatever the server said, text first", async () => {
    const { parts, finish } = await collect(run([chunk({ content: 'Checking.' }), calls({ index: 0, id: 'a', function: { name: 'f', arguments: '{}' } }), chunk({}, 'stop')]).stream);
    expect(parts.map((p) => p.type)).toEqual(['text', 'tool-call', 'finish']);
    expect(finish.reason).toBe('tool-calls');
  });

  it("says 'stop' for a tool_calls finish without any call (vllm-project/vllm#53255), and reads the legacy function_call", async () => {
    expect((await collect(run([chunk({ content: 'Hi' }), chunk({ tool_calls: [] }, 'tool_calls')]).stream)).finish.reason).toBe('stop');
    const legacy = await collect(run([calls({ index: 0, id: 'a', function: { name: 'f', arguments: '{}' } }), chunk({}, 'function_call')]).stream);
    expect(legacy.finish.reason).toBe('tool-calls');
  });

  it('hands over calls still open when [DONE] comes without a finish_reason', async () => {
    const { parts, finish } = await collect(run([calls({ index: 0, id: 'a', function: { name: 'f', arguments: '{}' } })]).stream);
    expect(toolParts(parts)).toHaveLength(1);
    expect(finish.reason).toBe('tool-calls');
  });
});

describe('remote backend: tool calls that are structurally wrong', () => {
  it.each<[string, Payload[]]>([
    ['tool_calls that is not an array', [chunk({ tool_calls: { index: 0 } }, 'tool_calls')]],
    ['a fragment that is not an object', [chunk({ tool_calls: ['f'] }, 'tool_calls')]],
    ['a negative index', [calls({ index: -1, function: { name: 'f' } }), chunk({}, 'tool_calls')]],
    ['a function that is a string', [calls({ index: 0, function: 'f' }), chunk({}, 'tool_calls')]],
    ['a name that is a number', [calls({ index: 0, function: { name: 5 } }), chunk({}, 'tool_calls')]],
    ['arguments that are a number', [calls({ index: 0, function: { name: 'f', arguments: 5 } }), chunk({}, 'tool_calls')]],
    ['a call that ends without a name', [calls({ index: 0, id: 'a', function: { arguments: '{}' } }), chunk({}, 'tool_calls')]],
  ])('fails %s as remote_protocol_error, without a retry', async (_name, payloads) => {
    const { stream, fake } = run(payloads);
    const { error, parts } = await collectError(stream);
    expect(error.code).toBe('remote_protocol_error');
    expect(parts.filter((p) => p.type === 'tool-call')).toEqual([]);
    expect(fake.requests).toBe(1);
  });

  it('fails a completion whose message.tool_calls is not an array, or names no function, the same way', async () => {
    for (const toolCalls of [{ id: 'a' }, [{ id: 'a', type: 'function', function: { arguments: '{}' } }]]) {
      const { stream } = run([{ choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: toolCalls }, finish_reason: 'tool_calls' }] }], { json: true });
      expect((await collectError(stream)).error.code).toBe('remote_protocol_error');
    }
  });
});

describe('remote backend: a tool call is output', () => {
  const inBand503 = { error: { message: 'overloaded', code: 503 } };

  it('is not retried once a call has reached the caller', async () => {
    const { stream, fake } = run([calls({ index: 0, id: 'a', function: { name: 'f', arguments: '{}' } }), chunk({}, 'tool_calls'), inBand503]);
    const { error, parts } = await collectError(stream);
    expect(toolParts(parts)).toHaveLength(1);
    expect([error.code, error.details.status, fake.requests]).toEqual(['remote_http_error', 503, 1]);
  });

  it('is retried while the call was still in pieces: nothing had reached the caller', async () => {
    const { stream, fake } = run([calls({ index: 0, id: 'a', function: { name: 'f', arguments: '{' } }), inBand503], { maxRetries: 1 });
    const { parts } = await collectError(stream);
    expect(parts).toEqual([]);
    expect(fake.requests).toBe(2);
  });
});

describe('ToolCallAssembler', () => {
  const assemble = (names: string[], toolNames: string[]): string => {
    const a = new ToolCallAssembler('u', () => 'id', toolNames);
    for (const name of names) a.add([{ index: 0, function: { name } }], 's');
    const [call] = a.take();
    return call?.name ?? '';
  };

  it('joins name pieces, but keeps one name resent whole (the tools decide, else a repeat longer than a letter)', () => {
    expect(assemble(['get_', 'weather'], ['get_weather'])).toBe('get_weather');
    expect(assemble(['read_file', 'read_file', 'read_file'], ['read_file'])).toBe('read_file');
    expect(assemble(['read_file', 'read_file'], [])).toBe('read_file');
    expect(assemble(['ab', 'ab'], ['abab', 'ab'])).toBe('abab');
    expect(assemble(['ab', 'ab'], ['ab'])).toBe('ab');
    expect(assemble(['a', 'a', 'x'], [])).toBe('aax');
    expect(assemble(['a', 'a'], [])).toBe('aa');
  });

  /** Deterministic numbers in [0, 1) (mulberry32). */
  function random(seed: number): () => number {
    let s = seed;
    return () => {
      s = (s + 0x6d2b79f5) | 0;
      let t = Math.imul(s ^ (s >>> 15), 1 | s);
      t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
      return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
    };
  }

  it('rebuilds 1 to 3 calls exactly from 300 random cuts and interleavings, several fragments per chunk at times', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const r = random(seed);
      const want = Array.from({ length: 1 + Math.floor(r() * 3) }, (_, i) => ({ id: `id_${seed}_${i}`, name: `fn_${'é'.repeat(i)}${i}`, arguments: JSON.stringify({ q: `a "quoted" ü\n${seed}`, n: [i, seed] }) }));
      // Each call as pieces: the first carries the id, every piece a cut of name then arguments.
      const queues = want.map((c, index) => {
        const pieces: Record<string, unknown>[] = [];
        for (const [key, text] of [['name', c.name], ['arguments', c.arguments]] as const) {
          for (let at = 0; at < text.length;) {
            const n = 1 + Math.floor(r() * 6);
            pieces.push({ index, function: { [key]: text.slice(at, at + n) } });
            at += n;
          }
        }
        return [{ ...pieces[0], id: c.id, type: 'function' }, ...pieces.slice(1)];
      });
      const assembler = new ToolCallAssembler('u', () => 'unused');
      while (queues.some((q) => q.length > 0)) {
        const chunkOf = queues.filter((q) => q.length > 0 && r() < 0.6).map((q) => q.shift());
        assembler.add(chunkOf, 'sample');
      }
      expect(assembler.take()).toEqual(want.map((c) => ({ type: 'tool-call', ...c })));
      expect(assembler.pending).toBe(false);
    }
  });
});

/** Bytes to events to readings, without a server: line endings, split events, oversize events, odd chunks. */
import { describe, expect, it } from 'vitest';
import { RemoteFailure } from '../../../src/backends/remote/failure.js';
import { DEFAULT_TIMEOUTS } from '../../../src/backends/remote/options.js';
import { readEvents } from '../../../src/backends/remote/sse.js';
import { Watch } from '../../../src/backends/remote/timeouts.js';
import { readChunk, readCompletion } from '../../../src/backends/remote/wire.js';

const URL_ = 'http://test/v1/chat/completions';

function body(pieces: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const p of pieces) controller.enqueue(typeof p === 'string' ? encoder.encode(p) : p);
      controller.close();
    },
  });
}

async function events(pieces: (string | Uint8Array)[]): Promise<{ data: string; event?: string | undefined }[]> {
  const watch = new Watch(DEFAULT_TIMEOUTS, new AbortController(), URL_);
  const out = [];
  for await (const e of readEvents(body(pieces), watch, URL_)) out.push({ data: e.data, event: e.event });
  return out;
}

async function failure(run: () => unknown): Promise<RemoteFailure> {
  try {
    await run();
  } catch (e) {
    if (e instanceof RemoteFailure) return e;
    throw e;
  }
  throw new Error('expected a RemoteFailure');
}

describe('readEvents', () => {
  it('joins events split across reads, in any line ending, with a BOM, skipping comments and blank events', async () => {
    const bytes = new TextEncoder().encode('data: {"b":2}\r\n\r\n');
    expect(await events(['\uFEFFda', 'ta: {"a":', '1}\n', '\n: ping\n\n\n', bytes.subarray(0, 5), bytes.subarray(5), 'data: x\rdata: y\r\r', 'data:\n\n'])).toEqual([
      { data: '{"a":1}', event: undefined },
      { data: '{"b":2}', event: undefined },
      { data: 'x\ny', event: undefined },
    ]);
  });

  it('keeps multi-byte characters split between reads whole', async () => {
    const bytes = new TextEncoder().encode('data: "héllo 👋"\n\n');
    const pieces = [...bytes].map((b) => new Uint8Array([b]));
    expect((await events(pieces))[0]?.data).toBe('"héllo 👋"');
  });

  it('passes the event name on (some servers send `event: error`)', async () => {
    expect(await events(['event: error\ndata: {"message":"boom"}\n\n'])).toEqual([{ data: '{"message":"boom"}', event: 'error' }]);
  });

  it('fails an event over 1 MiB as a protocol error instead of buffering it', async () => {
    const f = await failure(() => events(['data: ', 'x'.repeat(1 << 20), 'x\n\n']));
    expect(f.code).toBe('remote_protocol_error');
  });

  it('fails a body with no events and no SSE lines as a protocol error; an empty body is just empty', async () => {
    expect((await failure(() => events(['{"choices": []}']))).code).toBe('remote_protocol_error');
    expect(await events([])).toEqual([]);
    // An event cut before its blank line is a truncated stream, left to the caller to judge.
    expect(await events(['data: {"a":'])).toEqual([]);
  });
});

describe('readChunk / readCompletion', () => {
  it('reads text, finish reason and usage, whatever the dialect', () => {
    expect(readChunk('{"choices":[{"delta":{"content":"hi"},"finish_reason":null}]}', URL_)).toEqual({ text: 'hi', finish: undefined, usage: undefined, error: undefined });
    expect(readChunk('{"choices":[{"delta":{"role":"assistant","content":null}}],"error":null}', URL_)).toMatchObject({ text: '', error: undefined });
    expect(readChunk('{"choices":[{"delta":{},"finish_reason":"eos"}]}', URL_).finish).toBe('stop');
    expect(readChunk('{"choices":[{"delta":{},"finish_reason":"length"}]}', URL_).finish).toBe('length');
    expect(readChunk('{"choices":null,"usage":{"prompt_tokens":3,"completion_tokens":4}}', URL_).usage).toEqual({ promptTokens: 3, completionTokens: 4 });
    expect(readChunk('{"choices":[],"usage":{"prompt_tokens":3}}', URL_).usage).toEqual({ promptTokens: 3, completionTokens: 0 });
    expect(readChunk('{"usage":null}', URL_).usage).toBeUndefined();
    expect(readCompletion('{"choices":[{"message":{"content":"whole"},"finish_reason":"stop"}]}', URL_).text).toBe('whole');
  });

  it('is strict where leniency would lose text', () => {
    for (const bad of ['[1,2]', 'null', '{"choices":{}}', '{"choices":[{"delta":{"content":5}}]}', '{"choices":["x"]}', 'data']) {
      expect(() => readChunk(bad, URL_)).toThrow(RemoteFailure);
    }
    expect(() => readCompletion('{"id":"x"}', URL_)).toThrow(/without choices/);
  });
});

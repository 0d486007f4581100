/** The three timeouts, each with its phase; what is retried; and that a slow reader is not an idle server. */
import { describe, expect, it } from 'vitest';
import { createRemoteBackend } from '../../../src/backends/remote/index.js';
import type { RemoteOptions } from '../../../src/config-types.js';
import { chatPosts, collect, collectError, eventually, recordingSleep, request, useServer } from './helpers.js';

const server = useServer();
const backend = (timeouts: NonNullable<RemoteOptions['timeouts']>, maxRetries = 0): ReturnType<typeof createRemoteBackend> =>
  createRemoteBackend({ baseURL: server().url, model: 'echo-1', timeouts, maxRetries }, { sleep: recordingSleep().sleep });

describe('remote backend: timeouts', () => {
  it("no response headers within connectMs: remote_timeout, phase 'connect', and the request is cancelled", async () => {
    server().setFaults([{ match: 'chat', headersDelayMs: 3000 }]);
    const t0 = performance.now();
    const { error } = await collectError(backend({ connectMs: 300 }).generate(request()));
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(error.code).toBe('remote_timeout');
    expect(error.details).toMatchObject({ phase: 'connect', timeoutMs: 300, attempts: 1, afterFirstToken: false });
    expect(error.message).toContain('timeouts.connectMs');
    await eventually(() => chatPosts(server())[0]?.closedEarly === true);
  });

  it("headers but no content within firstByteMs: phase 'first_byte'", async () => {
    server().setFaults([{ match: 'chat', firstByteDelayMs: 3000 }]);
    const { error, parts } = await collectError(backend({ firstByteMs: 200 }).generate(request()));
    expect(parts).toEqual([]);
    expect(error.code).toBe('remote_timeout');
    expect(error.details).toMatchObject({ phase: 'first_byte', attempts: 1 });
  });

  it("a stall between chunks longer than idleMs: phase 'idle', after the text so far, not retried", async () => {
    server().setFaults([{ match: 'chat', stallAfterChunks: 2, stallMs: 3000 }]);
    const { error, text } = await collectError(backend({ idleMs: 200 }, 2).generate(request()));
    expect(text).toBe('Echo: he');
    expect(error.code).toBe('remote_timeout');
    expect(error.details).toMatchObject({ phase: 'idle', attempts: 1, afterFirstToken: true });
    expect(chatPosts(server())).toHaveLength(1);
  });

  it('a timeout before the first token is retried', async () => {
    server().setFaults([{ match: 'chat', headersDelayMs: 3000, times: 1 }, { match: 'chat', firstByteDelayMs: 3000, times: 1 }]);
    const { text } = await collect(backend({ connectMs: 400, firstByteMs: 400 }, 2).generate(request()));
    expect(text).toBe('Echo: hello there world');
    expect(chatPosts(server())).toHaveLength(3);
  });

  it('delays shorter than the limits pass', async () => {
    server().setFaults([{ match: 'chat', headersDelayMs: 50, firstByteDelayMs: 50, stallAfterChunks: 1, stallMs: 50 }]);
    const { text } = await collect(backend({ connectMs: 500, firstByteMs: 500, idleMs: 500 }).generate(request()));
    expect(text).toBe('Echo: hello there world');
  });

  it('a consumer slower than idleMs is not an idle server: only network waits are timed', async () => {
    const parts: string[] = [];
    for await (const part of backend({ idleMs: 50, firstByteMs: 2000 }).generate(request())) {
      if (part.type === 'text') parts.push(part.text);
      await new Promise((r) => setTimeout(r, 80));
    }
    expect(parts.join('')).toBe('Echo: hello there world');
  });
});

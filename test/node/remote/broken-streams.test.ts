/** Streams that break: dropped or cut connections, bodies that are not the wire format, in-band errors. */
import { describe, expect, it } from 'vitest';
import { createRemoteBackend } from '../../../src/backends/remote/index.js';
import { chatPosts, collect, collectError, recordingSleep, request, useServer } from './helpers.js';

const server = useServer();
const backend = (): ReturnType<typeof createRemoteBackend> =>
  createRemoteBackend({ baseURL: server().url, model: 'echo-1' }, { sleep: recordingSleep().sleep });

describe('remote backend: dropped and cut connections', () => {
  it('retries a connection dropped before the first token, and the text arrives once', async () => {
    server().setFaults([{ match: 'chat', dropAfterChunks: 0, times: 1 }]);
    const { text } = await collect(backend().generate(request()));
    expect(text).toBe('Echo: hello there world');
    expect(chatPosts(server()).map((e) => e.dropped)).toEqual([true, false]);
  });

  it('never retries after the first token: remote_network_error with afterFirstToken, no duplicate text', async () => {
    server().setFaults([{ match: 'chat', dropAfterChunks: 2, times: 1 }]);
    const { error, text } = await collectError(backend().generate(request()));
    expect(text).toBe('Echo: he');
    expect(error.code).toBe('remote_network_error');
    expect(error.details).toMatchObject({ afterFirstToken: true, attempts: 1 });
    expect(chatPosts(server())).toHaveLength(1);
  });

  it('a clean end of body without finish_reason after some text is a truncation, never silent', async () => {
    server().setFaults([{ match: 'chat', endAfterChunks: 3 }]);
    const { error, text } = await collectError(backend().generate(request()));
    expect(text).toBe('Echo: hello ');
    expect(error.code).toBe('remote_network_error');
    expect(error.details).toMatchObject({ afterFirstToken: true, attempts: 1 });
    expect(error.message).toMatch(/cut short/);
  });

  it('an empty answer that ends without finish_reason is retried like a drop', async () => {
    server().setFaults([{ match: 'chat', endAfterChunks: 0, times: 2 }]);
    const { text } = await collect(backend().generate(request()));
    expect(text).toBe('Echo: hello there world');
    expect(chatPosts(server())).toHaveLength(3);
  });

  it('retries a non-streamed answer cut halfway', async () => {
    server().setFaults([{ match: 'chat', dropAfterChunks: 0, times: 1 }]);
    const { parts } = await collect(backend().generate(request(), { stream: false }));
    expect(parts[0]).toEqual({ type: 'text', text: 'Echo: hello there world' });
    expect(chatPosts(server())).toHaveLength(2);
  });
});

describe('remote backend: answers that are not the wire format', () => {
  it('a non-JSON data line is remote_protocol_error, after the text before it, without retry', async () => {
    server().setFaults([{ match: 'chat', malformed: true, afterChunks: 1 }]);
    const { error, text } = await collectError(backend().generate(request()));
    expect(text).toBe('Echo');
    expect(error.code).toBe('remote_protocol_error');
    expect(error.details).toMatchObject({ attempts: 1 });
    expect(String(error.details.sample)).toContain('chatcmpl-broken');
    expect(chatPosts(server())).toHaveLength(1);
  });

  it('a malformed first event is not retried either: another try would say the same', async () => {
    server().setFaults([{ match: 'chat', malformed: true, afterChunks: 0 }]);
    const { error, parts } = await collectError(backend().generate(request()));
    expect([error.code, parts.length, chatPosts(server()).length]).toEqual(['remote_protocol_error', 0, 1]);
  });

  it('a 200 HTML page is remote_protocol_error', async () => {
    server().setFaults([{ match: 'chat', status: 200, body: '<!doctype html><title>Sign in</title>', headers: { 'content-type': 'text/html' } }]);
    const { error } = await collectError(backend().generate(request()));
    expect(error.code).toBe('remote_protocol_error');
    expect(error.message).toMatch(/HTML/);
  });

  it('a 200 plain-text body that is not an event stream is remote_protocol_error', async () => {
    server().setFaults([{ match: 'chat', status: 200, body: 'Hello from a proxy that did not forward the request.\n', headers: { 'content-type': 'text/plain' } }]);
    const { error } = await collectError(backend().generate(request()));
    expect(error.code).toBe('remote_protocol_error');
    expect(error.details.sample, error.message).toMatch(/^Hello from a proxy/);
  });

  it('a non-streamed answer that is not JSON is remote_protocol_error', async () => {
    server().setFaults([{ match: 'chat', malformed: true }]);
    const { error } = await collectError(backend().generate(request(), { stream: false }));
    expect(error.code).toBe('remote_protocol_error');
  });

  it('reads a JSON completion even when it asked for a stream (by Content-Type)', async () => {
    const completion = { id: 'x', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'All at once.' }, finish_reason: 'length' }], usage: { prompt_tokens: 4, completion_tokens: 3, total_tokens: 7 } };
    server().setFaults([{ match: 'chat', status: 200, body: completion }]);
    const { parts, finish } = await collect(backend().generate(request()));
    expect(parts[0]).toEqual({ type: 'text', text: 'All at once.' });
    expect(finish).toMatchObject({ reason: 'length', usage: { promptTokens: 4, completionTokens: 3 } });
  });
});

describe('remote backend: errors inside a 200 stream', () => {
  it('an error event mid-stream is a typed error with the server payload, not retried', async () => {
    server().setFaults([{ match: 'chat', errorEvent: true, afterChunks: 2 }]);
    const { error, text } = await collectError(backend().generate(request()));
    expect(text).toBe('Echo: he');
    expect(error.code).toBe('remote_http_error');
    expect(error.details).toMatchObject({ inBand: true, attempts: 1, body: { error: { message: 'Injected error in the middle of the stream', type: 'server_error' } } });
    expect(error.message).toContain('Injected error in the middle of the stream');
    expect(chatPosts(server())).toHaveLength(1);
  });

  it('an error event before any text with a retryable status (vLLM puts it in `code`) is retried', async () => {
    server().setFaults([{ match: 'chat', errorEvent: { object: 'error', message: 'busy', type: 'ServiceUnavailableError', code: 503 }, afterChunks: 0, times: 1 }]);
    const { text } = await collect(backend().generate(request()));
    expect(text).toBe('Echo: hello there world');
    expect(chatPosts(server())).toHaveLength(2);
  });

  it('an error event with status 401 is remote_unauthorized', async () => {
    server().setFaults([{ match: 'chat', errorEvent: { message: 'token expired', code: 401 }, afterChunks: 0 }]);
    const { error } = await collectError(backend().generate(request()));
    expect(error.code).toBe('remote_unauthorized');
    expect(error.details).toMatchObject({ status: 401, inBand: true, attempts: 1 });
  });

  it('an error object in a non-streamed 200 answer is typed too', async () => {
    server().setFaults([{ match: 'chat', errorEvent: { message: 'context too long', code: 400 } }]);
    const { error } = await collectError(backend().generate(request(), { stream: false }));
    expect(error.code).toBe('remote_http_error');
    expect(error.details).toMatchObject({ status: 400, body: { error: { message: 'context too long' } } });
  });
});

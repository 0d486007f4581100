/**
 * One HTTP attempt: POST the request, check the status, and turn the body (an event
 * stream, or one JSON completion) into text. Every network wait goes through the
 * attempt's {@link Watch}. It decides nothing about retries; it only says what failed.
 */
import type { EventSourceMessage } from 'eventsource-parser';
import { RemoteFailure, networkFailure, protocolFailure } from './failure.js';
import { httpFailure, inBandFailure } from './http-errors.js';
import { readEvents } from './sse.js';
import type { Watch } from './timeouts.js';
import { readChunk, readCompletion, type WireUsage } from './wire.js';

export interface ExchangeInit {
  url: string;
  headers: Record<string, string>;
  body: string;
  stream: boolean;
  fetch: typeof fetch;
  /** Aborted by the caller's signal, by a timeout, or when the caller leaves early. */
  signal: AbortSignal;
  watch: Watch;
  now: () => number;
}

/** How the server ended a complete answer. */
export interface Ending {
  reason: 'stop' | 'length';
  usage: WireUsage | undefined;
}

/** Text as it arrives, then exactly one `end` when the answer is complete. */
export type ExchangeItem = { type: 'text'; text: string } | ({ type: 'end' } & Ending);

type BodyKind = 'sse' | 'json' | 'html';

/** By Content-Type first: some servers answer JSON to a streaming request, or the reverse. */
function bodyKind(contentType: string | null, stream: boolean): BodyKind {
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('text/event-stream')) return 'sse';
  if (type.includes('json')) return 'json';
  if (type.includes('text/html')) return 'html';
  return stream ? 'sse' : 'json';
}

/** Text deltas as they arrive, then how the answer ended. Leaving the loop early cancels the body. */
export async function* exchange(x: ExchangeInit): AsyncGenerator<ExchangeItem, void, undefined> {
  let res: Response;
  try {
    res = await x.watch.run(x.fetch(x.url, { method: 'POST', headers: x.headers, body: x.body, signal: x.signal }));
  } catch (e) {
    throw e instanceof RemoteFailure ? e : networkFailure(x.url, e, 'connect');
  }
  x.watch.headers();
  if (!res.ok) throw await httpFailure(res, x.url, x.watch, x.now);
  const kind = bodyKind(res.headers.get('content-type'), x.stream);
  if (kind === 'html') {
    res.body?.cancel().catch(() => undefined);
    throw protocolFailure(x.url, 'answered with an HTML page');
  }
  if (!res.body) throw protocolFailure(x.url, `answered ${res.status} without a body`);
  const ending = kind === 'json' ? yield* completion(res.body, res.status, x) : yield* events(res.body, res.status, x);
  yield { type: 'end', ...ending };
}

async function* completion(body: ReadableStream<Uint8Array>, status: number, x: ExchangeInit): AsyncGenerator<ExchangeItem, Ending, undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const step = await x.watch.run(reader.read());
      if (step.done) break;
      text += decoder.decode(step.value, { stream: true });
    }
  } catch (e) {
    throw e instanceof RemoteFailure ? e : networkFailure(x.url, e, 'drop');
  } finally {
    reader.cancel().catch(() => undefined);
  }
  const reading = readCompletion(text + decoder.decode(), x.url);
  if (reading.error !== undefined) throw inBandFailure(x.url, reading.error, status);
  if (reading.text !== '') {
    x.watch.content();
    yield { type: 'text', text: reading.text };
  }
  return { reason: reading.finish ?? 'stop', usage: reading.usage };
}

/** `event: error` payloads are not always JSON; keep what the server said either way. */
function errorEventPayload(event: EventSourceMessage): unknown {
  try {
    const value: unknown = JSON.parse(event.data);
    return typeof value === 'object' && value !== null && 'error' in value ? value.error : value;
  } catch {
    return { message: event.data };
  }
}

async function* events(body: ReadableStream<Uint8Array>, status: number, x: ExchangeInit): AsyncGenerator<ExchangeItem, Ending, undefined> {
  let finish: Ending['reason'] | undefined;
  let usage: WireUsage | undefined;
  try {
    for await (const event of readEvents(body, x.watch, x.url)) {
      // A server that says it is done has finished, even without a finish_reason.
      if (event.data.trim() === '[DONE]') return { reason: finish ?? 'stop', usage };
      if (event.event === 'error') throw inBandFailure(x.url, errorEventPayload(event), status);
      const reading = readChunk(event.data, x.url);
      if (reading.error !== undefined) throw inBandFailure(x.url, reading.error, status);
      if (reading.usage !== undefined) usage = reading.usage;
      if (reading.finish !== undefined) finish = reading.finish;
      if (reading.text !== '') {
        x.watch.content();
        yield { type: 'text', text: reading.text };
      }
    }
  } catch (e) {
    const lostConnection = !(e instanceof RemoteFailure) || e.code === 'remote_timeout';
    // After a finish_reason the answer is whole; only the usage chunk or [DONE] is lost.
    if (lostConnection && finish !== undefined) return { reason: finish, usage };
    throw e instanceof RemoteFailure ? e : networkFailure(x.url, e, 'drop');
  }
  // Ollama and llama.cpp may close the connection after the finish chunk without [DONE].
  if (finish !== undefined) return { reason: finish, usage };
  throw networkFailure(x.url, undefined, 'truncated');
}

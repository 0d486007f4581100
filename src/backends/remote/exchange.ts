/**
 * One chat attempt: POST the request and turn the body (an event stream, or one JSON
 * completion) into text. Every network wait goes through the attempt's {@link Watch}.
 * It decides nothing about retries; it only says what failed.
 */
import type { EventSourceMessage } from 'eventsource-parser';
import { RemoteFailure, networkFailure } from './failure.js';
import { post, readText, type PostInit } from './http.js';
import { inBandFailure } from './http-errors.js';
import { readEvents } from './sse.js';
import { readChunk, readCompletion, type WireUsage } from './wire.js';

export interface ExchangeInit extends PostInit {
  stream: boolean;
}

/** How the server ended a complete answer. */
export interface Ending {
  reason: 'stop' | 'length';
  usage: WireUsage | undefined;
}

/** Text as it arrives, then exactly one `end` when the answer is complete. */
export type ExchangeItem = { type: 'text'; text: string } | ({ type: 'end' } & Ending);

/** By Content-Type first: some servers answer JSON to a streaming request, or the reverse. */
function isEventStream(contentType: string, stream: boolean): boolean {
  if (contentType.includes('text/event-stream')) return true;
  if (contentType.includes('json')) return false;
  return stream;
}

/** Text deltas as they arrive, then how the answer ended. Leaving the loop early cancels the body. */
export async function* exchange(x: ExchangeInit): AsyncGenerator<ExchangeItem, void, undefined> {
  const answer = await post(x);
  const ending = isEventStream(answer.contentType, x.stream)
    ? yield* events(answer.body, answer.status, x)
    : yield* completion(answer.body, answer.status, x);
  yield { type: 'end', ...ending };
}

async function* completion(body: ReadableStream<Uint8Array>, status: number, x: ExchangeInit): AsyncGenerator<ExchangeItem, Ending, undefined> {
  const reading = readCompletion(await readText(body, x.watch, x.url), x.url);
  if (reading.error !== undefined) throw inBandFailure(x.url, reading.error, status);
  if (reading.text !== '') yield { type: 'text', text: reading.text };
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

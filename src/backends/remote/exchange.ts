/**
 * One chat attempt: POST the request and turn the body (an event stream, or one JSON
 * completion) into text and tool calls. Every network wait goes through the attempt's
 * {@link Watch}. It decides nothing about retries; it only says what failed.
 */
import type { EventSourceMessage } from 'eventsource-parser';
import type { BackendToolCallPart } from '../backend.js';
import { RemoteFailure, networkFailure } from './failure.js';
import { CHAT_JSON_CAP_BYTES } from './caps.js';
import { post, readText, type Answer, type PostInit } from './http.js';
import { inBandFailure } from './http-errors.js';
import { readEvents } from './sse.js';
import { ToolCallAssembler, readToolCalls } from './tool-calls.js';
import { finishReason, readChunk, readCompletion, type WireFinish, type WireUsage } from './wire.js';

export interface ExchangeInit extends PostInit {
  stream: boolean;
  /** Names a tool call the server sent without an id. */
  toolCallId: () => string;
  /** The request's tools, to tell a name resent whole from one cut in pieces. */
  toolNames: readonly string[];
}

/** How the server ended a complete answer. */
export interface Ending {
  reason: 'stop' | 'length' | 'tool-calls';
  usage: WireUsage | undefined;
}

/**
 * Text as it arrives, tool calls whole when the choice finishes (in index order), then
 * exactly one `end` when the answer is complete.
 */
export type ExchangeItem = { type: 'text'; text: string } | BackendToolCallPart | ({ type: 'end' } & Ending);

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
    : yield* completion(answer, x);
  yield { type: 'end', ...ending };
}

async function* completion(answer: Answer, x: ExchangeInit): AsyncGenerator<ExchangeItem, Ending, undefined> {
  const text = await readText(answer, x.watch, x.url, CHAT_JSON_CAP_BYTES, 'a completion');
  const reading = readCompletion(text, x.url);
  if (reading.error !== undefined) throw inBandFailure(x.url, reading.error, answer.status);
  const calls = readToolCalls(reading.toolCalls, x.url, text, x.toolCallId);
  if (reading.text !== '') yield { type: 'text', text: reading.text };
  yield* calls;
  return { reason: finishReason(reading.finish, calls.length > 0), usage: reading.usage };
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
  let finish: WireFinish | undefined;
  let usage: WireUsage | undefined;
  let madeCalls = false;
  const calls = new ToolCallAssembler(x.url, x.toolCallId, x.toolNames);
  const ending = (): Ending => ({ reason: finishReason(finish, madeCalls), usage });
  function* release(): Generator<BackendToolCallPart, void, undefined> {
    const parts = calls.take();
    if (parts.length > 0) madeCalls = true;
    yield* parts;
  }
  try {
    for await (const event of readEvents(body, x.watch, x.url)) {
      // A server that says it is done has finished, even without a finish_reason.
      if (event.data.trim() === '[DONE]') {
        yield* release();
        return ending();
      }
      if (event.event === 'error') throw inBandFailure(x.url, errorEventPayload(event), status);
      const reading = readChunk(event.data, x.url);
      if (reading.error !== undefined) throw inBandFailure(x.url, reading.error, status);
      if (reading.usage !== undefined) usage = reading.usage;
      calls.add(reading.toolCalls, event.data);
      if (reading.text !== '' || (Array.isArray(reading.toolCalls) && reading.toolCalls.length > 0)) x.watch.content();
      if (reading.text !== '') yield { type: 'text', text: reading.text };
      // The choice is finished: its calls are whole (the usage chunk and [DONE] may follow).
      if (reading.finish !== undefined) {
        finish = reading.finish;
        yield* release();
      }
    }
  } catch (e) {
    const lostConnection = !(e instanceof RemoteFailure) || e.code === 'remote_timeout';
    // After a finish_reason the answer is whole; only the usage chunk or [DONE] is lost.
    if (lostConnection && finish !== undefined) return ending();
    throw e instanceof RemoteFailure ? e : networkFailure(x.url, e, 'drop');
  }
  // Ollama and llama.cpp may close the connection after the finish chunk without [DONE].
  if (finish !== undefined) return ending();
  throw networkFailure(x.url, undefined, 'truncated');
}

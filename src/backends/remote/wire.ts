/**
 * The OpenAI chat-completions wire format, both ways: the request body we send, and what
 * a chunk (streamed) or a completion (not streamed) tells us. Reading is lenient where
 * servers differ (vLLM's `choices: null` usage chunk, llama.cpp's `timings`, Ollama's
 * missing `[DONE]`) and strict where a difference would lose text.
 */
import type { ChatMessage } from '../../types.js';
import type { BackendRequest } from '../backend.js';
import { protocolFailure } from './failure.js';
import { isObject, parseObject, type Json } from './json.js';

export interface ChatCompletionBody {
  model: string;
  messages: ChatMessage[];
  stream: boolean;
  /** Only with `stream: true`: OpenAI rejects it otherwise. */
  stream_options?: { include_usage: true };
  max_tokens: number;
  temperature: number;
  top_p: number;
  seed: number;
  stop?: string[];
}

/** topK and repetitionPenalty are not in the OpenAI API; servers that know them disagree on names. */
export function requestBody(model: string, request: BackendRequest, stream: boolean): ChatCompletionBody {
  const messages = request.messages !== undefined
    ? request.messages.map((m) => ({ role: m.role, content: m.content }))
    : [{ role: 'user' as const, content: request.prompt ?? '' }];
  const body: ChatCompletionBody = {
    model,
    messages,
    stream,
    max_tokens: request.maxTokens,
    temperature: request.temperature,
    top_p: request.topP,
    seed: request.seed,
  };
  if (stream) body.stream_options = { include_usage: true };
  if (request.stop.length > 0) body.stop = [...request.stop];
  return body;
}

export interface WireUsage {
  promptTokens: number;
  completionTokens: number;
}

/** What one chunk or completion says, whatever the server's dialect. */
export interface WireReading {
  text: string;
  /** 'length' when the server ran out of tokens; any other reason is a normal stop. */
  finish: 'stop' | 'length' | undefined;
  usage: WireUsage | undefined;
  /** The payload's `error` member, when the server reported a failure in-band. */
  error: unknown;
}

function readUsage(v: unknown): WireUsage | undefined {
  if (!isObject(v)) return undefined;
  const count = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) && x >= 0 ? x : undefined);
  const prompt = count(v.prompt_tokens);
  const completion = count(v.completion_tokens);
  if (prompt === undefined && completion === undefined) return undefined;
  return { promptTokens: prompt ?? 0, completionTokens: completion ?? 0 };
}

/** `choices` may be absent, `[]` or `null` (vLLM's and OpenAI's final usage chunk). */
function firstChoice(payload: Json, url: string, sample: string): Json | undefined {
  const choices = payload.choices;
  if (choices === undefined || choices === null) return undefined;
  if (!Array.isArray(choices)) throw protocolFailure(url, 'sent `choices` that is not an array', sample);
  const first: unknown = choices[0];
  if (first === undefined) return undefined;
  if (!isObject(first)) throw protocolFailure(url, 'sent a choice that is not an object', sample);
  return first;
}

function readContent(holder: unknown, url: string, sample: string): string {
  if (!isObject(holder)) return '';
  const content = holder.content;
  if (content === undefined || content === null) return '';
  if (typeof content !== 'string') throw protocolFailure(url, 'sent `content` that is not a string', sample);
  return content;
}

function reading(payload: Json, choice: Json | undefined, text: string): WireReading {
  const reason = choice?.finish_reason;
  const finish = typeof reason === 'string' && reason !== '' ? (reason === 'length' ? 'length' : 'stop') : undefined;
  // Some servers send `"error": null` on every chunk.
  return { text, finish, usage: readUsage(payload.usage), error: payload.error ?? undefined };
}

/** One SSE data payload of a streamed completion. */
export function readChunk(data: string, url: string): WireReading {
  const payload = parseObject(data, url, 'a stream event');
  const choice = firstChoice(payload, url, data);
  return reading(payload, choice, readContent(choice?.delta, url, data));
}

/** The whole body of a completion asked for with `stream: false`. */
export function readCompletion(body: string, url: string): WireReading {
  const payload = parseObject(body, url, 'a response');
  const choice = firstChoice(payload, url, body);
  if (payload.error == null && choice === undefined) throw protocolFailure(url, 'sent a completion without choices', body);
  return reading(payload, choice, readContent(choice?.message, url, body));
}

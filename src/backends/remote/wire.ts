/**
 * What a chunk (streamed) or a completion (not streamed) of the OpenAI chat-completions
 * wire tells us; the request body is `body.ts`. Reading is lenient where
 * servers differ (vLLM's `choices: null` usage chunk, llama.cpp's `timings`, Ollama's
 * missing `[DONE]`) and strict where a difference would lose text.
 */
import type { FinishReason } from '../../types.js';
import { protocolFailure } from './failure.js';
import { isObject, parseObject, type Json } from './json.js';

export { requestBody, type ChatCompletionBody } from './body.js';

export interface WireUsage {
  promptTokens: number;
  completionTokens: number;
}

export type WireFinish = 'stop' | 'length' | 'tool_calls';

/** What one chunk or completion says, whatever the server's dialect. */
export interface WireReading {
  text: string;
  /**
   * `length` when the server ran out of tokens, `tool_calls` (or the legacy `function_call`)
   * when it says it called, any other reason a normal stop; see {@link finishReason}.
   */
  finish: WireFinish | undefined;
  /** The choice's `tool_calls` as sent (fragments when streamed), for `tool-calls.ts` to check. */
  toolCalls: unknown;
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

function reading(payload: Json, choice: Json | undefined, holder: unknown, text: string): WireReading {
  const reason = choice?.finish_reason;
  const finish = typeof reason !== 'string' || reason === '' ? undefined
    : reason === 'length' || reason === 'tool_calls' ? reason
      : reason === 'function_call' ? 'tool_calls' : 'stop';
  const toolCalls = isObject(holder) ? holder.tool_calls : undefined;
  // Some servers send `"error": null` on every chunk.
  return { text, finish, toolCalls, usage: readUsage(payload.usage), error: payload.error ?? undefined };
}

/**
 * The finish reason of a whole answer. Calls made mean `tool-calls` whatever the server
 * said, except a cut at `length`: OpenAI itself answers `stop` to a named tool_choice, and
 * vLLM did to `required` as well (vllm-project/vllm#25054). `tool_calls` with no call at
 * all (vllm-project/vllm#53255) is a plain stop: there is nothing to run.
 */
export function finishReason(raw: WireFinish | undefined, madeCalls: boolean): Exclude<FinishReason, 'abort'> {
  if (raw === 'length') return 'length';
  return madeCalls ? 'tool-calls' : 'stop';
}

/** One SSE data payload of a streamed completion. */
export function readChunk(data: string, url: string): WireReading {
  const payload = parseObject(data, url, 'a stream event');
  const choice = firstChoice(payload, url, data);
  return reading(payload, choice, choice?.delta, readContent(choice?.delta, url, data));
}

/** The whole body of a completion asked for with `stream: false`. */
export function readCompletion(body: string, url: string): WireReading {
  const payload = parseObject(body, url, 'a response');
  const choice = firstChoice(payload, url, body);
  if (payload.error == null && choice === undefined) throw protocolFailure(url, 'sent a completion without choices', body);
  return reading(payload, choice, choice?.message, readContent(choice?.message, url, body));
}

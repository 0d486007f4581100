/**
 * One streamed chat completion on a loaded engine, as text parts and one finish part.
 *
 * Abort: the stream ends at once with an `abort` finish and no text after the abort;
 * `interruptGenerate()` stops web-llm at its next decode step. The stream is then read to
 * its end in the background (up to `ABORT_GRACE_MS` of it awaited, for web-llm's exact
 * token counts), and the next request waits for that, so the interrupt cannot reach it.
 * Leaving the loop early interrupts and closes web-llm's stream the same way.
 */
import type { ChatCompletionChunk, ChatCompletionFinishReason } from '@mlc-ai/web-llm';
import type { FinishReason } from '../../types.js';
import type { BackendFinishPart, BackendPart, BackendRequest } from '../backend.js';
import { abortedFinish } from '../parts.js';
import { toEdgewiseError } from './failure.js';
import type { WebLLMEngine } from './module.js';
import { toChatRequest } from './request.js';
import type { Serial } from './serial.js';
import { now } from '../../clock.js';

export interface StreamContext {
  engine: WebLLMEngine;
  modelId: string;
  serial: Serial;
  signal: AbortSignal | undefined;
}

/** How long an aborted stream waits for web-llm's usage chunk before finishing without it. */
export const ABORT_GRACE_MS = 100;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const ABORTED = Symbol('aborted');

/** `interruptGenerate()` returns a promise on `MLCEngine` and void on the interface. */
function interrupt(engine: WebLLMEngine): void {
  try {
    const r: unknown = engine.interruptGenerate();
    if (r instanceof Promise) r.catch(() => undefined);
  } catch {
    // An engine that cannot interrupt still ends its stream at max_tokens.
  }
}

function whenAborted(signal: AbortSignal | undefined): { promise: Promise<typeof ABORTED>; dispose: () => void } {
  if (!signal) return { promise: new Promise(() => undefined), dispose: () => undefined };
  let onAbort = (): void => undefined;
  const promise = new Promise<typeof ABORTED>((resolve) => {
    onAbort = () => resolve(ABORTED);
    if (signal.aborted) resolve(ABORTED);
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}

/** What the stream has said so far: text count, first-token time, web-llm's usage and finish reason. */
class Tally {
  texts = 0;
  firstAt = 0;
  promptTokens: number | undefined;
  completionTokens: number | undefined;
  webllmReason: ChatCompletionFinishReason | null = null;

  read(chunk: ChatCompletionChunk): void {
    if (chunk.usage) {
      this.promptTokens = chunk.usage.prompt_tokens;
      this.completionTokens = chunk.usage.completion_tokens;
    }
    const reason = chunk.choices[0]?.finish_reason;
    if (reason) this.webllmReason = reason;
  }

  text(): void {
    this.texts++;
    if (this.firstAt === 0) this.firstAt = now();
  }

  finish(reason: FinishReason, startedAt: number): BackendFinishPart {
    const end = now();
    const completion = this.completionTokens ?? this.texts;
    const decodeMs = this.firstAt ? end - this.firstAt : 0;
    return {
      type: 'finish',
      reason,
      ranOn: 'webllm',
      usage: {
        promptTokens: this.promptTokens ?? 0,
        completionTokens: completion,
        timeToFirstTokenMs: this.firstAt ? this.firstAt - startedAt : 0,
        // Tokens after the first, over the time after the first: prefill is not decode speed.
        tokensPerSecond: completion > 1 && decodeMs > 0 ? ((completion - 1) * 1000) / decodeMs : 0,
        totalMs: end - startedAt,
      },
    };
  }
}

const reasonOf = (r: ChatCompletionFinishReason | null): FinishReason => (r === 'length' ? 'length' : r === 'abort' ? 'abort' : 'stop');

export async function* streamChat(req: BackendRequest, ctx: StreamContext): AsyncGenerator<BackendPart, void, undefined> {
  const { engine, signal } = ctx;
  if (signal?.aborted) {
    yield abortedFinish(req.startedAt, 'webllm');
    return;
  }
  const body = toChatRequest(req);
  const release = await ctx.serial.acquire(signal);
  if (!release) {
    yield abortedFinish(req.startedAt, 'webllm');
    return;
  }
  const tally = new Tally();
  const aborted = whenAborted(signal);
  let iterator: AsyncIterator<ChatCompletionChunk> | undefined;
  let pending: Promise<IteratorResult<ChatCompletionChunk>> | undefined;
  let settled = false;
  let windDown: Promise<void> | undefined;

  // Reads what web-llm still sends after an interrupt, for its usage chunk; repeats the
  // interrupt per chunk in case web-llm had not yet started (it clears the flag on start).
  const drain = async (first: Promise<IteratorResult<ChatCompletionChunk>>, it: AsyncIterator<ChatCompletionChunk>): Promise<void> => {
    try {
      for (let r = await first; !r.done; r = await it.next()) {
        tally.read(r.value);
        interrupt(engine);
      }
    } catch {
      // The caller already has its abort finish; a failure while winding down changes nothing for it.
    }
  };
  const endAborted = async (): Promise<BackendFinishPart> => {
    settled = true;
    interrupt(engine);
    if (iterator) {
      windDown = drain(pending ?? iterator.next(), iterator);
      await Promise.race([windDown, sleep(ABORT_GRACE_MS)]);
    }
    return tally.finish('abort', req.startedAt);
  };

  try {
    let stream: AsyncIterable<ChatCompletionChunk>;
    try {
      stream = await engine.chat.completions.create(body);
    } catch (e) {
      settled = true;
      throw toEdgewiseError(e, 'generate', ctx.modelId);
    }
    iterator = stream[Symbol.asyncIterator]();
    for (;;) {
      pending = iterator.next();
      let r: IteratorResult<ChatCompletionChunk> | typeof ABORTED;
      try {
        r = await Promise.race([pending, aborted.promise]);
      } catch (e) {
        settled = true;
        throw toEdgewiseError(e, 'generate', ctx.modelId);
      }
      if (r === ABORTED) {
        yield await endAborted();
        return;
      }
      pending = undefined;
      if (r.done) break;
      tally.read(r.value);
      const text = r.value.choices[0]?.delta.content;
      if (!text) continue;
      tally.text();
      yield { type: 'text', text };
      // The caller held the part for a while: an abort meanwhile ends the stream here.
      if (signal?.aborted) {
        yield await endAborted();
        return;
      }
    }
    settled = true;
    yield tally.finish(reasonOf(tally.webllmReason), req.startedAt);
  } finally {
    aborted.dispose();
    if (!settled && iterator) {
      // The caller left the loop: stop web-llm and close its stream (runs its cleanup, frees its lock).
      interrupt(engine);
      const it = iterator;
      windDown = pending ? drain(pending, it) : Promise.resolve(it.return?.()).then(() => undefined, () => undefined);
    }
    if (windDown) void windDown.then(release);
    else release();
  }
}

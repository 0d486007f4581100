/**
 * One streamed chat completion on a loaded engine: warnings, text or tool-call parts, and
 * one finish part.
 *
 * Tools: web-llm streams the raw call list as text and puts the parsed calls in
 * `delta.tool_calls` of its final chunk (`makeStreamFinalChunk`, web-llm 0.2.86), so with
 * tools the text is held back and the calls become `tool-call` parts (their `arguments`
 * JSON text as web-llm wrote it) with finish reason `tool-calls`. web-llm sends no call
 * id ("Not used in WebLLM"), so ids are `call_<n>`, counted on from the history's calls.
 *
 * Abort: the stream ends at once with an `abort` finish and no text after the abort;
 * `interruptGenerate()` stops web-llm at its next decode step. The stream is then read to
 * its end in the background (up to `ABORT_GRACE_MS` of it awaited, for web-llm's exact
 * token counts), and the next request waits for that, so the interrupt cannot reach it.
 * Leaving the loop early interrupts and closes web-llm's stream the same way.
 */
import type { ChatCompletionChunk, ChatCompletionFinishReason } from '@mlc-ai/web-llm';
import type { FinishReason } from '../../types.js';
import type { BackendFinishPart, BackendPart, BackendRequest, BackendToolCallPart } from '../backend.js';
import { abortedFinish } from '../parts.js';
import { toEdgewiseError } from './failure.js';
import type { WebLLMEngine } from './module.js';
import type { ChatPlan } from './request.js';
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

  /** Calls by web-llm's index, their pieces joined (web-llm sends each whole, OpenAI in pieces). */
  calls = new Map<number, { id: string | undefined; name: string; arguments: string }>();

  read(chunk: ChatCompletionChunk): void {
    if (chunk.usage) {
      this.promptTokens = chunk.usage.prompt_tokens;
      this.completionTokens = chunk.usage.completion_tokens;
    }
    const choice = chunk.choices[0];
    if (choice?.finish_reason) this.webllmReason = choice.finish_reason;
    for (const d of choice?.delta.tool_calls ?? []) {
      const call = this.calls.get(d.index) ?? { id: undefined, name: '', arguments: '' };
      call.id ??= d.id;
      call.name += d.function?.name ?? '';
      call.arguments += d.function?.arguments ?? '';
      this.calls.set(d.index, call);
    }
  }

  toolCalls(priorCalls: number): BackendToolCallPart[] {
    return [...this.calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, c]) => ({ type: 'tool-call', id: c.id ?? `call_${priorCalls + index}`, name: c.name, arguments: c.arguments }));
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

/** web-llm says `tool_calls` whenever tools were sent and it stopped, calls or none. */
function reasonOf(r: ChatCompletionFinishReason | null, calls: number): FinishReason {
  if (calls > 0) return 'tool-calls';
  return r === 'length' ? 'length' : r === 'abort' ? 'abort' : 'stop';
}

export async function* streamChat(req: BackendRequest, plan: ChatPlan, ctx: StreamContext): AsyncGenerator<BackendPart, void, undefined> {
  const { engine, signal } = ctx;
  if (signal?.aborted) {
    yield abortedFinish(req.startedAt, 'webllm');
    return;
  }
  const { body } = plan;
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
    for (const warning of plan.warnings) yield { type: 'warning', warning };
    // The caller held a warning part for a while: an abort meanwhile ends the stream here.
    if (signal?.aborted) {
      settled = true;
      yield tally.finish('abort', req.startedAt);
      return;
    }
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
      // With tools the text is the call list being written: it comes back as tool-call parts.
      if (plan.withTools) continue;
      yield { type: 'text', text };
      // The caller held the part for a while: an abort meanwhile ends the stream here.
      if (signal?.aborted) {
        yield await endAborted();
        return;
      }
    }
    settled = true;
    const calls = plan.withTools ? tally.toolCalls(plan.priorCalls) : [];
    yield* calls;
    yield tally.finish(reasonOf(tally.webllmReason, calls.length), req.startedAt);
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

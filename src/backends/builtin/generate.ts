/**
 * One request on the built-in model: a session of its own (see `prompt.ts` for why),
 * `promptStreaming()` (with a `responseConstraint` for a response format, see
 * `constraint.ts`), text parts as the chunks arrive, then exactly one finish. With tools
 * (see `tools.ts`) the answer is an envelope: it is read whole, then comes back as one
 * `tool-call` part or as text. Every read races the caller's signal, so an abort ends
 * the stream at once even when the browser is slow to error the stream; the session is
 * destroyed however it ends.
 */
import { EdgewiseError } from '../../errors.js';
import { StopMatcher } from '../onnx/text-stream.js';
import type { BackendPart, BackendRequest } from '../backend.js';
import { ChunkDeltas } from './chunks.js';
import { constraintOf } from './constraint.js';
import { fromPromptApi } from './errors.js';
import { planPrompt, unappliedSampling } from './prompt.js';
import type { LanguageModelCoreOptions, LanguageModelPromptOptions, LanguageModelSession, LanguageModelStatic } from './prompt-api.js';
import { readEnvelope, toolMode } from './tools.js';
import { CHARS_PER_TOKEN, contextWindowOf, measurePrompt, Meter } from './usage.js';

export interface BuiltinRun {
  languageModel: LanguageModelStatic;
  /** The sampling options for this request; null where the browser takes none (a page). */
  sampling: (request: BackendRequest) => Promise<LanguageModelCoreOptions | null>;
  now: () => number;
  signal: AbortSignal | undefined;
}

const ABORTED = Symbol('aborted');

function whenAborted(signal: AbortSignal): Promise<typeof ABORTED> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(ABORTED);
    else signal.addEventListener('abort', () => resolve(ABORTED), { once: true });
  });
}

/** At most `room` characters, never splitting a surrogate pair. */
function cut(text: string, room: number): string {
  const n = Math.max(0, room);
  const code = text.charCodeAt(n - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? n - 1 : n);
}

export async function* runBuiltin(request: BackendRequest, run: BuiltinRun): AsyncGenerator<BackendPart, void, undefined> {
  const { signal } = run;
  const meter = new Meter(request.startedAt, run.now);
  const aborted = (): BackendPart => meter.finish('abort', 'builtin');
  if (signal?.aborted) return yield aborted();
  const mode = toolMode(request);
  const plan = planPrompt(request, mode?.system);
  const constraint: Omit<LanguageModelPromptOptions, 'signal'> = mode
    ? mode.prompt
    : request.responseFormat ? { responseConstraint: constraintOf(request.responseFormat) } : {};
  // Our own controller stops the browser's work on an abort, at the length budget, at a
  // stop string, and when the caller leaves the loop early.
  const stop = new AbortController();
  const forward = (): void => stop.abort();
  signal?.addEventListener('abort', forward, { once: true });
  const budget = request.maxTokens * CHARS_PER_TOKEN;
  let session: LanguageModelSession | undefined;
  let reader: ReadableStreamDefaultReader<string> | undefined;
  try {
    const abortedNow = whenAborted(stop.signal);
    // Every wait on the browser races the abort: a browser slow to honour the signal
    // must not hold the caller past one step.
    const orAbort = async <T>(p: Promise<T>): Promise<T | typeof ABORTED> => {
      // The losing promise may reject later (AbortError); it must not surface as unhandled.
      p.catch(() => undefined);
      const v = await Promise.race([p, abortedNow]);
      // Both may be settled already; the abort wins, so no text follows it.
      return stop.signal.aborted ? ABORTED : v;
    };
    const sampling = await orAbort(run.sampling(request));
    if (sampling === ABORTED) return yield aborted();
    if (sampling === null) for (const warning of unappliedSampling(request)) yield { type: 'warning', warning };
    const creating = run.languageModel.create({
      ...(sampling ?? {}),
      ...(plan.initialPrompts.length > 0 ? { initialPrompts: plan.initialPrompts } : {}),
      signal: stop.signal,
    });
    const created = await orAbort(creating);
    if (created === ABORTED) {
      // A browser that ignores the signal may still deliver a session: release it then.
      creating.then((s) => s.destroy(), () => undefined);
      return yield aborted();
    }
    session = created;
    const promptTokens = await orAbort(measurePrompt(session, plan.input, { ...constraint, signal: stop.signal }));
    if (promptTokens === ABORTED) return yield aborted();
    const contextLength = contextWindowOf(session);
    if (promptTokens !== undefined && contextLength !== undefined && promptTokens > contextLength) {
      throw new EdgewiseError('context_overflow', `The prompt is ${promptTokens} tokens but the built-in model's context holds ${contextLength}; shorten the prompt or the conversation.`, { details: { promptTokens, contextLength } });
    }
    meter.promptTokens = promptTokens ?? 0;
    reader = session.promptStreaming(plan.input, { ...constraint, signal: stop.signal }).getReader();
    const deltas = new ChunkDeltas();
    if (mode) {
      // The envelope is read whole; its text is the model's output all the same, for the meter.
      let answer = '';
      for (;;) {
        const r = await orAbort(reader.read());
        if (r === ABORTED) return yield aborted();
        const delta = r.done ? deltas.end() : deltas.push(r.value);
        if (delta) meter.text(delta);
        answer += delta;
        // Cut short, the envelope cannot be read: a length finish with nothing in it.
        if (answer.length > budget) return yield meter.finish('length', 'builtin');
        if (r.done) break;
      }
      const read = readEnvelope(answer, mode, request.stop);
      yield* read.parts;
      return yield meter.finish(read.reason, 'builtin');
    }
    const stops = new StopMatcher(request.stop);
    let sent = 0;
    for (;;) {
      const r = await orAbort(reader.read());
      if (r === ABORTED) return yield aborted();
      const pushed = stops.push(r.done ? deltas.end() : deltas.push(r.value));
      const { emit, stopped } = r.done && !pushed.stopped ? { emit: pushed.emit + stops.flush(), stopped: false } : pushed;
      const text = sent + emit.length > budget ? cut(emit, budget - sent) : emit;
      if (text) {
        sent += text.length;
        meter.text(text);
        yield { type: 'text', text };
      }
      if (text.length < emit.length) return yield meter.finish('length', 'builtin');
      if (stopped || r.done) return yield meter.finish('stop', 'builtin');
    }
  } catch (e) {
    if (signal?.aborted) return yield aborted();
    throw fromPromptApi(e, 'generate', constraint.responseConstraint !== undefined);
  } finally {
    signal?.removeEventListener('abort', forward);
    stop.abort();
    reader?.cancel().catch(() => undefined);
    try {
      session?.destroy();
    } catch { /* already destroyed: nothing left to release */ }
  }
}

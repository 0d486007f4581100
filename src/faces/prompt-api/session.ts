/**
 * A Prompt API session (index.bs "The LanguageModel class") over an engine: it keeps the
 * conversation, runs one operation at a time (prompts queue, as the explainer's "Aborting
 * a specific prompt" describes), and adds an answer to the history only once it is whole.
 */
import type { ChatMessage, Engine } from '../../index.js';
import { anySignal, raceAbort } from './abort.js';
import { toConstraint, type Constraint } from './constraint.js';
import { copyHistory, fit, flatten, measure, type History } from './context.js';
import { abortReason, destroyedError, domError, toDomError } from './errors.js';
import { canonicalize } from './messages.js';
import { toEngineSampling, toolDefinitions, type Sampling } from './options.js';
import { runTurn } from './turn.js';
import type { LanguageModelAppendOptions, LanguageModelCloneOptions, LanguageModelFaceOptions, LanguageModelPrompt, LanguageModelPromptOptions, LanguageModelSamplingMode, LanguageModelTool } from './types.js';

/** Only the bound class's create() and clone() make sessions (`new LanguageModel()` is an illegal constructor, as in Chrome). */
export const CONSTRUCT = Symbol('edgewise.prompt-api.construct');

export interface SessionState {
  engine: Engine;
  face: LanguageModelFaceOptions;
  history: History;
  sampling: Sampling;
  tools: readonly LanguageModelTool[];
  window: number;
  usage: number;
  /** create()'s signal: aborting it later destroys the session. */
  signal?: AbortSignal;
}

const DEFAULT_MAX_TOKENS = 256;

/** The constraint described in the input (index.bs: "implementations may insert" a message), on the last user message. */
function withConstraintText(input: ChatMessage[], c: Constraint | undefined, omit: boolean): ChatMessage[] {
  if (!c || omit) return input;
  const i = input.map((m) => m.role).lastIndexOf('user');
  if (i < 0) return [...input, { role: 'user', content: c.description }];
  return input.map((m, j) => (j === i ? { role: 'user', content: `${m.content}\n\n${c.description}` } : m));
}

export class LanguageModelSession extends EventTarget {
  #s: SessionState;
  #destroy = new AbortController();
  #destroyed = false;
  #queue: Promise<unknown> = Promise.resolve();
  #handlers: Record<'contextoverflow' | 'quotaoverflow', ((e: Event) => void) | null> = { contextoverflow: null, quotaoverflow: null };

  /** @hidden Sessions come from `LanguageModel.create()` or `session.clone()`; `new` throws, as in Chrome. */
  constructor(token: typeof CONSTRUCT, state: SessionState) {
    super();
    if (token !== CONSTRUCT) throw new TypeError('Illegal constructor: use LanguageModel.create().');
    this.#s = state;
    const sig = state.signal;
    sig?.addEventListener('abort', () => this.#end(abortReason(sig)), { once: true });
  }

  /** Tokens the conversation takes (initial prompts, turns, tools). */
  get contextUsage(): number { return this.#s.usage; }
  /** Tokens the model's context holds; Infinity for an engine without a local model (the remote's window is not known). */
  get contextWindow(): number { return this.#s.window; }
  /** Deprecated names (explainer, "Renamed Features"). */
  get inputUsage(): number { return this.#s.usage; }
  get inputQuota(): number { return this.#s.window; }
  get topK(): number { return this.#s.sampling.topK; }
  get temperature(): number { return this.#s.sampling.temperature; }
  get samplingMode(): LanguageModelSamplingMode | null { return this.#s.sampling.mode; }

  get oncontextoverflow(): ((e: Event) => void) | null { return this.#handlers.contextoverflow; }
  set oncontextoverflow(h: ((e: Event) => void) | null) { this.#setHandler('contextoverflow', h); }
  get onquotaoverflow(): ((e: Event) => void) | null { return this.#handlers.quotaoverflow; }
  set onquotaoverflow(h: ((e: Event) => void) | null) { this.#setHandler('quotaoverflow', h); }

  /**
   * The answer to `input`, which joins the conversation with it once complete.
   * @example const reply = await session.prompt('Name a colour.', { signal: AbortSignal.timeout(10_000) });
   */
  prompt(input: LanguageModelPrompt, options: LanguageModelPromptOptions = {}): Promise<string> {
    return this.#respond(input, options);
  }

  /**
   * The answer as a ReadableStream of text deltas; cancelling the stream aborts the prompt.
   * @example for await (const chunk of session.promptStreaming('Tell a story.')) out.textContent += chunk;
   */
  promptStreaming(input: LanguageModelPrompt, options: LanguageModelPromptOptions = {}): ReadableStream<string> {
    const cancel = new AbortController();
    const signal = anySignal([options.signal, cancel.signal]);
    // After a cancel the controller is closed, and enqueue/close/error would throw.
    const safely = (f: () => void): void => { try { f(); } catch { /* the reader is gone */ } };
    return new ReadableStream<string>({
      start: (controller) => {
        this.#respond(input, { ...options, signal }, (t) => safely(() => controller.enqueue(t))).then(
          () => safely(() => controller.close()),
          (e: unknown) => safely(() => controller.error(e)),
        );
      },
      cancel: (reason) => cancel.abort(reason),
    });
  }

  /** Adds messages to the conversation without an answer (explainer, "Appending messages without prompting"). */
  append(input: LanguageModelPrompt, options: LanguageModelAppendOptions = {}): Promise<undefined> {
    return this.#run(options.signal, () => canonicalize(input, this.#hasInput()), async (messages, signal) => {
      const s = this.#s;
      const defs = toolDefinitions(s.tools);
      await this.#evict(await fit(s.engine, s.history, messages, s.window, 0, defs), signal);
      s.history.turns.push(messages);
      s.usage = await measure(s.engine, flatten(s.history), defs);
      return undefined;
    });
  }

  /** Tokens `input` would take, the described constraint included (index.bs "measureContextUsage"). */
  measureContextUsage(input: LanguageModelPrompt, options: LanguageModelPromptOptions = {}): Promise<number> {
    if (this.#destroyed) return Promise.reject(destroyedError());
    if (options.signal?.aborted) return Promise.reject(abortReason(options.signal));
    return raceAbort((async () => {
      const c = toConstraint(options);
      const messages = withConstraintText(canonicalize(input, false), c, options.omitResponseConstraintInput === true);
      return measure(this.#s.engine, messages, []);
    })().catch((e: unknown) => { throw toDomError(e, options.signal); }), anySignal([this.#destroy.signal, options.signal]));
  }

  /** The older name of measureContextUsage(). */
  measureInputUsage(input: LanguageModelPrompt, options: LanguageModelPromptOptions = {}): Promise<number> {
    return this.measureContextUsage(input, options);
  }

  /** An independent session with this one's history and settings (index.bs "clone a language model"). */
  async clone(options: LanguageModelCloneOptions = {}): Promise<this> {
    if (this.#destroyed) throw destroyedError();
    const signal = anySignal([this.#destroy.signal, options.signal]);
    if (signal.aborted) throw abortReason(signal);
    // The spec copies in a queued task; an abort before it runs wins.
    await new Promise((r) => setTimeout(r, 0));
    if (signal.aborted) throw abortReason(signal);
    const s = this.#s;
    const Ctor = this.constructor as new (token: typeof CONSTRUCT, state: SessionState) => this;
    return new Ctor(CONSTRUCT, { engine: s.engine, face: s.face, history: copyHistory(s.history), sampling: s.sampling, tools: s.tools, window: s.window, usage: s.usage });
  }

  /** Aborts what is in flight (AbortError) and makes every later call reject with InvalidStateError. */
  destroy(): void {
    this.#end(domError('AbortError', 'The session was destroyed.'));
  }

  #end(reason: unknown): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#destroy.abort(reason);
  }

  #setHandler(type: 'contextoverflow' | 'quotaoverflow', h: ((e: Event) => void) | null): void {
    const old = this.#handlers[type];
    if (old) this.removeEventListener(type, old);
    this.#handlers[type] = typeof h === 'function' ? h : null;
    if (this.#handlers[type]) this.addEventListener(type, h as (e: Event) => void);
  }

  #hasInput(): boolean {
    return this.#s.history.initial.length > 0 || this.#s.history.turns.length > 0;
  }

  /** Overflowed turns are gone for good, even if the operation is then aborted (explainer). */
  async #evict(f: { drop: number }, signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw abortReason(signal);
    if (f.drop === 0) return;
    const s = this.#s;
    s.history.turns.splice(0, f.drop);
    s.usage = await measure(s.engine, flatten(s.history), toolDefinitions(s.tools));
    this.dispatchEvent(new Event('contextoverflow'));
    this.dispatchEvent(new Event('quotaoverflow'));
  }

  #respond(input: LanguageModelPrompt, options: LanguageModelPromptOptions, onText?: (t: string) => void): Promise<string> {
    const prepare = (): { messages: ChatMessage[]; c: Constraint | undefined } => ({ c: toConstraint(options), messages: canonicalize(input, this.#hasInput()) });
    return this.#run(options.signal, prepare, async ({ messages, c }, signal) => {
      const s = this.#s;
      const defs = toolDefinitions(s.tools);
      const sent = withConstraintText(messages, c, options.omitResponseConstraintInput === true);
      const cap = s.face.maxTokens ?? DEFAULT_MAX_TOKENS;
      // A constrained answer needs room to close its JSON: old turns go for up to half the window.
      const f = await fit(s.engine, s.history, sent, s.window, 1, defs, c ? Math.min(cap, Math.floor(s.window / 2)) : 1);
      await this.#evict(f, signal);
      const maxTokens = Math.min(cap, s.window - f.tokens);
      const turn = await runTurn({
        engine: s.engine, messages: [...flatten(s.history), ...sent], tools: s.tools, sampling: toEngineSampling(s.sampling), signal, maxTokens,
        ...(c ? { responseFormat: c.format } : {}), ...(onText ? { onText } : {}),
      });
      if (signal.aborted) throw abortReason(signal);
      s.history.turns.push([...messages, ...turn.added]);
      s.usage = await measure(s.engine, flatten(s.history), defs);
      return turn.text;
    });
  }

  /**
   * The common steps of every operation: InvalidStateError once destroyed, the signal's
   * reason when aborted (at once, even while queued), input checks as rejections, one
   * operation at a time, engine errors as the spec's exceptions.
   */
  #run<P, T>(userSignal: AbortSignal | undefined, prepare: () => P, op: (p: P, signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.#destroyed) return Promise.reject(destroyedError());
    if (userSignal?.aborted) return Promise.reject(abortReason(userSignal));
    let prepared: P;
    try {
      prepared = prepare();
    } catch (e) {
      return Promise.reject(e);
    }
    const signal = anySignal([this.#destroy.signal, userSignal]);
    const run = this.#queue.then(() => {
      if (signal.aborted) throw abortReason(signal);
      return op(prepared, signal);
    });
    this.#queue = run.catch(() => undefined);
    return raceAbort(run, signal).catch((e: unknown) => { throw toDomError(e, signal); });
  }
}

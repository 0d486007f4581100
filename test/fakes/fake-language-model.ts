/**
 * A recording fake of the Prompt API (`LanguageModel` statics and sessions) for Node:
 * scriptable availability, `downloadprogress` events during a create() that downloads,
 * chunk streams (deltas, or the whole answer so far as early Chrome sent), DOMException
 * failures where the script says, aborts through the signal, and a record of every call,
 * prompt options included (`responseConstraint`, `omitResponseConstraintInput`).
 * Shapes follow https://webmachinelearning.github.io/prompt-api/; tokens are counted as
 * one per four characters. A response constraint is checked as the explainer says (a
 * `TypeError` for one that is neither a RegExp nor an object, or for
 * `omitResponseConstraintInput` alone; a `NotSupportedError` for a schema that cannot be
 * stringified) and, unless omitted, counts into the measured input as its JSON text;
 * the answer is whatever the script says (`chunks`, or `respond` to compute it).
 */
import type {
  Availability, CreateMonitorLike, DownloadProgressEventLike, LanguageModelCreateOptions, LanguageModelMessage,
  LanguageModelParams, LanguageModelPromptOptions, LanguageModelSession, LanguageModelStatic,
} from '../../src/backends/builtin/prompt-api.js';

/** What a prompt was asked with, signal left out. */
export type FakePromptOptions = Omit<LanguageModelPromptOptions, 'signal'>;

export interface FakeLanguageModelScript {
  /** What availability() answers; a create() that downloads moves it to 'downloading', then 'available'. Default 'available'. */
  availability?: Availability;
  /** Fractions sent as `downloadprogress` while a create() downloads. Default [0, 0.25, 0.5, 0.75, 1]. */
  downloadSteps?: readonly number[];
  /** Delay before each download step. Default 1 ms. */
  downloadStepMs?: number;
  /** Send progress as bytes (`loaded` of `total`) as early Chrome did, with this total. */
  downloadBytes?: number;
  /** Delay of a create() that does not download. Default 0. */
  createMs?: number;
  /** create() rejects with this (e.g. a NotAllowedError DOMException). */
  createError?: unknown;
  /** The answer's chunks, as deltas. Default ['Hello', ', ', 'world', '!']. */
  chunks?: readonly string[];
  /** Computes the answer's chunks from the prompt instead (wins over `chunks`). */
  respond?: (input: string, options: FakePromptOptions) => readonly string[];
  /** 'cumulative' sends the whole answer so far in each chunk. Default 'delta'. */
  chunkMode?: 'delta' | 'cumulative';
  /** Delay before each chunk. Default 1 ms. */
  stepMs?: number;
  /** The stream errors with `error` after this many chunks. */
  promptError?: { afterChunks: number; error: unknown };
  /** Tokens a session holds. Default 1024. */
  contextWindow?: number;
  /** Which usage names sessions have: the current ones, the older `input*` ones, or none. Default 'context'. */
  usageNames?: 'context' | 'input' | 'none';
  /** When set, `LanguageModel.params()` exists (extension contexts) and answers this. */
  params?: LanguageModelParams;
  /** Ignore abort signals (a slow browser): the backend must still end promptly. */
  ignoreSignals?: boolean;
}

export type FakeCall =
  | { method: 'availability' }
  | { method: 'params' }
  | { method: 'create'; options: LanguageModelCreateOptions }
  | { method: 'promptStreaming'; input: string; session: number; options: FakePromptOptions }
  | { method: 'measure'; input: string; session: number; options: FakePromptOptions }
  | { method: 'destroy'; session: number };

export interface FakeSession extends LanguageModelSession {
  readonly id: number;
  readonly options: LanguageModelCreateOptions;
  readonly destroyed: boolean;
}

export interface FakeLanguageModel {
  readonly LanguageModel: LanguageModelStatic;
  script: FakeLanguageModelScript;
  readonly calls: FakeCall[];
  readonly sessions: FakeSession[];
  /** Sessions created and not destroyed. */
  live(): FakeSession[];
  /** Calls of one method. */
  callsOf<M extends FakeCall['method']>(method: M): Extract<FakeCall, { method: M }>[];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A JSON answer cut into `pieces` delta chunks. */
export function jsonChunks(value: unknown, pieces = 3): string[] {
  const text = JSON.stringify(value);
  const size = Math.ceil(text.length / pieces);
  return Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));
}

function promptOptions(o: LanguageModelPromptOptions | undefined): FakePromptOptions {
  const out: FakePromptOptions = {};
  if (o?.responseConstraint !== undefined) out.responseConstraint = o.responseConstraint;
  if (o?.omitResponseConstraintInput !== undefined) out.omitResponseConstraintInput = o.omitResponseConstraintInput;
  return out;
}

/** The explainer's checks of a response constraint; its input cost in tokens (0 when omitted or absent). */
function constraintTokens(o: FakePromptOptions): number {
  const c = o.responseConstraint;
  if (c === undefined) {
    if (o.omitResponseConstraintInput) throw new TypeError('omitResponseConstraintInput needs a responseConstraint.');
    return 0;
  }
  if (!(c instanceof RegExp) && (typeof c !== 'object' || c === null)) throw new TypeError('responseConstraint must be a RegExp or a JSON schema object.');
  let text: string;
  try {
    text = c instanceof RegExp ? c.source : JSON.stringify(c);
  } catch {
    throw new DOMException('Response json schema is invalid - it should be an object that can be stringified into a JSON string.', 'NotSupportedError');
  }
  return o.omitResponseConstraintInput ? 0 : tokens(text);
}
const tokens = (text: string): number => Math.ceil(text.length / 4);
const abortReason = (signal: AbortSignal): unknown => signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');

/** Rejects as soon as the signal fires, as the browser does. */
function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => { signal.removeEventListener('abort', onAbort); resolve(v); },
      (e: unknown) => { signal.removeEventListener('abort', onAbort); reject(e); },
    );
  });
}

export function createFakeLanguageModel(initial: FakeLanguageModelScript = {}): FakeLanguageModel {
  const calls: FakeCall[] = [];
  const sessions: FakeSession[] = [];
  let script = initial;
  const s = (): FakeLanguageModelScript => script;

  async function download(monitor: LanguageModelCreateOptions['monitor'], signal: AbortSignal | undefined): Promise<void> {
    const listeners: ((e: DownloadProgressEventLike) => void)[] = [];
    const m: CreateMonitorLike = { addEventListener: (_type, l) => { listeners.push(l); } };
    monitor?.(m);
    script = { ...s(), availability: 'downloading' };
    for (const f of s().downloadSteps ?? [0, 0.25, 0.5, 0.75, 1]) {
      await sleep(s().downloadStepMs ?? 1);
      // An aborted download stops where it is; the next create() starts it again.
      if (signal?.aborted) {
        script = { ...s(), availability: 'downloadable' };
        throw abortReason(signal);
      }
      const bytes = s().downloadBytes;
      const e = bytes === undefined ? { loaded: f, total: 1 } : { loaded: Math.round(f * bytes), total: bytes };
      for (const l of listeners) l(e);
    }
    script = { ...s(), availability: 'available' };
  }

  function session(options: LanguageModelCreateOptions): FakeSession {
    const id = sessions.length;
    const quota = s().contextWindow ?? 1024;
    const used = (options.initialPrompts ?? []).reduce((n, p: LanguageModelMessage) => n + tokens(p.content), 0);
    let destroyed = false;
    const names = s().usageNames ?? 'context';
    const measure = async (input: string, o?: LanguageModelPromptOptions): Promise<number> => {
      const options = promptOptions(o);
      calls.push({ method: 'measure', input, session: id, options });
      if (o?.signal?.aborted) throw abortReason(o.signal);
      return tokens(input) + constraintTokens(options);
    };
    const self: FakeSession = {
      id,
      options,
      get destroyed() { return destroyed; },
      ...(names === 'context' ? { contextUsage: used, contextWindow: quota, measureContextUsage: measure } : {}),
      ...(names === 'input' ? { inputUsage: used, inputQuota: quota, measureInputUsage: measure } : {}),
      destroy() {
        calls.push({ method: 'destroy', session: id });
        destroyed = true;
      },
      promptStreaming(input: string, o: LanguageModelPromptOptions = {}): ReadableStream<string> {
        const options = promptOptions(o);
        calls.push({ method: 'promptStreaming', input, session: id, options });
        if (destroyed) throw new DOMException('The session was destroyed.', 'InvalidStateError');
        const sc = s();
        let checked: unknown;
        let constraint = 0;
        try {
          constraint = constraintTokens(options);
        } catch (e) {
          checked = e;
        }
        const signal = sc.ignoreSignals ? undefined : o.signal;
        let cancelled = false;
        return new ReadableStream<string>({
          async start(controller) {
            const fail = (e: unknown): void => { if (!cancelled) { cancelled = true; controller.error(e); } };
            signal?.addEventListener('abort', () => fail(abortReason(signal)), { once: true });
            if (signal?.aborted) return fail(abortReason(signal));
            if (checked !== undefined) return fail(checked);
            if (used + tokens(input) + constraint > quota) return fail(new DOMException('The input is too large.', 'QuotaExceededError'));
            let sofar = '';
            const chunks = sc.respond?.(input, options) ?? sc.chunks ?? ['Hello', ', ', 'world', '!'];
            for (const [i, chunk] of chunks.entries()) {
              await sleep(sc.stepMs ?? 1);
              if (cancelled || destroyed) return;
              if (sc.promptError && i === sc.promptError.afterChunks) return fail(sc.promptError.error);
              sofar += chunk;
              controller.enqueue(sc.chunkMode === 'cumulative' ? sofar : chunk);
            }
            if (!cancelled) controller.close();
          },
          cancel() { cancelled = true; },
        });
      },
    };
    sessions.push(self);
    return self;
  }

  const statics: LanguageModelStatic = {
    async availability() {
      calls.push({ method: 'availability' });
      return s().availability ?? 'available';
    },
    async create(options: LanguageModelCreateOptions = {}) {
      calls.push({ method: 'create', options });
      const now = s();
      const signal = now.ignoreSignals ? undefined : options.signal;
      const work = (async (): Promise<FakeSession> => {
        if (now.createError !== undefined) throw now.createError;
        const a = now.availability ?? 'available';
        if (a === 'unavailable') throw new DOMException('The model is not available.', 'NotSupportedError');
        if (a === 'available') await sleep(now.createMs ?? 0);
        else await download(options.monitor, signal);
        if (signal?.aborted) throw abortReason(signal);
        const used = (options.initialPrompts ?? []).reduce((n, p) => n + tokens(p.content), 0);
        if (used > (now.contextWindow ?? 1024)) throw new DOMException('The initial prompts are too large.', 'QuotaExceededError');
        return session(options);
      })();
      return abortable(work, signal);
    },
  };
  if (initial.params) {
    const params = initial.params;
    statics.params = async () => {
      calls.push({ method: 'params' });
      return params;
    };
  }
  return {
    LanguageModel: statics,
    get script() { return script; },
    set script(next) { script = next; },
    calls,
    sessions,
    live: () => sessions.filter((x) => !x.destroyed),
    callsOf: <M extends FakeCall['method']>(method: M) => calls.filter((c): c is Extract<FakeCall, { method: M }> => c.method === method),
  };
}

/**
 * The part of the Prompt API (https://webmachinelearning.github.io/prompt-api/) this
 * backend uses, as narrow structural types: TypeScript's DOM lib does not ship them
 * yet, and a recording fake can stand in for the browser in Node. Only what we call is
 * here; anything newer than the oldest shape we accept is optional.
 */

/** What `LanguageModel.availability()` answers. */
export type Availability = 'unavailable' | 'downloadable' | 'downloading' | 'available';

export interface LanguageModelMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/**
 * A `downloadprogress` event. Current Chrome sends `loaded` as a fraction 0..1 with
 * `total` 1 (the spec hides the model's size, a fingerprinting vector); early builds
 * sent bytes, so `total` is read too.
 */
export interface DownloadProgressEventLike {
  loaded: number;
  total?: number;
}

/** The `CreateMonitor` handed to `create({ monitor })`, an EventTarget in the browser. */
export interface CreateMonitorLike {
  addEventListener(type: 'downloadprogress', listener: (event: DownloadProgressEventLike) => void): void;
}

/** Sampling options; since Chrome 138 honoured only in extension contexts (pages get the browser's defaults). */
export interface LanguageModelCoreOptions {
  temperature?: number;
  topK?: number;
}

export interface LanguageModelCreateOptions extends LanguageModelCoreOptions {
  signal?: AbortSignal;
  monitor?: (monitor: CreateMonitorLike) => void;
  /** A `system` message may only come first. */
  initialPrompts?: LanguageModelMessage[];
}

/**
 * `responseConstraint`: a JSON Schema object or a `RegExp` the answer must match (Chrome
 * 137+; "If a value that is neither a `RegExp` object or a valid JSON schema object is
 * given, the method will error with a `TypeError`", explainer #128). The browser may put
 * the constraint into the model's input, using context; `omitResponseConstraintInput`
 * leaves it out (then the prompt itself should describe the expected answer).
 */
export type LanguageModelResponseConstraint = { readonly [keyword: string]: unknown } | RegExp;

export interface LanguageModelPromptOptions {
  signal?: AbortSignal;
  responseConstraint?: LanguageModelResponseConstraint;
  omitResponseConstraintInput?: boolean;
}

export interface LanguageModelSession {
  /** Chunks of the answer: deltas in current Chrome, the whole answer so far in early builds. */
  promptStreaming(input: string, options?: LanguageModelPromptOptions): ReadableStream<string>;
  /** Tokens the input would take. The current name; `measureInputUsage` is the older one. */
  measureContextUsage?(input: string, options?: LanguageModelPromptOptions): Promise<number>;
  measureInputUsage?(input: string, options?: LanguageModelPromptOptions): Promise<number>;
  /** Tokens used so far (the initial prompts, after create). Older name: `inputUsage`. */
  readonly contextUsage?: number;
  readonly inputUsage?: number;
  /** Tokens the session holds. Older name: `inputQuota`. */
  readonly contextWindow?: number;
  readonly inputQuota?: number;
  destroy(): void;
}

/** `LanguageModel.params()`: present only in extension contexts. */
export interface LanguageModelParams {
  defaultTopK: number;
  maxTopK: number;
  defaultTemperature: number;
  maxTemperature: number;
}

/** The `LanguageModel` interface's statics, as far as this backend uses them. */
export interface LanguageModelStatic {
  availability(options?: LanguageModelCoreOptions): Promise<Availability>;
  create(options?: LanguageModelCreateOptions): Promise<LanguageModelSession>;
  params?(): Promise<LanguageModelParams | null>;
}

function isLanguageModelStatic(v: unknown): v is LanguageModelStatic {
  if ((typeof v !== 'function' && typeof v !== 'object') || v === null) return false;
  const lm = v as Partial<Record<'availability' | 'create', unknown>>;
  return typeof lm.availability === 'function' && typeof lm.create === 'function';
}

/**
 * The page's `LanguageModel`, or undefined where there is none: other browsers, Chrome
 * without the feature, and workers (the Prompt API is exposed to windows only).
 * @example
 * if (findLanguageModel()) console.log('this browser has a built-in model (maybe still to download)');
 */
export function findLanguageModel(scope: typeof globalThis = globalThis): LanguageModelStatic | undefined {
  const lm = (scope as { LanguageModel?: unknown }).LanguageModel;
  return isLanguageModelStatic(lm) ? lm : undefined;
}

const AVAILABILITIES: readonly string[] = ['unavailable', 'downloadable', 'downloading', 'available'] satisfies Availability[];

/**
 * `availability()`, never rejecting: a browser that throws (a detached iframe) or
 * answers outside the four values counts as `'unavailable'`.
 */
export function askAvailability(lm: LanguageModelStatic): Promise<Availability> {
  return Promise.resolve()
    .then(() => lm.availability())
    .then((a) => (AVAILABILITIES.includes(a) ? a : 'unavailable'), (): Availability => 'unavailable');
}

/**
 * The Prompt API's vocabulary as pages see it (webmachinelearning/prompt-api, index.bs
 * "The API" IDL, and the explainer README.md). Types only. TypeScript's DOM lib does not
 * ship these yet; `src/backends/builtin/prompt-api.ts` has the narrower consumer side.
 */

/** `'downloading'`: a load this face started is in flight. */
export type Availability = 'unavailable' | 'downloadable' | 'downloading' | 'available';

export type LanguageModelMessageRole = 'system' | 'user' | 'assistant';
export type LanguageModelMessageType = 'text' | 'image' | 'audio' | 'tool-call' | 'tool-response';

export interface LanguageModelMessageContent {
  type: LanguageModelMessageType;
  value: unknown;
}

export interface LanguageModelMessage {
  role: LanguageModelMessageRole;
  /** A string is shorthand for `[{ type: 'text', value }]`. */
  content: string | readonly LanguageModelMessageContent[];
  /** Assistant prefill (explainer, "Constraining responses by providing a prefix"). */
  prefix?: boolean;
}

/** A string is shorthand for one user message. */
export type LanguageModelPrompt = string | readonly LanguageModelMessage[];

export interface LanguageModelExpected {
  type: LanguageModelMessageType;
  /** BCP 47 tags. */
  languages?: readonly string[];
}

/** A tool the session runs itself (the spec's closed loop): `execute` gets the call's arguments. */
export interface LanguageModelTool {
  name: string;
  description: string;
  /** A JSON Schema of an object. */
  inputSchema: { readonly [keyword: string]: unknown };
  execute: (args: Record<string, unknown>) => Promise<string> | string;
}

/** The explainer's presets ("Configuration of sampling modes"); the IDL lists five of them. */
export type LanguageModelSamplingMode =
  | 'most-predictable' | 'predictable' | 'slightly-predictable' | 'balanced' | 'slightly-creative' | 'creative' | 'most-creative';

export interface LanguageModelCreateCoreOptions {
  /** Legacy raw parameters (explainer, "Legacy: Configuration of per-session raw parameters"). */
  topK?: number;
  temperature?: number;
  samplingMode?: LanguageModelSamplingMode;
  expectedInputs?: readonly LanguageModelExpected[];
  expectedOutputs?: readonly LanguageModelExpected[];
  tools?: readonly LanguageModelTool[];
}

/** The monitor handed to `create({ monitor })`: fires `downloadprogress` ProgressEvents. */
export interface CreateMonitor extends EventTarget {
  ondownloadprogress: ((event: ProgressEvent) => void) | null;
}

export interface LanguageModelCreateOptions extends LanguageModelCreateCoreOptions {
  signal?: AbortSignal;
  monitor?: (monitor: CreateMonitor) => void;
  initialPrompts?: readonly LanguageModelMessage[];
}

/** A JSON Schema object or a RegExp. */
export type LanguageModelResponseConstraint = { readonly [keyword: string]: unknown } | RegExp;

export interface LanguageModelPromptOptions {
  responseConstraint?: LanguageModelResponseConstraint;
  /** Default false: the constraint is described in the model's input, as Chrome does. */
  omitResponseConstraintInput?: boolean;
  signal?: AbortSignal;
}

export interface LanguageModelAppendOptions { signal?: AbortSignal }
export interface LanguageModelCloneOptions { signal?: AbortSignal }

export interface LanguageModelParams {
  defaultTopK: number;
  maxTopK: number;
  defaultTemperature: number;
  maxTemperature: number;
}

/** What a face adds to the Prompt API, per bound class. */
export interface LanguageModelFaceOptions {
  /**
   * Languages the engine's model serves (BCP 47; a tag matches on its language subtag, so
   * `en-GB` matches `en`). `expectedInputs`/`expectedOutputs` naming others are
   * `'unavailable'`. Default `['en']`: the catalog's small models are English models.
   */
  languages?: readonly string[];
  /** Most tokens one answer may take; default 256, and never more than the context has left. */
  maxTokens?: number;
}

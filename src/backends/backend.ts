/**
 * The one contract between the engine and every backend: the ONNX and web-llm backends
 * in the worker (and their page-side proxies), the built-in model and the remote endpoint
 * on the page, and any backend an app hands in (`{ engine: 'custom', backend }`).
 * Public and versioned in its name, as `@ai-sdk/provider` versions `LanguageModelV4`: a
 * backend written against another version is refused at `createEngine`, not half-run.
 * It imports nothing from `worker/`; the worker's protocol builds on it, never the reverse.
 */
import type { Capabilities } from '../capabilities.js';
import type { EdgewiseError, EdgewiseErrorCode } from '../errors.js';
import type {
  BackendMetadata, ChatMessage, Cost, FinishPart, FinishReason, ModelInfo, Pooling, Progress, RanOn, Redactions, ResponseFormat,
  ResponseFormatType, SamplingSetting, SkippedBackend, ToolChoice, ToolDefinition, Usage, WarningPart,
} from '../types.js';

/** The version this file describes; `BackendV3.specificationVersion` must say it. */
export const BACKEND_SPECIFICATION = 'v3';

/** A validated generate request, defaults applied, signal kept apart. */
export interface BackendRequest {
  prompt?: string;
  messages?: readonly ChatMessage[];
  maxTokens: number;
  temperature: number;
  topK: number;
  topP: number;
  repetitionPenalty: number;
  seed: number;
  stop: readonly string[];
  includeTokenIds: boolean;
  /** `performance.timeOrigin + performance.now()` when the caller asked, for time to first token. */
  startedAt: number;
  /** Only on a backend whose `capabilities.responseFormats` lists its type (the router sees to it). */
  responseFormat?: ResponseFormat;
  /** Only on a backend with `capabilities.tools` (the router sees to it). */
  tools?: readonly ToolDefinition[];
  /** Set whenever `tools` is. */
  toolChoice?: ToolChoice;
}

export interface BackendTextPart {
  type: 'text';
  text: string;
}

/** A tool call as the model wrote it: the engine parses `arguments` and validates them against the tool. */
export interface BackendToolCallPart {
  type: 'tool-call';
  id: string;
  name: string;
  /** JSON text. */
  arguments: string;
}

/** The engine adds `route`; a backend says what it alone knows. */
export interface BackendFinishPart {
  type: 'finish';
  reason: FinishReason;
  usage: Usage;
  ranOn: RanOn;
  cost?: Cost;
  tokenIds?: number[];
  /** Facts of this kind of backend only (see `BackendMetadata`). */
  metadata?: BackendMetadata;
  /** Set by a backend that moved to another device mid-request (a lost GPU before the first token). */
  fallback?: { from: RanOn; code: EdgewiseErrorCode; message: string };
  /** Set by the redaction middleware: what was replaced before the request left the page. */
  redactions?: Redactions;
  /** Set by the redaction middleware: where originals were put back into the text parts. */
  restored?: NonNullable<FinishPart['restored']>;
}

/** Text and tool calls, warnings before them, then exactly one finish. */
export type BackendPart = BackendTextPart | BackendToolCallPart | WarningPart | BackendFinishPart;

/** Why a backend cannot take requests on this device now; the router turns these into route reasons. */
export type UnsupportedCode =
  | 'not_configured' | 'load_failed' | 'context_overflow' | 'memory' | 'storage' | 'offline'
  /** The device lacks what the engine needs (WebGPU, shader-f16). */
  | 'unsupported_device'
  /** The browser's built-in model is unavailable here. */
  | 'unavailable'
  /** The browser is still downloading its built-in model. */
  | 'downloading';

export type Support = { ok: true } | { ok: false; code: UnsupportedCode; detail: string };

export interface BackendLoadOptions {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

export interface GenerateOptions {
  signal?: AbortSignal;
  /** `false`: the caller wants the whole answer (a remote may then ask for one JSON completion). Default true. */
  stream?: boolean;
}

export type { Pooling } from '../types.js';

/** A validated embedding request, defaults applied, signal kept apart. */
export interface EmbedRequest {
  texts: readonly string[];
  /** Texts per forward pass. */
  batchSize: number;
  /** L2-normalize each vector. */
  normalize: boolean;
  /** Undefined: the model's pooled output when it has one, else `mean`. */
  pooling?: Pooling;
}

export interface EmbedResult {
  /** One vector per text, in input order. */
  vectors: Float32Array[];
  /** Indexes of the texts cut at the model's maximum length (never silent). */
  truncated: number[];
  promptTokens: number;
  ranOn: RanOn;
  /** Which model made the vectors (`Embeddings.model`); the engine uses the backend's kind when it is absent. */
  model?: string;
  cost?: Cost;
  /** Set by the redaction middleware. */
  redactions?: Redactions;
}

export interface EmbedOptions {
  signal?: AbortSignal;
  /** Called after each batch with the number of texts done so far. */
  onBatch?: (done: number) => void;
}

/** What a backend can do, declared up front so the router can pass it over without asking. */
export interface BackendCapabilities {
  /** Settings it honours; one a request sets that is not listed comes back as a warning. */
  readonly sampling: readonly SamplingSetting[];
  /** Formats it enforces; a request with another skips it (route reason `unsupported_request`). */
  readonly responseFormats: readonly ResponseFormatType[];
  /** Whether it takes `tools`; a request with tools skips a backend without. */
  readonly tools: boolean;
}

/** What the engine may know of a backend without asking it anything: synchronous and cheap. */
export interface BackendState {
  /** Where it runs: the best guess before load (the device asked for), the fact after. */
  readonly ranOn: RanOn;
  readonly loaded: boolean;
  /** The error of the last failed load, kept until a load succeeds. */
  readonly loadError?: EdgewiseError | undefined;
  /** What the loaded model is. */
  readonly info?: ModelInfo | undefined;
  /** Tokens the context holds, when known (before load: a catalog row's). */
  readonly contextLength?: number | undefined;
  /** Approximate bytes of the weights, so routing can judge memory and storage before a download. */
  readonly weightBytes?: number | undefined;
  /** Devices it gave up on (a WebGPU that failed), for `finish.route.skipped`. */
  readonly skipped?: readonly SkippedBackend[] | undefined;
}

/**
 * A backend. Members marked optional are capabilities: a backend without `generate` only
 * embeds, one without `embed` only generates, `countTokens` and `isCached` sharpen routing.
 * @example
 * const echo: BackendV3 = {
 *   specificationVersion: 'v3', kind: 'echo', location: 'local',
 *   capabilities: { sampling: ['stop'], responseFormats: [], tools: false },
 *   state: { ranOn: 'custom', loaded: true },
 *   supports: () => ({ ok: true }),
 *   load: async () => ({ ranOn: 'custom' }),
 *   async *generate(request) {
 *     yield { type: 'text', text: request.prompt ?? '' };
 *     yield { type: 'finish', reason: 'stop', ranOn: 'custom', usage: { promptTokens: 0, completionTokens: 0, timeToFirstTokenMs: 0, tokensPerSecond: 0, totalMs: 0 } };
 *   },
 *   unload: async () => {},
 * };
 */
export interface BackendV3 {
  readonly specificationVersion: 'v3';
  /** The engine kind (`'onnx'`, `'webllm'`, `'builtin'`, `'remote'`, or an app's own name), for stats and logs. */
  readonly kind: string;
  /** `local` stays on the device; `remote` leaves the page, and the engine redacts it first. */
  readonly location: 'local' | 'remote';
  readonly capabilities: BackendCapabilities;
  readonly state: BackendState;
  /**
   * Cheap and synchronous: can it take requests on this device now? Never loads or fetches.
   * A `no` carries a code the router reports.
   */
  supports(capabilities: Capabilities): Support;
  /** Refreshes what `supports()` reads (the built-in model's availability); the engine awaits it before routing. */
  refresh?(): Promise<void>;
  /** Idempotent; concurrent calls share one load. Rejects with a typed error. */
  load(options?: BackendLoadOptions): Promise<ModelInfo>;
  /**
   * Warnings, text and tool-call parts, then exactly one `finish`. An abort ends the stream
   * with a finish of reason `abort` within one decode step; failures are typed
   * `EdgewiseError`s thrown from the iterator. Leaving the loop early cancels the request.
   */
  generate?(request: BackendRequest, options?: GenerateOptions): AsyncIterable<BackendPart>;
  /** One vector per text. Rejects with `aborted` on abort. */
  embed?(request: EmbedRequest, options?: EmbedOptions): Promise<EmbedResult>;
  /** The prompt's exact length in tokens once loaded; undefined before. */
  countTokens?(request: Pick<BackendRequest, 'prompt' | 'messages' | 'tools'>): Promise<number | undefined>;
  /** Whether the weights are stored on the device (so storage quota does not matter). */
  isCached?(): Promise<boolean>;
  /** Releases the model; calling it twice is fine; the next call loads again. */
  unload(): Promise<void>;
}

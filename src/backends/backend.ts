/**
 * The contract every backend implements, whichever thread it runs on: the ONNX
 * backend inside the worker, the page-side adapter that presents that worker as a
 * backend, and the remote endpoint on the page. It speaks its own words and imports
 * nothing from `worker/`; `worker/protocol.ts` imports it, never the reverse.
 * Versioned (`specificationVersion`) so a backend written against an older shape is
 * recognised rather than misbehaving.
 */
import type { Capabilities } from '../capabilities.js';
import type { EdgewiseErrorCode } from '../errors.js';
import type { ChatMessage, Cost, FinishReason, ModelInfo, Pooling, Progress, RanOn, Usage, WeightForm } from '../types.js';

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
}

export interface BackendTextPart {
  type: 'text';
  text: string;
}

/** The engine adds `route` and `redactions`; a backend says what it alone knows. */
export interface BackendFinishPart {
  type: 'finish';
  reason: FinishReason;
  usage: Usage;
  ranOn: RanOn;
  cost?: Cost;
  tokenIds?: number[];
  /** Local ONNX backends: the form the weights ran in. */
  weights?: WeightForm;
  /** Set by a local backend that moved to another device mid-request (a lost GPU before the first token). */
  fallback?: { from: RanOn; code: EdgewiseErrorCode; message: string };
}

export type BackendPart = BackendTextPart | BackendFinishPart;

/** Why a backend cannot take a request; the router turns these into route reasons. */
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

/** What a loaded backend knows about its model (the public `ModelInfo`). */
export type BackendInfo = ModelInfo;

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
  /** Tokens read, padding excluded. */
  promptTokens: number;
  ranOn: RanOn;
  cost?: Cost;
}

export interface EmbedOptions {
  signal?: AbortSignal;
  /** Called after each batch with the number of texts done so far. */
  onBatch?: (done: number) => void;
}

export interface Backend {
  readonly specificationVersion: 'v2';
  /** Stable id, e.g. `'onnx'` or `'remote'`: the engine keys its stats by it. */
  readonly id: string;
  /** `local` runs on the device; `remote` sends the request off the page (and is redacted first). */
  readonly location: 'local' | 'remote';
  /**
   * Cheap and synchronous: can this backend take the request now? Never loads or fetches.
   * A `no` carries a code the router reports.
   */
  supports(request: BackendRequest, capabilities: Capabilities): Support;
  /** Idempotent; concurrent calls share one load. Rejects with a typed error. */
  load(options?: BackendLoadOptions): Promise<BackendInfo>;
  /**
   * Text parts, then exactly one `finish` part. An abort ends the stream with a finish of
   * reason `abort` within one decode step; failures are typed `EdgewiseError`s thrown from
   * the iterator. Leaving the loop early cancels the request.
   */
  generate(request: BackendRequest, options?: { signal?: AbortSignal }): AsyncIterable<BackendPart>;
  /** Embeddings, for backends that have an embedding model. Rejects with `aborted` on abort. */
  embed?(request: EmbedRequest, options?: EmbedOptions): Promise<EmbedResult>;
  /** Releases the model; calling it twice is fine. */
  unload(): Promise<void>;
}

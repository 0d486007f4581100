/** The vocabulary shared by the engine, the worker and the backends. Types only. */
import type { Capabilities } from './capabilities.js';
import type { EdgewiseErrorCode } from './errors.js';
import type { EngineKind, Policy, RanOn, RedactionType, RouteReason } from './route/vocab.js';

export type { EngineKind, Policy, RanOn, RedactionType, RouteReason } from './route/vocab.js';

/** Weight formats, named as transformers.js names its ONNX files. */
export type Dtype = 'fp32' | 'fp16' | 'q8' | 'int8' | 'q4' | 'q4f16';

/** An ONNX model folder (the default engine). */
export interface ModelSpec {
  engine?: 'onnx';
  /** A catalog id (e.g. `'SmolLM2-135M-Instruct'`) or any name of yours; also the cache key. */
  id: string;
  /** Base URL of a folder in the Hugging Face / Optimum layout. Optional for catalog ids. */
  url?: string;
  /** Weight file to load; default `'q4'`. */
  dtype?: Dtype;
  /** Expected sha256 (hex) per file path relative to `url`, e.g. `{ 'onnx/model_q4.onnx': '…' }`. */
  sha256?: Readonly<Record<string, string>>;
  /** External-data files of the ONNX graph, relative to `url`; default from `config.json`. */
  externalData?: readonly string[];
  /** Approximate bytes of the weights, so routing can judge memory and storage before any download. */
  bytes?: number;
}

/**
 * A record of a model compiled for MLC (web-llm's `ModelRecord`), for models outside its
 * prebuilt list: the weights' URL, the compiled library's URL and what it needs.
 */
export interface WebLLMModelRecord {
  /** URL of the MLC weights folder (`…/resolve/main/`). */
  model: string;
  model_id: string;
  /** URL of the compiled `.wasm` model library. */
  model_lib: string;
  vram_required_MB?: number;
  low_resource_required?: boolean;
  /** e.g. `['shader-f16']` for q4f16 models. */
  required_features?: string[];
  overrides?: Record<string, unknown>;
}

/** A model compiled for MLC, run by `@mlc-ai/web-llm` (WebGPU only) inside the SDK's worker. */
export interface WebLLMModelSpec {
  engine: 'webllm';
  /** An id from web-llm's prebuilt list (e.g. `'SmolLM2-360M-Instruct-q4f16_1-MLC'`) or `record.model_id`. */
  id: string;
  /** For models outside the prebuilt list. */
  record?: WebLLMModelRecord;
  /** Approximate bytes of the weights, for routing before any download. */
  bytes?: number;
}

/** The browser's built-in model through the Prompt API (`LanguageModel`), on the page. */
export interface BuiltinModelSpec {
  engine: 'builtin';
  /** Start the browser's model download in the background when it is `'downloadable'`; default false. Meanwhile requests go elsewhere. */
  allowDownload?: boolean;
}

/** Any local generation model. */
export type LocalModelSpec = ModelSpec | WebLLMModelSpec | BuiltinModelSpec;

export interface Progress {
  /** Cache key of the model this is about (`id:dtype`): an engine may load two. */
  model?: string;
  /** The file being downloaded or read, relative to the model URL. */
  file: string;
  loaded: number;
  total: number;
  totalLoaded: number;
  totalBytes: number;
  /** `'network'` while bytes come over HTTP, `'cache'` while they come from IndexedDB. */
  source: 'network' | 'cache';
}

export interface LoadOptions {
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
}

export type Role = 'system' | 'user' | 'assistant';
export interface ChatMessage {
  role: Role;
  content: string;
}

export interface SamplingOptions {
  /** Max new tokens; default 256. */
  maxTokens?: number;
  /** 0 is greedy; default 0 (deterministic). */
  temperature?: number;
  /** Keep the k most likely tokens; 0 disables. Default 0. */
  topK?: number;
  /** Nucleus sampling mass in (0, 1]; default 1. */
  topP?: number;
  /** > 1 discourages repeats (CTRL-style); default 1. */
  repetitionPenalty?: number;
  /** Seed for reproducible sampling; default random. */
  seed?: number;
  /** Generation ends before the first occurrence of any of these strings. */
  stop?: readonly string[];
  /** Put the generated token ids on the `finish` part (for parity checks and debugging). */
  includeTokenIds?: boolean;
  signal?: AbortSignal;
  /** Overrides the engine's `policy` for this request. */
  policy?: Policy;
  /** Overrides the engine's `maxLocalLatencyMs` for this request. */
  maxLocalLatencyMs?: number;
}

/** Exactly one of `prompt` (raw completion) or `messages` (chat template). */
export type GenerateRequest = SamplingOptions &
  ({ prompt: string; messages?: undefined } | { messages: readonly ChatMessage[]; prompt?: undefined });

export type FinishReason = 'stop' | 'length' | 'abort';

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  /** Milliseconds from the call to the first generated token. */
  timeToFirstTokenMs: number;
  /** Completion tokens per second, measured after the first token. */
  tokensPerSecond: number;
  totalMs: number;
}

/** A backend that was considered and not used, and why. */
export interface SkippedBackend {
  ranOn: RanOn;
  reason: RouteReason;
  detail: string;
}

/** Where a request ran and why: the router's decision, plus what failed on the way. */
export interface Route {
  policy: Policy;
  reason: RouteReason;
  /** A sentence for people (logs, the demo's badge). */
  detail: string;
  /** Set when a backend failed before its first token and another one took over. */
  failover?: { from: RanOn; code: EdgewiseErrorCode; message: string };
  /** Candidates ahead of the one that ran, and why each was passed over. */
  skipped?: SkippedBackend[];
}

/** Price of a remote call from the configured per-million-token prices. */
export interface Cost {
  input: number;
  output: number;
  total: number;
  currency: string;
}

/** Counts of redacted values by type; never the values. */
export type Redactions = Partial<Record<RedactionType, number>>;

export interface TextPart {
  type: 'text';
  text: string;
}
export interface FinishPart {
  type: 'finish';
  reason: FinishReason;
  usage: Usage;
  ranOn: RanOn;
  route: Route;
  /** Remote calls with `remote.prices` set. */
  cost?: Cost;
  /** Remote calls: what redaction replaced before the request left the page. */
  redactions?: Redactions;
  /** The generated ids (EOS excluded), only when the request set `includeTokenIds`. */
  tokenIds?: number[];
}
export type Part = TextPart | FinishPart;

/** What a loaded model (or the remote endpoint) is. */
export interface ModelInfo {
  ranOn: RanOn;
  /** The engine that runs the model. */
  engine?: EngineKind | 'remote';
  /** Why it runs on this device (e.g. "WASM: the only WebGPU adapter is a software fallback"). */
  detail?: string;
  /** Tokens the context holds (local models). */
  contextLength?: number;
  vocabSize?: number;
  hasChatTemplate?: boolean;
}

/** How token vectors become one vector per text (see `EmbeddingOptions.pooling`). */
export type Pooling = 'mean' | 'cls' | 'pooled';

export interface EmbeddingOptions {
  signal?: AbortSignal;
  /** Texts per forward pass; default 32. */
  batchSize?: number;
  /** L2-normalize each vector; default true. */
  normalize?: boolean;
  /** `mean` (masked), `cls`, or the model's own `pooled` output; default: pooled when the model has one, else mean. */
  pooling?: Pooling;
  /** Texts done so far, after each batch. */
  onProgress?: (p: { done: number; total: number }) => void;
  /** Overrides the engine's policy for this call. */
  policy?: Policy;
}

/** One vector per text, in input order, plus where they were made and what was cut. */
export type Embeddings = Float32Array[] & {
  /** Indexes of the texts cut at the model's maximum length (remote: unknown, so empty). */
  truncated: number[];
  promptTokens: number;
  ranOn: RanOn;
  route: Route;
  cost?: Cost;
  redactions?: Redactions;
};

export interface CachedModelInfo {
  /** Cache key: model id and dtype. */
  key: string;
  url: string;
  bytes: number;
  files: number;
  lastUsed: number;
  complete: boolean;
}

export interface CacheUsage {
  /** Bytes of model files held by edgewise. */
  bytes: number;
  /** `navigator.storage.estimate()` figures for the whole origin, when available. */
  quota?: number;
  usage?: number;
  persisted?: boolean;
}

/** A side a request can run on. */
export type RouteTarget = 'local' | 'remote';

/**
 * An app's own routing: one side, or an ordered list where later sides take over when
 * an earlier one fails before its first token.
 * @example route: (req) => (req.messages?.length ?? 0) > 8 ? 'remote' : ['local', 'remote']
 */
export type RouteFunction = (request: GenerateRequest, capabilities: Capabilities) => RouteTarget | readonly RouteTarget[];

/** Per-million-token prices of the remote model, for `finish.cost`. */
export interface RemotePrices {
  /** Price of one million prompt tokens. */
  input: number;
  /** Price of one million completion tokens. */
  output: number;
  /** Default `'USD'`. */
  currency?: string;
}

/**
 * Any OpenAI-compatible endpoint. Provider keys do not belong in browser code: let
 * `token` fetch a short-lived token from your own backend. Tokens are never stored.
 */
export interface RemoteOptions {
  /** E.g. `'https://api.example.com/v1'`; requests go to `{baseURL}/chat/completions`. */
  baseURL: string;
  /** The remote model name sent in the request body. */
  model: string;
  /** The model for `/embeddings`; default `model`. */
  embeddingModel?: string;
  /** Extra headers on every request. */
  headers?: Readonly<Record<string, string>>;
  /** Called once per request; its result is sent as `Authorization: Bearer …`. */
  token?: () => string | Promise<string>;
  prices?: RemotePrices;
  /** Default 10 000 ms to response headers, 30 000 ms to the first token, 30 000 ms between chunks. */
  timeouts?: { connectMs?: number; firstByteMs?: number; idleMs?: number };
  /** Retries on connection errors, 408, 409, 429 and 5xx, never after the first token; default 2. */
  maxRetries?: number;
}

/** What redaction looks for; every built-in type is on unless `types` narrows it. */
export interface RedactOptions {
  types?: readonly RedactionType[];
  /** Exact strings to hide (names, project code words), matched case-insensitively. */
  terms?: readonly string[];
  /** Your own patterns; each match is hidden as type `pattern`. */
  patterns?: readonly RegExp[];
}

export interface EngineOptions {
  /**
   * The local generation model, or an ordered list of candidates (e.g. the built-in model,
   * then a web-llm model, then an ONNX model): the first the device can run serves, and
   * `finish.route.skipped` says why the others were passed over. Optional when `policy`
   * is `'remote-only'` or only embeddings are needed.
   */
  model?: LocalModelSpec | readonly LocalModelSpec[];
  /** A local embedding model: an ONNX encoder in the Optimum layout (`dtype` defaults to `'fp32'`), or a web-llm embedding model. */
  embeddingModel?: ModelSpec | WebLLMModelSpec;
  /** An OpenAI-compatible endpoint for requests the device cannot serve. */
  remote?: RemoteOptions;
  /** Default `'prefer-local'` with a remote, `'local-only'` without one. */
  policy?: Policy;
  /** Redaction of personal data before a request leaves the page; default on. `false` turns it off. */
  redact?: false | RedactOptions;
  /** Go remote (under `prefer-local`) when the estimated local time exceeds this many ms. */
  maxLocalLatencyMs?: number;
  /** Decide routing yourself; the answer is validated (an unknown side is an `invalid_policy` error). */
  route?: RouteFunction;
  /** Keep weights in IndexedDB; default true. `false` downloads to memory only. */
  cache?: boolean;
  /** When storage is short: `'none'` fails with `quota_exceeded` (default); `'lru'` evicts least recently used models. */
  eviction?: 'none' | 'lru';
  /**
   * Where the ONNX generation model runs: `'auto'` (default) takes WebGPU when the adapter is
   * a real GPU that fits the model (fp16 weights need `shader-f16`), else WASM; `'webgpu'`
   * insists (typed error if impossible); `'wasm'` never touches the GPU.
   */
  device?: 'auto' | 'webgpu' | 'wasm';
  /** Threads for the WASM backend; default: all cores when cross-origin isolated, else 1. */
  numThreads?: number;
  /** Where the worker and runtime files live; default: beside the SDK bundle. */
  assetsUrl?: string;
  /** Facts that override the probed ones (tests, or apps that know their device better). */
  capabilities?: Partial<Capabilities>;
}

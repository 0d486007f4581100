/** The vocabulary shared by the engine, the worker and the backends. Types only. */
import type { EdgewiseErrorCode } from './errors.js';
import type { EngineKind, Policy, RanOn, RedactionType, RouteReason } from './route/vocab.js';
import type { WeightForm } from './config-types.js';

export type { EngineKind, Policy, RanOn, RedactionType, RouteReason } from './route/vocab.js';
export type {
  BuiltinModelSpec, Dtype, EngineOptions, LocalModelSpec, ModelSpec, RedactOptions, RemoteOptions, RemotePrices,
  RouteFunction, RouteTarget, WasmWeights, WebLLMModelRecord, WebLLMModelSpec, WeightForm,
} from './config-types.js';

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
  /** Local ONNX runs: the form the weights ran in (see `EngineOptions.wasmWeights`). */
  weights?: WeightForm;
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
  /** WASM threads the runtime uses (ONNX models). */
  threads?: number;
  /** The form the weights run in (ONNX models), and why. */
  weights?: WeightsInfo;
}

export interface WeightsInfo {
  form: WeightForm;
  reason: string;
  /** `'ran'`: rewritten during this load; `'stored'`: read back from the cache; `'none'`: the file ran as it is. */
  transform: 'ran' | 'stored' | 'none';
  /** Time the rewrite took, when it ran. */
  transformMs?: number;
  /** Bytes of the weights as they run. */
  bytes?: number;
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

/**
 * The vocabulary shared by the engine, the worker and the backends: requests, messages,
 * parts, usage, routes. Types only, and a leaf: it imports no configuration type, so the
 * backend spec and the engine options can both build on it without a cycle.
 */
import type { EdgewiseErrorCode } from './errors.js';
import type { EngineKind, Policy, RanOn, RedactionType, RouteReason } from './route/vocab.js';

export type { EngineKind, Policy, RanOn, RedactionType, RouteReason } from './route/vocab.js';

/** See `EngineOptions.wasmWeights`. */
export type WasmWeights = 'auto' | 'int8' | 'fp32' | 'source';
/** The form a local ONNX model's weights run in. */
export type WeightForm = 'int8' | 'fp32' | 'source';

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

export type Role = 'system' | 'user' | 'assistant' | 'tool';

/** A JSON Schema (an object, or `true`/`false`). docs/structured-output.md lists what is enforced. */
export type JSONSchema = { readonly [keyword: string]: unknown } | boolean;

/** A tool call the model made; assistant messages carry them back in the history. */
export interface ToolCall {
  id: string;
  name: string;
  /** Parsed, and validated against the tool's `parameters`. */
  arguments: Record<string, unknown>;
}

export interface SystemMessage { role: 'system'; content: string }
export interface UserMessage { role: 'user'; content: string }
export interface AssistantMessage {
  role: 'assistant';
  content: string;
  /** The calls this turn made (send them back with the `tool` results that answer them). */
  toolCalls?: readonly ToolCall[];
}
/** A tool's result, answering the call with `toolCallId`. */
export interface ToolMessage { role: 'tool'; content: string; toolCallId: string; name?: string }
export type ChatMessage = SystemMessage | UserMessage | AssistantMessage | ToolMessage;

/**
 * What the output must be. Every route enforces it: constrained decoding on ONNX, the
 * engine's own constraint on web-llm and the built-in model, `response_format` on the
 * remote; and every route validates the final text (an `invalid_output` error otherwise).
 */
export type ResponseFormat =
  | { type: 'json_schema'; schema: JSONSchema; name?: string }
  | { type: 'json_object' }
  | { type: 'regex'; pattern: string };
export type ResponseFormatType = ResponseFormat['type'];

/** A function the model may call; `parameters` is a JSON Schema of an object. */
export interface ToolDefinition {
  /** Letters, digits, `_` and `-`, at most 64 characters (OpenAI's rule). */
  name: string;
  description?: string;
  parameters: JSONSchema;
}
/** `auto` (default with tools): text or a call; `none`: text only; `required`: a call; `{ name }`: that tool. */
export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

/** The request settings a backend may or may not honour (see `BackendCapabilities.sampling`). */
export type SamplingSetting = 'temperature' | 'topK' | 'topP' | 'repetitionPenalty' | 'seed' | 'stop' | 'includeTokenIds';

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
  /** Constrains the output; the final text is validated (docs/structured-output.md). */
  responseFormat?: ResponseFormat;
  /** Functions the model may call (docs/structured-output.md). */
  tools?: readonly ToolDefinition[];
  /** Default `'auto'` when `tools` are given. */
  toolChoice?: ToolChoice;
}

/** Exactly one of `prompt` (raw completion) or `messages` (chat template). */
export type GenerateRequest = SamplingOptions &
  ({ prompt: string; messages?: undefined } | { messages: readonly ChatMessage[]; prompt?: undefined });

/**
 * `engine.object()`: a request whose output is a value of `schema`.
 * @example const city = await engine.object<{ name: string }>({ prompt: 'A city', schema: { type: 'object', properties: { name: { type: 'string', maxLength: 40 } }, required: ['name'] } });
 */
export type ObjectRequest = Omit<SamplingOptions, never> &
  ({ prompt: string; messages?: undefined } | { messages: readonly ChatMessage[]; prompt?: undefined }) & { schema: JSONSchema; name?: string };

/** `tool-calls`: the model called tools (the `tool-call` parts) and waits for their results. */
export type FinishReason = 'stop' | 'length' | 'abort' | 'tool-calls';

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

/**
 * Counts of redacted values by type; never the values. `unrestored`: placeholders the
 * answer put where restoring them is refused (a URL, a link or image target, an HTML
 * attribute) and that were left as placeholders.
 */
export type Redactions = Partial<Record<RedactionType, number>> & { unrestored?: number };

export interface TextPart {
  type: 'text';
  text: string;
}
/** A call of one of the request's tools, its arguments parsed and validated. */
export interface ToolCallPart {
  type: 'tool-call';
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}
/** A setting the backend that ran could not honour, or honoured in a weaker form; never silent. */
export interface Warning {
  /** `unsupported_setting`: ignored (e.g. `topK` on a remote); `degraded`: honoured in a weaker form. */
  code: 'unsupported_setting' | 'degraded';
  /** The request field concerned, e.g. `'topK'` or `'responseFormat'`. */
  setting?: string;
  message: string;
}
/** Sent before the first text, once per warning; `finish.warnings` repeats them. */
export interface WarningPart {
  type: 'warning';
  warning: Warning;
}
/**
 * Facts only one kind of backend has, keyed by kind (custom backends use their own key):
 * the weight form an ONNX model ran in, the format a remote endpoint accepted.
 */
export interface BackendMetadata {
  /** `weights`: the form the weights ran in; `gpuFallback`: the WebGPU failure this request left behind for WASM. */
  onnx?: { weights?: WeightForm; gpuFallback?: { code: EdgewiseErrorCode; message: string } };
  remote?: { responseFormat?: 'json_schema' | 'json_object' };
  [kind: string]: { readonly [key: string]: unknown } | undefined;
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
  /**
   * Remote calls with redaction: where originals were put back into the answer, as UTF-16
   * offsets into all its text parts joined, so an app can render those values as plain text.
   */
  restored?: { start: number; end: number; type: RedactionType }[];
  /** The generated ids (EOS excluded), only when the request set `includeTokenIds`. */
  tokenIds?: number[];
  /** Settings the backend could not honour (also sent as `warning` parts before the text). */
  warnings?: Warning[];
  /** Facts of the backend that ran (e.g. `metadata.onnx.weights`: the form the weights ran in). */
  metadata?: BackendMetadata;
}
export type Part = TextPart | ToolCallPart | WarningPart | FinishPart;

/** What a loaded model (or the remote endpoint) is. */
export interface ModelInfo {
  ranOn: RanOn;
  /** The engine that runs the model. */
  engine?: EngineKind | 'remote';
  /** Why it runs on this device (e.g. "WASM: the only WebGPU adapter is a software fallback"). */
  detail?: string;
  /** Tokens the context holds (local models; for an embedding model, the longest text it reads). */
  contextLength?: number;
  /** Length of the vectors (embedding models). */
  dims?: number;
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
  /** Time the rewrite took, when it ran; bytes of the weights as they run. */
  transformMs?: number;
  bytes?: number;
  /**
   * `wasmWeights: 'auto'` with more than one form in reach: the decode speed of each
   * (tokens/s), timed during this load (`'measured'`, which took `measureMs`) or read from
   * the cache, where an earlier load on this device left it (`'remembered'`).
   */
  choice?: { by: 'measured' | 'remembered'; tokensPerSecond: { int8?: number; fp32?: number }; measureMs?: number };
  /** On WASM: `'kernel'` (edgewise's decoder kernel runs the int8 form; see `wasmKernel`) or `'onnxruntime'`. */
  runner?: 'kernel' | 'onnxruntime';
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
  /**
   * The model that made the vectors, so stored vectors are never compared with another
   * model's (`edgewise/search` checks it): a local ONNX model's `id:dtype`, a web-llm
   * model's id, `remote:<embeddingModel>`, or an app backend's kind.
   */
  model: string;
  route: Route;
  cost?: Cost;
  redactions?: Redactions;
};

export type { CachedModelInfo, CacheUsage } from './cache-types.js';

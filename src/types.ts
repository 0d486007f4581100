/** The vocabulary shared by the engine, the worker and the backends. Types only. */

/** Weight formats, named as transformers.js names its ONNX files. */
export type Dtype = 'fp32' | 'fp16' | 'q8' | 'int8' | 'q4' | 'q4f16';

export interface ModelSpec {
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
}

export interface Progress {
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

/** Where a request ran and why (the router's answer; one entry for now). */
export interface RanOn {
  backend: 'onnx';
  device: 'wasm' | 'webgpu';
  reason: string;
}

export interface TextPart {
  type: 'text';
  text: string;
}
export interface FinishPart {
  type: 'finish';
  reason: FinishReason;
  usage: Usage;
  ranOn: RanOn;
  /** The generated ids (EOS excluded), only when the request set `includeTokenIds`. */
  tokenIds?: number[];
}
export type Part = TextPart | FinishPart;

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

export interface EngineOptions {
  model: ModelSpec;
  /** Keep weights in IndexedDB; default true. `false` downloads to memory only. */
  cache?: boolean;
  /** When storage is short: `'none'` fails with `quota_exceeded` (default); `'lru'` evicts least recently used models. */
  eviction?: 'none' | 'lru';
  /** Threads for the WASM backend; default: all cores when cross-origin isolated, else 1. */
  numThreads?: number;
  /** Where the worker and runtime files live; default: beside the SDK bundle. */
  assetsUrl?: string;
}

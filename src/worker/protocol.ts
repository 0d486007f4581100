/**
 * The one typed contract between the page and the inference worker.
 * comlink is only the transport: the main side holds `Remote<WorkerApi>`.
 */
import type { CacheUsage, CachedModelInfo, Dtype, Part, Progress } from '../types.js';

/** A model spec after catalog lookup and defaults, as the worker receives it. */
export interface ResolvedModel {
  id: string;
  url: string;
  dtype: Dtype;
  /** Cache key: one entry per id and weight format. */
  key: string;
  sha256: Readonly<Record<string, string>>;
  externalData?: readonly string[];
}

export interface WorkerLoadOptions {
  cache: boolean;
  eviction: 'none' | 'lru';
  numThreads: number;
  /** URL of the folder holding the runtime's `.wasm`/`.mjs` files. */
  assetsUrl: string;
  /** Request id whose abort cancels this load. */
  requestId: number;
}

export interface ModelInfo {
  contextLength: number;
  vocabSize: number;
  device: 'wasm' | 'webgpu';
  hasChatTemplate: boolean;
}

/** A generate request as it crosses the boundary: validated, signal replaced by an id. */
export interface WorkerGenerateRequest {
  requestId: number;
  prompt?: string;
  messages?: readonly { role: string; content: string }[];
  maxTokens: number;
  temperature: number;
  topK: number;
  topP: number;
  repetitionPenalty: number;
  seed: number;
  stop: readonly string[];
  includeTokenIds: boolean;
  /** Performance.timeOrigin-based ms at which the caller asked, for time to first token. */
  startedAt: number;
}

export interface WorkerApi {
  load(model: ResolvedModel, options: WorkerLoadOptions, onProgress?: (p: Progress) => void): Promise<ModelInfo>;
  /**
   * Streams parts through `onParts` (unawaited on the worker side: one message per batch,
   * no round trip per token); the last part is always `finish`.
   */
  generate(request: WorkerGenerateRequest, onParts: (parts: Part[]) => void): Promise<void>;
  /** Cancels a running load or generate; takes effect within one decode step. */
  abort(requestId: number): void;
  cacheList(): Promise<CachedModelInfo[]>;
  cacheUsage(): Promise<CacheUsage>;
  cacheHas(key: string): Promise<boolean>;
  cacheDelete(key: string): Promise<boolean>;
  cacheClear(): Promise<void>;
  unload(): Promise<void>;
}

/**
 * The one typed contract between the page and the inference worker.
 * comlink is only the transport: the main side holds `Remote<WorkerApi>`.
 */
import type { BackendPart, BackendRequest, EmbedRequest, EmbedResult } from '../backends/backend.js';
import type { OnnxConfig } from '../backends/onnx/backend.js';
import type { EmbedderInfo } from '../backends/onnx/embedder.js';
import type { ResolvedModel, ResolvedWorkerModel } from '../model/spec.js';
import type { CacheUsage, CachedModelInfo, ModelInfo, Progress } from '../types.js';

export type { ResolvedModel, ResolvedWorkerModel } from '../model/spec.js';
export type { EmbedderInfo } from '../backends/onnx/embedder.js';

export interface WorkerLoadOptions extends OnnxConfig {
  /** Request id whose abort cancels this load. */
  requestId: number;
}

/** A generate request as it crosses the boundary: validated, signal replaced by an id. */
export interface WorkerGenerateRequest extends BackendRequest {
  requestId: number;
}

export interface WorkerInfo {
  /** GPU-resident KV-cache tensors held now; constant across requests, or the cache leaks. */
  liveGpuTensors: number;
}

export interface WorkerApi {
  /**
   * Takes the Web Lock `lockName` and holds it until the worker dies; resolves once it is
   * held. The page then queues for the same lock: being granted it means the worker is gone.
   */
  hello(lockName: string): Promise<void>;
  load(model: ResolvedWorkerModel, options: WorkerLoadOptions, onProgress?: (p: Progress) => void): Promise<ModelInfo>;
  /**
   * Streams parts through `onParts` (unawaited on the worker side: one message per batch,
   * no round trip per token); the last part is always `finish`. A request aborted while
   * it waits in the queue settles at once with an `abort` finish and never runs.
   */
  generate(request: WorkerGenerateRequest, onParts: (parts: BackendPart[]) => void): Promise<void>;
  /** Opens the embedding model (it lives beside the generation model, in the same cache). */
  loadEmbedder(model: ResolvedWorkerModel, options: WorkerLoadOptions, onProgress?: (p: Progress) => void): Promise<EmbedderInfo>;
  /**
   * Embeds one window of texts; `onBatch` reports texts done after each forward pass. The
   * vectors' buffers are transferred, not copied. Aborted: rejects with `aborted`.
   */
  embed(request: EmbedRequest & { requestId: number }, onBatch?: (done: number) => void): Promise<EmbedResult>;
  /** The prompt's exact token count with the loaded model's tokenizer; undefined when none is loaded. */
  countTokens(request: Pick<BackendRequest, 'prompt' | 'messages'>): Promise<number | undefined>;
  /** What the worker holds now, for `engine.info()`. */
  info(): Promise<WorkerInfo>;
  /** TEST-ONLY HOOK: destroys the GPU device, as a driver reset would; false when there is none. */
  loseDeviceForTests(): Promise<boolean>;
  /** Cancels a queued or running load or generate; takes effect within one decode step. */
  abort(requestId: number): void;
  cacheList(): Promise<CachedModelInfo[]>;
  cacheUsage(): Promise<CacheUsage>;
  cacheHas(key: string): Promise<boolean>;
  cacheDelete(key: string): Promise<boolean>;
  /** web-llm keeps its own cache (IndexedDB): asked through web-llm for a configured model. */
  webllmCache(model: ResolvedWorkerModel, op: 'has' | 'delete'): Promise<boolean>;
  cacheClear(): Promise<void>;
  unload(): Promise<void>;
}

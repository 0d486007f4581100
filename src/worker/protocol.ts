/**
 * The one typed contract between the page and the inference worker. comlink is only the
 * transport: the main side holds `Remote<WorkerApi>`. The worker holds at most one model
 * per role (the generation model, the embedding model), of any worker-hosted kind.
 */
import type { BackendPart, BackendRequest, EmbedRequest, EmbedResult } from '../backends/backend.js';
import type { ModelRole, WorkerConfig } from '../backends/kind.js';
import type { RedactOptions } from '../config-types.js';
import type { ResolvedModel, ResolvedWorkerModel } from '../model/spec.js';
import type { KnownValues } from '../privacy/finder.js';
import type { PackedSpans } from '../privacy/worker-spans.js';
import type { CacheUsage, CachedModelInfo, ModelInfo, Progress } from '../types.js';

export type { ResolvedModel, ResolvedWorkerModel };
export type { ModelRole, WorkerConfig };

export interface WorkerLoadOptions extends WorkerConfig {
  /** Request id whose abort cancels this load. */
  requestId: number;
}

/**
 * The model a request runs on and how it loads. A host that several pages share may hold
 * another page's model when the request's turn comes: it loads this one first.
 */
export interface WorkerTarget {
  model: ResolvedWorkerModel;
  config: WorkerConfig;
}

/** A generate request as it crosses the boundary: validated, signal replaced by an id. */
export interface WorkerGenerateRequest extends BackendRequest {
  requestId: number;
  target?: WorkerTarget;
}

/** How a page joins a host that several pages share (a `SharedWorker`). */
export interface WorkerJoin {
  /**
   * What the page's engine runs (its models and configuration): pages with the same group
   * share models and a queue; other groups in the same worker have their own.
   */
  group: string;
  /** A Web Lock the page holds while it uses the host: granted to the host, the page is gone. */
  tabLock: string;
}

/** One request's redaction detection, run in the worker (issue 16). */
export interface WorkerFindRequest {
  texts: readonly string[];
  /** Validated options; `patterns` cross as RegExps (structured clone keeps them). */
  options: RedactOptions;
  /** `options.model` resolved on the page, where a relative URL means what the app meant. */
  model?: ResolvedModel;
  /** Where the worker's runtime files are and how the store caches: the redaction model loads like any model. */
  config: WorkerConfig;
  /**
   * Values hidden before (see `privacy/finder.ts`). Given, the worker runs the literal pass
   * over them and the detected values too, and answers `complete: true`.
   */
  known?: KnownValues;
  /** Id whose abort cancels the detection. */
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
  hello(lockName: string, join?: WorkerJoin): Promise<void>;
  /**
   * Ends the worker, for every page it serves: a runtime whose GPU failed is never reused.
   * Each page notices through its lock, as after a crash, and starts a fresh one.
   */
  shutdown(): void;
  /** Loads `model` as the worker's model for `role`, replacing the one it held for that role. */
  load(role: ModelRole, model: ResolvedWorkerModel, options: WorkerLoadOptions, onProgress?: (p: Progress) => void): Promise<ModelInfo>;
  /**
   * Runs on the generation model. Streams parts through `onParts` (unawaited on the worker
   * side: one message per batch, no round trip per token); the last part is always
   * `finish`. A request aborted while it waits in the queue settles at once with an
   * `abort` finish, stamped with where that model runs, and never runs.
   */
  generate(request: WorkerGenerateRequest, onParts: (parts: BackendPart[]) => void): Promise<void>;
  /**
   * Embeds one window of texts on the embedding model; `onBatch` reports texts done after
   * each forward pass. The vectors' buffers are transferred, not copied. Aborted: rejects
   * with `aborted`.
   */
  embed(request: EmbedRequest & { requestId: number; target?: WorkerTarget }, onBatch?: (done: number) => void): Promise<EmbedResult>;
  /**
   * Redaction's detection: the pattern detectors (and the redaction model when
   * `request.model` is set) over every text, overlaps resolved, then the literal pass when
   * `request.known` is given; the spans come back packed per text (see
   * `privacy/worker-spans.ts`), their buffers transferred. Not queued behind generation:
   * detection is short, and a request waits for it before it can leave the page.
   * Rejects with `aborted`, or `redaction_failed` when the model cannot load or run.
   */
  findSpans(request: WorkerFindRequest): Promise<PackedSpans>;
  /** The prompt's exact token count with the generation model's tokenizer; undefined when it cannot tell. */
  countTokens(request: Pick<BackendRequest, 'prompt' | 'messages' | 'tools'>): Promise<number | undefined>;
  /** What the worker holds now, for `engine.info()`. */
  info(): Promise<WorkerInfo>;
  /** TEST-ONLY HOOK: destroys the GPU device, as a driver reset would; false when there is none. */
  loseDeviceForTests(): Promise<boolean>;
  /** Cancels a queued or running load, generate or embed; takes effect within one decode step. */
  abort(requestId: number): void;
  /** The weight store's models, plus those of `models` whose kind keeps its own store and holds them. */
  cacheList(models: readonly ResolvedWorkerModel[]): Promise<CachedModelInfo[]>;
  cacheUsage(): Promise<CacheUsage>;
  cacheHas(model: ResolvedWorkerModel): Promise<boolean>;
  /** Deletes a model's stored files (and drops it from memory if the worker holds it). */
  cacheDelete(model: ResolvedWorkerModel): Promise<boolean>;
  cacheClear(): Promise<void>;
  /** Releases the model of `role`, or every model when no role is given. */
  unload(role?: ModelRole): Promise<void>;
  /** Resolves when the worker's background cache work is done (a cancelled rewrite's delete): it may end then. */
  idle(): Promise<void>;
}

/**
 * What a kind of backend registers: a folder under `backends/` exports one descriptor per
 * side, and one line in a registry names it (`src/registry.ts` on the page,
 * `src/worker/registry.ts` in the worker). Nothing else in the engine names a kind.
 */
import type { Capabilities } from '../capabilities.js';
import type { ResolvedWorkerModel } from '../model/spec.js';
import type { RanOn, WasmWeights } from '../types.js';
import type { BackendCapabilities, BackendV3, Support } from './backend.js';

/** What a model does for the engine: the generation model, or the embedding model. */
export type ModelRole = 'generate' | 'embed';

/** How the engine runs its worker's models; fixed per engine, each kind reads what it needs. */
export interface WorkerConfig {
  cache: boolean;
  eviction: 'none' | 'lru';
  numThreads: number;
  /** URL of the folder holding the runtime's `.wasm`/`.mjs` files. */
  assetsUrl: string;
  /** Where an ONNX generation model runs; embedding models always run on WASM. Default 'auto'. */
  device?: 'auto' | 'webgpu' | 'wasm';
  /** What a weight-only quantized ONNX decoder becomes on WASM; default 'auto'. */
  wasmWeights?: WasmWeights;
  /** Whether int8 forms with a kernel plan run on the decoder kernel; default true. */
  wasmKernel?: boolean;
  /** TEST-ONLY: prompt tokens per prefill run, to cut short prompts (no engine option sets it). */
  prefillChunk?: number;
}

/** What the page knows of a worker-hosted model before the worker loads it. */
export interface WorkerModelFacts {
  capabilities: BackendCapabilities;
  /** Where it will run (the device asked for); the loaded model's info says where it does. */
  ranOn: RanOn;
  /** The context window when known before load (a catalog row's). */
  contextLength?: number;
  /** Device checks the page can make without the worker (WebGPU, shader-f16). */
  supports?(capabilities: Capabilities): Support;
}

/** A kind whose models run in the inference worker: the page resolves specs and holds a proxy. */
export interface WorkerHostedKind<S> {
  readonly runs: 'worker';
  /** Checks and resolves a spec (catalog, defaults, cache key); throws `invalid_model_spec`. */
  resolve(spec: S, role: ModelRole): ResolvedWorkerModel;
  facts(model: ResolvedWorkerModel, role: ModelRole, config: WorkerConfig): WorkerModelFacts;
}

/** A kind whose backend runs on the page (the built-in model, an app's own backend). */
export interface PageKind<S> {
  readonly runs: 'page';
  create(spec: S, role: ModelRole): BackendV3;
}

/** The worker side of a worker-hosted kind. */
export interface WorkerKind {
  create(model: ResolvedWorkerModel, config: WorkerConfig, role: ModelRole): BackendV3;
  /** A kind that keeps its own store (web-llm); default: the SDK's weight store. */
  cache?: { has(model: ResolvedWorkerModel): Promise<boolean>; delete(model: ResolvedWorkerModel): Promise<boolean> };
  /** GPU-resident tensors its models hold now (the KV cache on WebGPU), for `engine.info()`. */
  liveGpuTensors?(): number;
  /** TEST-ONLY HOOK: destroys its GPU device, as a driver reset would; false when there is none. */
  loseDeviceForTests?(): Promise<boolean>;
}

/**
 * The contract every engine backend implements. Versioned so a backend written
 * against an older shape can be recognised rather than misbehave.
 */
import type { Part, Progress } from '../types.js';
import type { ModelInfo, ResolvedModel, WorkerGenerateRequest } from '../worker/protocol.js';

export interface BackendLoadOptions {
  cache: boolean;
  eviction: 'none' | 'lru';
  numThreads: number;
  assetsUrl: string;
  signal: AbortSignal;
  onProgress?: (p: Progress) => void;
}

export interface Backend {
  readonly specificationVersion: 'v1';
  readonly name: 'onnx';
  load(model: ResolvedModel, options: BackendLoadOptions): Promise<ModelInfo>;
  /** Emits text parts and exactly one final `finish` part; throws typed errors. */
  generate(request: WorkerGenerateRequest, signal: AbortSignal, emit: (part: Part) => void): Promise<void>;
  unload(): Promise<void>;
}

/**
 * The page-side face of the worker's generation model: presents the worker's ONNX
 * backend as a Backend. The worker's life (start, death, restart, dispose) belongs to
 * the shared `WorkerHandle`; a death fails every call in flight with `worker_crashed`
 * and the next call loads again (from the cache) in a fresh worker.
 *
 * A WebGPU failure (the session cannot open, the device is lost before the first token)
 * ends that worker and continues on WASM in a fresh one: a runtime whose GPU failed is
 * never reused. After the first token it is a typed error, never a splice.
 */
import { EdgewiseError, isEdgewiseError } from '../errors.js';
import type { ResolvedWorkerModel } from '../model/spec.js';
import { streamParts } from '../stream.js';
import type { ModelInfo, SkippedBackend } from '../types.js';
import type { WorkerHandle } from '../worker/handle.js';
import type { Backend, BackendFinishPart, BackendLoadOptions, BackendPart, BackendRequest } from './backend.js';
import { ModelSlot } from './model-slot.js';
import type { OnnxConfig } from './onnx/backend.js';
import { abortedFinish } from './parts.js';
import { needsShaderF16 } from './webllm/model.js';
import { webllmSupport } from './webllm/support.js';

export interface LocalWorkerBackend extends Backend {
  readonly model: Readonly<ResolvedWorkerModel>;
  readonly loaded: boolean;
  /** The error of the last failed load, until a load succeeds. */
  readonly loadError: EdgewiseError | undefined;
  readonly info: ModelInfo | undefined;
  readonly bytes: number | undefined;
  /** Devices given up on (WebGPU that failed), for `finish.route.skipped`. */
  readonly skipped: readonly SkippedBackend[];
  /** The exact prompt length with the loaded tokenizer; undefined before load. */
  countTokens(request: Pick<BackendRequest, 'prompt' | 'messages'>): Promise<number | undefined>;
  /** Whether the model's weights are fully in IndexedDB. */
  isCached(): Promise<boolean>;
  /** Forgets the loaded model (its cache entry was deleted). */
  forget(): void;
}

/**
 * A failure of the GPU path that WASM would not have (the worker tags these with
 * `details.device`): the session could not open on the GPU, or the device was lost. Not
 * the probe's refusal of an explicit `'webgpu'` (no adapter, no shader-f16): nothing had
 * started, and the app insisted, so that one stays an error.
 */
const gpuFailure = (e: unknown): e is EdgewiseError => isEdgewiseError(e) && e.details['device'] === 'webgpu' && e.details['phase'] !== 'probe';

export function createLocalWorkerBackend(handle: WorkerHandle, model: ResolvedWorkerModel, config: OnnxConfig): LocalWorkerBackend {
  const webllm = model.engine === 'webllm';
  const needsF16 = webllm && needsShaderF16(model.spec);
  let device = config.device ?? 'auto';
  const skipped: SkippedBackend[] = [];
  const slot = new ModelSlot<ModelInfo>(handle, model.key, (c, requestId, onProgress) => c.api.load(model, { ...config, device, requestId }, onProgress));

  /** Gives up on WebGPU for this engine: the next load runs on WASM in a fresh worker. */
  function leaveGpu(e: EdgewiseError): void {
    device = 'wasm';
    skipped.push({ ranOn: 'webgpu', reason: 'unsupported_device', detail: `WebGPU failed (${e.code}: ${e.message}); continued on WASM in a fresh worker` });
    handle.restart();
  }
  const canLeaveGpu = (e: unknown): e is EdgewiseError => gpuFailure(e) && device !== 'wasm';

  async function load(o: BackendLoadOptions = {}): Promise<ModelInfo> {
    try {
      return await slot.load(o);
    } catch (e) {
      if (!canLeaveGpu(e)) throw e;
      leaveGpu(e);
      return slot.load(o);
    }
  }

  async function* stream(request: BackendRequest, signal: AbortSignal | undefined): AsyncGenerator<BackendPart> {
    const c = handle.worker();
    const requestId = handle.begin();
    try {
      yield* streamParts({
        start: (onParts) => c.guard(c.api.generate({ ...request, requestId }, onParts)),
        abort: () => { if (!c.dead) void c.api.abort(requestId); },
      }, signal);
    } finally {
      handle.end(requestId);
    }
  }

  return {
    specificationVersion: 'v2',
    id: webllm ? 'webllm' : 'onnx',
    location: 'local',
    model,
    bytes: model.bytes,
    skipped,
    get loaded() { return slot.loaded; },
    get loadError() { return slot.loadError; },
    get info() { return slot.info; },
    supports: (_request, capabilities) => {
      if (webllm) return webllmSupport(capabilities, needsF16, slot.loadError);
      return slot.loadError ? { ok: false, code: 'load_failed', detail: slot.loadError.message } : { ok: true };
    },
    load,

    generate(request: BackendRequest, o: { signal?: AbortSignal } = {}): AsyncIterable<BackendPart> {
      async function* run(): AsyncGenerator<BackendPart> {
        if (o.signal?.aborted) {
          yield abortedFinish(request.startedAt, slot.info?.ranOn ?? (webllm ? 'webllm' : 'wasm'));
          return;
        }
        let started = false;
        try {
          for await (const p of stream(request, o.signal)) {
            if (p.type === 'text') started = true;
            yield p;
          }
        } catch (e) {
          if (started || !canLeaveGpu(e)) throw e;
          // Nothing reached the caller yet: the same request continues on WASM.
          leaveGpu(e);
          await load(o.signal ? { signal: o.signal } : {});
          for await (const p of stream(request, o.signal)) {
            yield p.type === 'finish' ? ({ ...p, fallback: { from: 'webgpu', code: e.code, message: e.message } } satisfies BackendFinishPart) : p;
          }
        }
      }
      return run();
    },

    countTokens: (request) => (slot.loaded ? handle.call((api) => api.countTokens(request)) : Promise.resolve(undefined)),
    isCached: () => handle.call((api) => (webllm ? api.webllmCache(model, 'has') : api.cacheHas(model.key))),
    forget: () => slot.reset(),

    async unload(): Promise<void> {
      slot.reset();
      const c = handle.running();
      if (c) await c.guard(c.api.unload()).catch(() => undefined);
    },
  };
}

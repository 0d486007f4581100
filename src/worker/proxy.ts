/**
 * The page-side face of a model in the inference worker, as a `BackendV3`. The worker's
 * life (start, death, restart, dispose) belongs to the shared `WorkerHandle`; a death
 * fails every call in flight with `worker_crashed` and the next call loads again (from
 * the cache) in a fresh worker.
 *
 * A GPU failure (the session cannot open, the device is lost before the first output)
 * ends that worker and continues on WASM in a fresh one: a runtime whose GPU failed is
 * never reused. After the first output it is a typed error, never a splice.
 */
import { proxy } from 'comlink';
import type { BackendLoadOptions, BackendPart, BackendRequest, BackendV3, EmbedOptions, EmbedRequest, EmbedResult, GenerateOptions } from '../backends/backend.js';
import type { ModelRole, WorkerConfig, WorkerModelFacts } from '../backends/kind.js';
import { abortedFinish } from '../backends/parts.js';
import { EdgewiseError, isEdgewiseError } from '../errors.js';
import type { ResolvedWorkerModel } from '../model/spec.js';
import type { ModelInfo, SkippedBackend } from '../types.js';
import type { WorkerHandle } from './handle.js';
import { ModelSlot } from './model-slot.js';
import type { WorkerTarget } from './protocol.js';
import { streamParts } from './stream.js';

/** Texts per worker call: large enough that the round trip is noise, small enough to bound memory. */
export const EMBED_WINDOW = 512;

export interface WorkerModel {
  model: ResolvedWorkerModel;
  role: ModelRole;
  config: WorkerConfig;
  facts: WorkerModelFacts;
}

/**
 * A failure of the GPU path that WASM would not have (the worker tags these with
 * `details.device`): the session could not open on the GPU, or the device was lost. Not
 * the probe's refusal of an explicit `'webgpu'` (no adapter, no shader-f16): nothing had
 * started, and the app insisted, so that one stays an error.
 */
const gpuFailure = (e: unknown): e is EdgewiseError => isEdgewiseError(e) && e.details['device'] === 'webgpu' && e.details['phase'] !== 'probe';

export function createWorkerBackend(handle: WorkerHandle, w: WorkerModel): BackendV3 {
  const { model, role } = w;
  let device = w.config.device ?? 'auto';
  const skipped: SkippedBackend[] = [];
  const slot = new ModelSlot<ModelInfo>(handle, model.key, (c, requestId, onProgress) => c.api.load(role, model, { ...w.config, device, requestId }, onProgress));
  /** What a shared host loads first when another tab's model holds the slot. */
  const target = (): WorkerTarget => ({ model, config: { ...w.config, device } });
  const ranOn = (): ModelInfo['ranOn'] => slot.info?.ranOn ?? (device === 'wasm' && w.facts.ranOn === 'webgpu' ? 'wasm' : w.facts.ranOn);

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
        start: (onParts) => c.guard(c.api.generate({ ...request, requestId, target: target() }, onParts)),
        abort: () => { if (!c.dead) void c.api.abort(requestId); },
      }, signal);
    } finally {
      handle.end(requestId);
    }
  }

  async function* generate(request: BackendRequest, o: GenerateOptions): AsyncGenerator<BackendPart> {
    if (o.signal?.aborted) {
      yield abortedFinish(request.startedAt, ranOn());
      return;
    }
    let started = false;
    try {
      for await (const p of stream(request, o.signal)) {
        if (p.type === 'text' || p.type === 'tool-call') started = true;
        yield p;
      }
    } catch (e) {
      if (started || !canLeaveGpu(e)) throw e;
      // Nothing reached the caller yet: the same request continues on WASM.
      leaveGpu(e);
      await load(o.signal ? { signal: o.signal } : {});
      for await (const p of stream(request, o.signal)) {
        if (p.type !== 'finish') {
          yield p;
          continue;
        }
        // The route reports the failover; the kind's metadata keeps the detail of the device it left.
        const own = p.metadata?.[model.engine];
        yield { ...p, fallback: { from: 'webgpu', code: e.code, message: e.message }, metadata: { ...p.metadata, [model.engine]: { ...own, gpuFallback: { code: e.code, message: e.message } } } };
      }
    }
  }

  /** Long inputs go in windows: the worker never holds all 10,000 texts, and an abort lands between windows too. */
  async function embed(request: EmbedRequest, o: EmbedOptions = {}): Promise<EmbedResult> {
    const vectors: Float32Array[] = [];
    const truncated: number[] = [];
    let promptTokens = 0;
    for (let start = 0; start < request.texts.length; start += EMBED_WINDOW) {
      if (o.signal?.aborted) throw new EdgewiseError('aborted', 'Embedding was aborted by its signal.');
      const texts = request.texts.slice(start, start + EMBED_WINDOW);
      const onBatch = o.onBatch && proxy((done: number) => o.onBatch?.(start + done));
      const part = await handle.request((c, requestId) => c.api.embed({ ...request, texts, requestId, target: target() }, onBatch), o.signal);
      for (const v of part.vectors) vectors.push(v);
      for (const i of part.truncated) truncated.push(start + i);
      promptTokens += part.promptTokens;
    }
    // An ONNX model's key is `id:dtype`: the same id in another dtype makes other vectors.
    return { vectors, truncated, promptTokens, ranOn: ranOn(), model: model.engine === 'onnx' ? model.key : model.id };
  }

  const backend: BackendV3 = {
    specificationVersion: 'v3',
    kind: model.engine,
    location: 'local',
    capabilities: w.facts.capabilities,
    get state() {
      return {
        ranOn: ranOn(), loaded: slot.loaded, loadError: slot.loadError, info: slot.info, skipped,
        contextLength: slot.info?.contextLength ?? w.facts.contextLength, weightBytes: model.bytes,
      };
    },
    supports: (capabilities) => w.facts.supports?.(capabilities) ?? { ok: true },
    load,
    isCached: () => handle.call((api) => api.cacheHas(model)),
    async unload(): Promise<void> {
      slot.reset();
      const c = handle.running();
      if (c) await c.guard(c.api.unload(role)).catch(() => undefined);
    },
  };
  // A model does one job: the embedding model has no generate, the generation model no embed.
  if (role === 'embed') backend.embed = embed;
  else {
    backend.generate = (request, o = {}) => generate(request, o);
    backend.countTokens = (request) => (slot.loaded ? handle.call((api) => api.countTokens(request)) : Promise.resolve(undefined));
  }
  return backend;
}

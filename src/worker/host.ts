/**
 * The worker side of the contract: owns the backends, the weights and the runtimes. It
 * holds one model per role (generation, embedding), each created through the registry of
 * worker-hosted kinds; requests run one at a time through the queue.
 */
import { releaseProxy, transfer, type Remote } from 'comlink';
import type { BackendPart, BackendV3, EmbedRequest, EmbedResult } from '../backends/backend.js';
import type { WorkerConfig, WorkerKind } from '../backends/kind.js';
import { abortedFinish } from '../backends/parts.js';
import { EdgewiseError } from '../errors.js';
import type { PackedSpans } from '../privacy/worker-spans.js';
import { cacheUsage, clearCache, deleteCachedModel, hasCachedModel, listCachedModels } from '../store/index.js';
import type { ModelInfo, Progress } from '../types.js';
import { partBatcher } from './batch.js';
import type { ModelRole, ResolvedWorkerModel, WorkerApi, WorkerFindRequest, WorkerGenerateRequest, WorkerLoadOptions, WorkerTarget } from './protocol.js';
import { RequestQueue } from './queue.js';
import { backgroundDone } from '../store/housekeeping.js';

type Callback<T> = ((value: T) => void) | Remote<(value: T) => void>;

function release(cb: unknown): void {
  const r = cb as { [releaseProxy]?: () => void } | undefined;
  r?.[releaseProxy]?.();
}

interface Slot {
  key: string;
  /** The device the page asked for: after a GPU failure its engine asks for 'wasm' (a shared host may hold another page's). */
  device: WorkerConfig['device'];
  backend: BackendV3;
}

const bug = (what: string): EdgewiseError => new EdgewiseError('runtime_error', `${what} ran before its model was loaded; this is a bug in edgewise.`);

/**
 * `kinds`: the worker-hosted kinds by name (injected by tests; the worker passes the
 * registry). `laneOf`: which page a request id belongs to, where pages share the host.
 */
export function createHost(kinds: Readonly<Record<string, WorkerKind>>, laneOf?: (requestId: number) => number): WorkerApi {
  const queue = new RequestQueue(laneOf);
  const slots = new Map<ModelRole, Slot>();
  /** Redaction detections in flight, by request id: they run beside the queue, so abort() reaches them here. */
  const finds = new Map<number, AbortController>();

  function kindOf(model: ResolvedWorkerModel): WorkerKind {
    const kind = kinds[model.engine];
    if (!kind) throw new EdgewiseError('invalid_model_spec', `The worker has no '${model.engine}' engine; it runs: ${Object.keys(kinds).join(', ')}.`);
    return kind;
  }

  async function drop(role: ModelRole): Promise<void> {
    const s = slots.get(role);
    slots.delete(role);
    await s?.backend.unload();
  }

  async function backendFor(role: ModelRole, model: ResolvedWorkerModel, o: WorkerConfig & { requestId?: number }): Promise<BackendV3> {
    const held = slots.get(role);
    if (held && holds(held, model, o)) return held.backend;
    await drop(role);
    const { requestId: _id, ...config } = o;
    const backend = kindOf(model).create(model, config, role);
    slots.set(role, { key: model.key, device: o.device, backend });
    return backend;
  }

  const holds = (slot: Slot, model: ResolvedWorkerModel, config: WorkerConfig): boolean => slot.key === model.key && slot.device === config.device;

  /** The backend of `role` for a request: its own model, loaded again if another page's request replaced it. */
  async function ready(role: ModelRole, target: WorkerTarget | undefined, signal: AbortSignal): Promise<BackendV3 | undefined> {
    const held = slots.get(role);
    if (!target || (held && holds(held, target.model, target.config))) return held?.backend;
    const backend = await backendFor(role, target.model, target.config);
    await backend.load({ signal });
    return backend;
  }

  return {
    hello(lockName: string): Promise<void> {
      const locks = globalThis.navigator?.locks;
      // Without Web Locks (insecure contexts) the page falls back to the worker's error event.
      if (!locks) return Promise.resolve();
      return new Promise((resolve) => {
        void locks.request(lockName, () => {
          resolve();
          // Held for the worker's whole life: the browser releases it when the worker dies.
          return new Promise<never>(() => undefined);
        });
      });
    },

    load(role: ModelRole, model: ResolvedWorkerModel, o: WorkerLoadOptions, onProgress?: Callback<Progress>): Promise<ModelInfo> {
      return queue.enqueue(o.requestId, async (signal) => {
        const backend = await backendFor(role, model, o);
        return backend.load({ signal, ...(onProgress ? { onProgress: (p: Progress) => void onProgress(p) } : {}) });
      }, () => {
        throw new EdgewiseError('aborted', 'Loading was aborted.');
      }, () => release(onProgress));
    },

    generate(request: WorkerGenerateRequest, onParts: Callback<BackendPart[]>): Promise<void> {
      // Stamped with where the model runs: a request aborted in the queue ran nowhere else.
      const queuedRanOn = slots.get('generate')?.backend.state.ranOn ?? 'wasm';
      return queue.enqueue(request.requestId, async (signal) => {
        const backend = await ready('generate', request.target, signal);
        if (!backend?.generate) throw bug('generate()');
        // Unawaited and batched: no round trip per token, no flood of messages either.
        const push = partBatcher((parts) => void onParts(parts));
        const { requestId: _id, target: _t, ...r } = request;
        for await (const part of backend.generate(r, { signal })) push(part);
      }, () => void onParts([abortedFinish(request.startedAt, queuedRanOn)]), () => release(onParts));
    },

    embed(request: EmbedRequest & { requestId: number; target?: WorkerTarget }, onBatch?: Callback<number>): Promise<EmbedResult> {
      return queue.enqueue(request.requestId, async (signal) => {
        const backend = await ready('embed', request.target, signal);
        if (!backend?.embed) throw bug('embed()');
        const { requestId: _id, target: _t, ...r } = request;
        const result = await backend.embed(r, { signal, ...(onBatch ? { onBatch: (done: number) => void onBatch(done) } : {}) });
        // Hand the vectors' memory to the page instead of copying it (each buffer once).
        return transfer(result, [...new Set(result.vectors.map((v) => v.buffer as ArrayBuffer))]);
      }, () => {
        throw new EdgewiseError('aborted', 'Embedding was aborted.');
      }, () => release(onBatch));
    },

    async findSpans(request: WorkerFindRequest): Promise<PackedSpans> {
      const ctl = new AbortController();
      finds.set(request.requestId, ctl);
      try {
        // The detectors (and the redaction model's code) are a lazy chunk: the worker's entry stays as it was.
        const packed = await (await import('./redact-host.js')).findInWorker(request, ctl.signal);
        return transfer(packed, packed.spans.map((p) => p.buffer as ArrayBuffer));
      } finally {
        finds.delete(request.requestId);
      }
    },

    // A dedicated worker ends with its page (`terminate()`); a shared one is asked to.
    shutdown: () => globalThis.close?.(),
    countTokens: async (request) => slots.get('generate')?.backend.countTokens?.(request),
    info: async () => ({ liveGpuTensors: Object.values(kinds).reduce((n, k) => n + (k.liveGpuTensors?.() ?? 0), 0) }),
    async loseDeviceForTests() {
      for (const k of Object.values(kinds)) if (await k.loseDeviceForTests?.()) return true;
      return false;
    },

    abort(requestId: number): void {
      queue.abort(requestId);
      finds.get(requestId)?.abort();
    },

    async cacheList(models) {
      const stored = await listCachedModels();
      for (const m of models) {
        const own = kindOf(m).cache;
        if (!own || !(await own.has(m).catch(() => false))) continue;
        stored.push({ key: m.key, url: 'url' in m ? m.url : m.spec.record?.model ?? `${m.engine} model ${m.id}`, bytes: m.bytes ?? 0, files: 0, lastUsed: 0, complete: true });
      }
      return stored;
    },
    cacheUsage: () => cacheUsage(),
    cacheHas: (model) => kindOf(model).cache?.has(model) ?? hasCachedModel(model.key),
    cacheDelete: async (model) => {
      for (const [role, s] of slots) if (s.key === model.key) await queue.serial(() => drop(role));
      return kindOf(model).cache?.delete(model) ?? deleteCachedModel(model.key);
    },
    cacheClear: () => clearCache(),
    idle: () => backgroundDone(),
    unload: (role) => queue.serial(async () => {
      for (const r of role ? [role] : [...slots.keys()]) await drop(r);
    }),
  };
}

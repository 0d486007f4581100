/**
 * Composes an engine from its options: the candidates for generation (the app's local
 * models in order, then the remote behind the redaction middleware) and for embeddings,
 * the worker they share, and the context every run reads. No behaviour of its own.
 */
import type { BackendV3 } from './backends/backend.js';
import type { ModelRole, WorkerConfig } from './backends/kind.js';
import { wrap, type BackendMiddleware } from './backends/middleware.js';
import { maskUrl } from './backends/remote/mask.js';
import { validateRemoteOptions } from './backends/remote/options.js';
import { remoteCandidate } from './backends/remote/page-kind.js';
import { capabilities as probeSync, probeCapabilities } from './capabilities.js';
import type { EngineOptions, RedactOptions } from './config-types.js';
import { EdgewiseError } from './errors.js';
import type { ResolvedWorkerModel } from './model/spec.js';
import { checkEngineOptions } from './options.js';
import type { SpanFinder } from './privacy/finder.js';
import { redaction } from './privacy/middleware.js';
import type { OffloadEnv } from './privacy/offload.js';
import { validateRedactOptions } from './privacy/options.js';
import { createCandidate, type Candidate } from './registry.js';
import type { RunContext } from './run/context.js';
import { StatsRecorder } from './stats/stats.js';
import { defaultAssetsUrl } from './worker/client.js';
import { WorkerHandle } from './worker/handle.js';
import { chooseHost } from './worker/host-choice.js';

export interface EngineParts {
  ctx: RunContext;
  /** The app's local generation models in its order, then the remote. */
  generation: BackendV3[];
  /** The embedding model, then the remote. */
  embedding: BackendV3[];
  /** Local models the worker runs (the cache API's defaults; `engine.model` is the first generation one). */
  stored: { model: ResolvedWorkerModel; role: ModelRole }[];
  handle: WorkerHandle | undefined;
  /** What `info()` says of the remote: its URL masked, since query values may be keys (`?code=…`). */
  remote: { baseURL: string; model: string } | undefined;
  caching: boolean;
}

/** The offload finder is a lazy chunk, loaded on the first request that leaves the page; a failed load (offline a moment) is tried again. */
function lazyFinder(redact: RedactOptions, env: OffloadEnv): SpanFinder {
  let finder: Promise<SpanFinder> | undefined;
  return async (texts, call) => {
    finder ??= import('./privacy/offload.js').then((m) => m.offloadFinder(redact, env), (e: unknown) => {
      finder = undefined;
      throw e;
    });
    return (await finder)(texts, call);
  };
}

function specsOf(model: EngineOptions['model']): unknown[] {
  if (model === undefined) return [];
  const list = Array.isArray(model) ? [...(model as unknown[])] : [model];
  if (list.length === 0) throw new EdgewiseError('invalid_model_spec', '`model` is an empty list: pass a model spec, or a list of them in order of preference.');
  return list;
}

export function assemble(options: EngineOptions): EngineParts {
  const o = checkEngineOptions(options);
  const remote = o.remote === undefined ? undefined : validateRemoteOptions(o.remote);
  const redact = validateRedactOptions(o.redact);
  if (o.model === undefined && o.embeddingModel === undefined && remote === undefined) {
    throw new EdgewiseError('invalid_model_spec', 'createEngine needs a local `model`, an `embeddingModel`, a `remote` endpoint, or a mix: pass at least one.');
  }
  const assetsUrl = o.assetsUrl ? new URL(o.assetsUrl, globalThis.location?.href).href : defaultAssetsUrl();
  const caching = o.cache ?? true;
  const threads = Math.min(4, probeSync().cores);
  const host = chooseHost(o.share, o.numThreads, threads, o.device);
  const numThreads = host.kind === 'shared-worker' ? 1 : o.numThreads ?? threads;
  const config: WorkerConfig = { cache: caching, eviction: o.eviction ?? 'none', numThreads, assetsUrl, device: o.device ?? 'auto', wasmWeights: o.wasmWeights ?? 'auto', wasmKernel: o.wasmKernel ?? true };
  const stored: EngineParts['stored'] = [];
  // Tabs share a host when their engines run the same models the same way (read at the first start, once `stored` is complete).
  const group = (): string => JSON.stringify([stored.map((s) => [s.role, s.model.key]), config]);
  // One worker for every local model of the engine, started on first use; none for page-only engines.
  let handle: WorkerHandle | undefined;
  const env = { handle: () => (handle ??= new WorkerHandle(assetsUrl, host, group)), config };
  // Whatever leaves the page is redacted first: the configured remote, and an app's own backend that says it is remote.
  // One middleware for the whole engine, so its memory of hidden values covers every remote.
  let redactor: BackendMiddleware | undefined;
  const guard = (b: BackendV3): BackendV3 => {
    if (b.location !== 'remote' || redact === false) return b;
    // Large inputs and redact.model are detected in the worker (issue 16): its handle is made now, so dispose() ends it.
    env.handle();
    redactor ??= redaction(redact, () => lazyFinder(redact, env));
    return wrap(b, redactor);
  };
  const local = (spec: unknown, role: ModelRole): BackendV3 => {
    const c: Candidate = createCandidate(spec, role, env);
    if (c.model) stored.push({ model: c.model, role });
    return guard(c.backend);
  };
  const generation = specsOf(o.model).map((spec) => local(spec, 'generate'));
  const embedding = o.embeddingModel === undefined ? [] : [local(o.embeddingModel, 'embed')];
  if (remote) {
    // Redaction wraps the remote as middleware: the remote backend itself knows nothing of it.
    const cloud = guard(remoteCandidate(remote));
    generation.push(cloud);
    embedding.push(cloud);
  }
  const hasLocal = [...generation, ...embedding].some((b) => b.location === 'local');
  const ctx: RunContext = {
    policy: o.policy ?? (!hasLocal ? 'remote-only' : remote ? 'prefer-local' : 'local-only'),
    maxLocalLatencyMs: o.maxLocalLatencyMs,
    route: o.route,
    capabilities: async () => ({ ...(await probeCapabilities()), ...o.capabilities }),
    stats: new StatsRecorder(),
  };
  const shown = remote && { baseURL: maskUrl(remote.baseURL), model: remote.model };
  return { ctx, generation, embedding, stored, handle, remote: shown, caching };
}

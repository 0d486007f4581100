/**
 * The facade users hold. It checks input on the calling thread, routes each request to
 * the local worker or the remote endpoint, and turns what comes back into streams.
 */
import type { Backend } from './backends/backend.js';
import type { LocalEmbedder } from './backends/local-embedder.js';
import { capabilities as probeSync, probeCapabilities, type Capabilities } from './capabilities.js';
import type { DispatchContext } from './dispatch.js';
import type { EmbedContext } from './embed/dispatch.js';
import { createEngineCache, type EngineCache } from './engine-cache.js';
import { EdgewiseError, isEdgewiseError } from './errors.js';
import { buildLocals, specsOf } from './local-candidates.js';
import { resolveModel, resolveWebLLM, type ResolvedWorkerModel } from './model/spec.js';
import { checkEngineOptions, checkLoadOptions } from './options.js';
import { toChunks, toCompletion, type ChatCompletion, type ChatCompletionChunk, type ChatCompletionCreateParams } from './openai.js';
import { validateRedactOptions } from './privacy/options.js';
import type { Policy } from './route/vocab.js';
import { StatsRecorder, type EngineStats } from './stats/stats.js';
import { requestPersistenceOnce } from './store/persist.js';
import type { CreateEmbeddingResponse, EmbeddingCreateParams } from './openai-embeddings.js';
import type { EmbeddingOptions, Embeddings, GenerateRequest, LoadOptions, ModelInfo, Part } from './types.js';
import type { EngineOptions } from './config-types.js';
import { checkRequest } from './validate.js';
import { defaultAssetsUrl } from './worker/client.js';
import { disposedError, WorkerHandle } from './worker/handle.js';
import { validateRemoteOptions } from './backends/remote/options.js';
import { now } from './clock.js';

export interface EngineInfo {
  /** The generation model, once loaded. */
  model?: ModelInfo;
  /** The embedding model, once loaded. */
  embeddingModel?: ModelInfo;
  remote?: { baseURL: string; model: string };
  /** GPU-resident tensors the worker holds (the KV cache on WebGPU); 0 on WASM. */
  liveGpuTensors: number;
}

export interface Engine {
  /** The first local model in the worker after catalog lookup and defaults; undefined without one. */
  readonly model: Readonly<ResolvedWorkerModel> | undefined;
  /**
   * Downloads (or reads from the cache) and opens the local model. Optional: `generate()`
   * loads lazily. Concurrent calls share one load; each caller's signal only ends its own wait.
   * @example await engine.load({ onProgress: (p) => bar.value = p.totalLoaded / p.totalBytes });
   */
  load(options?: LoadOptions): Promise<ModelInfo>;
  /**
   * Streams `text` parts, then exactly one `finish` part saying where it ran and why.
   * Invalid requests throw at once.
   * @example for await (const p of engine.generate({ prompt: 'Hi', maxTokens: 16 })) if (p.type === 'text') out += p.text;
   */
  generate(request: GenerateRequest): AsyncIterable<Part>;
  /** The whole generated text of a request. @example const reply = await engine.text({ messages }); */
  text(request: GenerateRequest): Promise<string>;
  /** OpenAI-compatible chat completions over the same engine. */
  readonly chat: {
    completions: {
      create(params: ChatCompletionCreateParams & { stream: true }): Promise<AsyncIterable<ChatCompletionChunk>>;
      create(params: ChatCompletionCreateParams & { stream?: false }): Promise<ChatCompletion>;
    };
  };
  readonly cache: EngineCache;
  /**
   * One vector per text, in input order, from the local embedding model or the remote
   * endpoint as the policy says. Texts cut at the model's maximum length are listed in
   * `truncated`; an empty list gives `[]`.
   * @example const [a, b] = await engine.embed(['The cat sat.', 'A kitten lay.']); const cos = dot(a, b);
   */
  embed(texts: readonly string[], options?: EmbeddingOptions): Promise<Embeddings>;
  /** OpenAI-compatible embeddings over the same engine. */
  readonly embeddings: { create(params: EmbeddingCreateParams): Promise<CreateEmbeddingResponse> };
  /** The device facts routing uses (probed once, cached; `online` is read fresh). */
  capabilities(): Promise<Capabilities>;
  /**
   * What is loaded where: the generation and embedding models' engines and devices (and why
   * that device), plus the GPU tensors the worker holds.
   */
  info(): Promise<EngineInfo>;
  /** Requests, tokens, latency and cost per place they ran, over the engine's lifetime. */
  stats(): EngineStats;
  /** Cancels requests in flight, releases the model and ends the worker; settles within a second. */
  dispose(): Promise<void>;
}


/**
 * @example
 * const engine = createEngine({
 *   model: { id: 'stories260K', url: '/models/stories260K-onnx/', dtype: 'q4' },
 *   remote: { baseURL: 'https://llm.example.com/v1', model: 'small', token: getShortLivedToken },
 * });
 * for await (const part of engine.generate({ prompt: 'Once upon a time', maxTokens: 64 })) {
 *   if (part.type === 'text') console.log(part.text);
 *   else console.log(part.ranOn, part.route.reason);
 * }
 */
export function createEngine(options: EngineOptions): Engine {
  const o = checkEngineOptions(options);
  const remoteOptions = o.remote === undefined ? undefined : validateRemoteOptions(o.remote);
  const redact = validateRedactOptions(o.redact);
  if (o.model === undefined && o.embeddingModel === undefined && remoteOptions === undefined) {
    throw new EdgewiseError('invalid_model_spec', 'createEngine needs a local `model`, an `embeddingModel`, a `remote` endpoint, or a mix: pass at least one.');
  }
  const specs = specsOf(o.model);
  const needsWorker = specs.some((sp) => sp.engine !== 'builtin');
  const embeddingModel = o.embeddingModel === undefined ? undefined
    : o.embeddingModel.engine === 'webllm' ? resolveWebLLM(o.embeddingModel) : resolveModel(o.embeddingModel, 'fp32');
  const hasLocal = specs.length > 0 || embeddingModel !== undefined;
  const policy: Policy = o.policy ?? (!hasLocal ? 'remote-only' : remoteOptions ? 'prefer-local' : 'local-only');
  const assetsUrl = o.assetsUrl ? new URL(o.assetsUrl, globalThis.location?.href).href : defaultAssetsUrl();
  const caching = o.cache ?? true;
  const onnxConfig = { cache: caching, eviction: o.eviction ?? 'none', numThreads: o.numThreads ?? Math.min(4, probeSync().cores), assetsUrl, device: o.device ?? 'auto', wasmWeights: o.wasmWeights ?? 'auto' } as const;
  // One worker for every local model of the engine; none at all for a remote-only engine.
  const handle = needsWorker || embeddingModel ? new WorkerHandle(assetsUrl) : undefined;
  const { locals, workerModels, workerBackends } = buildLocals(specs, handle, onnxConfig);
  const model = workerModels[0];
  // The embedding code is a lazy chunk, imported on the first embed() call.
  let embedder: LocalEmbedder | undefined;
  let embedding: Promise<{ mod: typeof import('./embed/index.js'); ctx: EmbedContext }> | undefined;
  const embeddingKit = (): NonNullable<typeof embedding> => (embedding ??= import('./embed/index.js').then((mod) => {
    embedder = embeddingModel && handle && mod.createLocalEmbedder(handle, embeddingModel, onnxConfig);
    return { mod, ctx: { local: embedder, remote: remoteBackend, redact, policy, capabilities: ctx.capabilities, stats } };
  }));
  let remote: Promise<Backend> | undefined;
  let disposed = false;
  const stats = new StatsRecorder();

  // Imported on first remote use: a local-only app never downloads the remote code.
  const remoteBackend = remoteOptions && ((): Promise<Backend> => (remote ??= import('./backends/remote/index.js').then((m) => m.createRemoteBackend(remoteOptions))));
  const ctx: DispatchContext = {
    locals,
    remote: remoteBackend,
    redact,
    policy,
    maxLocalLatencyMs: o.maxLocalLatencyMs,
    route: o.route,
    capabilities: async () => ({ ...(await probeCapabilities()), ...o.capabilities }),
    stats,
  };

  /** The first local candidate that loads (the same chain generate() walks). */
  async function loadFirstLocal(lo: LoadOptions): Promise<ModelInfo | undefined> {
    if (locals.length === 0) return undefined;
    const caps = await ctx.capabilities();
    let last: unknown;
    for (const l of locals) {
      await l.refresh?.().catch(() => undefined);
      const s = l.supports({ maxTokens: 1, temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1, seed: 0, stop: [], includeTokenIds: false, startedAt: 0, prompt: '' }, caps);
      // An explicit load() retries a model whose last load failed; only the device rules it out.
      if (!s.ok && s.code !== 'load_failed') continue;
      try {
        return await l.load(lo);
      } catch (e) {
        last = e;
        if (lo.signal?.aborted || (isEdgewiseError(e) && e.code === 'disposed')) throw e;
      }
    }
    if (last) throw last;
    throw new EdgewiseError('no_backend', 'None of the local models can run on this device (see engine.capabilities()); pass another model or a remote endpoint.');
  }

  async function load(lo?: LoadOptions): Promise<ModelInfo> {
    const checked = checkLoadOptions(lo);
    if (disposed) throw disposedError();
    // Only pages have persist(); the worker that stores the weights cannot ask.
    if (caching && hasLocal) void requestPersistenceOnce();
    // One model after the other: progress events name the model they are about.
    const info = await loadFirstLocal(checked);
    const embedInfo = embeddingModel ? await (await embeddingKit()).ctx.local?.load(checked) : undefined;
    return info ?? (embedInfo ? { ranOn: embedInfo.ranOn, contextLength: embedInfo.maxLength } : { ranOn: 'remote' });
  }

  async function embed(texts: readonly string[], options?: EmbeddingOptions): Promise<Embeddings> {
    const { mod, ctx: embedCtx } = await embeddingKit();
    const checked = mod.checkEmbed(texts, options);
    if (disposed) throw disposedError();
    if (caching && embeddingModel) void requestPersistenceOnce();
    return mod.dispatchEmbed(embedCtx, checked);
  }

  function run(request: GenerateRequest, stream: boolean): AsyncGenerator<Part> {
    const checked = checkRequest(request, now());
    async function* go(): AsyncGenerator<Part> {
      if (disposed) throw disposedError();
      if (caching && needsWorker) void requestPersistenceOnce();
      // The router and the dispatcher are a lazy chunk (shared with embed()): the page
      // pays for them on its first request, not on load.
      const { dispatch } = await import('./dispatch.js');
      yield* dispatch(ctx, checked, request, stream);
    }
    return go();
  }

  async function text(request: GenerateRequest): Promise<string> {
    let out = '';
    for await (const p of run(request, false)) if (p.type === 'text') out += p.text;
    return out;
  }

  function create(params: ChatCompletionCreateParams & { stream: true }): Promise<AsyncIterable<ChatCompletionChunk>>;
  function create(params: ChatCompletionCreateParams & { stream?: false }): Promise<ChatCompletion>;
  async function create(params: ChatCompletionCreateParams): Promise<AsyncIterable<ChatCompletionChunk> | ChatCompletion> {
    const req: GenerateRequest = { messages: params.messages };
    if (params.max_tokens !== undefined) req.maxTokens = params.max_tokens;
    if (params.temperature !== undefined) req.temperature = params.temperature;
    if (params.top_p !== undefined) req.topP = params.top_p;
    if (params.seed !== undefined) req.seed = params.seed;
    if (params.stop !== undefined) req.stop = typeof params.stop === 'string' ? [params.stop] : params.stop;
    if (params.signal !== undefined) req.signal = params.signal;
    const name = model?.id ?? remoteOptions?.model ?? 'edgewise';
    return params.stream ? toChunks(run(req, true), name) : toCompletion(run(req, false), name);
  }

  const cache = createEngineCache({
    handle,
    disposed: () => disposed,
    models: embeddingModel ? [...workerModels, embeddingModel] : workerModels,
    forget: (key) => {
      for (const b of workerBackends) if (key === undefined || b.model.key === key) b.forget();
      if (key === undefined || key === embeddingModel?.key) embedder?.forget();
    },
  });

  return {
    model,
    load,
    generate: (request) => run(request, true),
    text,
    chat: { completions: { create } },
    embed,
    embeddings: { create: async (params) => (await embeddingKit()).mod.createEmbedding(embed, params, embeddingModel?.id ?? remoteOptions?.model ?? 'edgewise') },
    cache,
    capabilities: () => ctx.capabilities(),
    stats: () => stats.snapshot(),
    async info() {
      if (disposed) throw disposedError();
      const running = handle?.running();
      const worker = running ? await running.guard(running.api.info()) : undefined;
      const out: EngineInfo = { liveGpuTensors: worker?.liveGpuTensors ?? 0 };
      const loadedLocal = locals.find((l) => l.info);
      if (loadedLocal?.info) out.model = loadedLocal.info;
      if (embedder?.info) out.embeddingModel = { ranOn: embedder.info.ranOn, engine: 'onnx', contextLength: embedder.info.maxLength };
      if (remoteOptions) out.remote = { baseURL: remoteOptions.baseURL, model: remoteOptions.model };
      return out;
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await handle?.dispose();
    },
  };
}

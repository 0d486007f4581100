/**
 * The facade users hold. It validates on the calling thread, starts the worker on
 * first use, loads lazily, and turns the worker's pushed parts into streams.
 */
import { proxy } from 'comlink';
import { capabilities } from './capabilities.js';
import { requestPersistenceOnce } from './store/persist.js';
import { EdgewiseError, isEdgewiseError } from './errors.js';
import { cacheKey, resolveModel } from './model/spec.js';
import { toChunks, toCompletion, type ChatCompletion, type ChatCompletionChunk, type ChatCompletionCreateParams } from './openai.js';
import { streamParts } from './stream.js';
import type { CacheUsage, CachedModelInfo, EngineOptions, GenerateRequest, LoadOptions, ModelSpec, Part, Progress } from './types.js';
import { toWorkerRequest } from './validate.js';
import { defaultAssetsUrl, startWorker, type WorkerClient } from './worker/client.js';
import type { ModelInfo, ResolvedModel } from './worker/protocol.js';

export interface EngineCache {
  /** Models in the IndexedDB cache, with sizes and last use. */
  list(): Promise<CachedModelInfo[]>;
  /** Bytes edgewise holds, plus the origin's quota and usage. */
  usage(): Promise<CacheUsage>;
  /** Whether a model (default: this engine's) is fully cached, so it loads offline. */
  has(model?: ModelSpec): Promise<boolean>;
  /** Removes a model (default: this engine's) from the cache. */
  delete(model?: ModelSpec): Promise<boolean>;
  /** Removes every cached model. */
  clear(): Promise<void>;
}

export interface Engine {
  /** The model after catalog lookup and defaults (URL, dtype, cache key). */
  readonly model: Readonly<ResolvedModel>;
  /**
   * Downloads (or reads from the cache) and opens the model. Optional: `generate()` loads
   * lazily. Concurrent calls share one load.
   * @example await engine.load({ onProgress: (p) => bar.value = p.totalLoaded / p.totalBytes });
   */
  load(options?: LoadOptions): Promise<ModelInfo>;
  /**
   * Streams `text` parts, then exactly one `finish` part. Invalid requests throw at once.
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
  /** Cancels requests in flight, releases the session and ends the worker. */
  dispose(): Promise<void>;
}

const now = (): number => performance.timeOrigin + performance.now();

/**
 * @example
 * const engine = createEngine({ model: { id: 'stories260K', url: '/models/stories260K-onnx/', dtype: 'q4' } });
 * for await (const part of engine.generate({ prompt: 'Once upon a time', maxTokens: 64 })) {
 *   if (part.type === 'text') console.log(part.text);
 * }
 */
export function createEngine(options: EngineOptions): Engine {
  const model = resolveModel(options?.model);
  const assetsUrl = options.assetsUrl ? new URL(options.assetsUrl, globalThis.location?.href).href : defaultAssetsUrl();
  const numThreads = options.numThreads ?? Math.min(4, capabilities().cores);
  let client: WorkerClient | undefined;
  let disposed = false;
  let loading: Promise<ModelInfo> | undefined;
  let nextId = 1;
  // Requests in flight in the worker, so dispose() can cancel them instead of waiting.
  const active = new Set<number>();

  function worker(): WorkerClient {
    if (disposed) throw new EdgewiseError('disposed', 'The engine was disposed; create a new one with createEngine().');
    client ??= startWorker(assetsUrl);
    return client;
  }
  const call = <T>(f: (c: WorkerClient) => Promise<T>): Promise<T> => {
    const c = worker();
    return Promise.race([f(c), c.failure]);
  };

  function load(o: LoadOptions = {}): Promise<ModelInfo> {
    if (o.signal?.aborted) return Promise.reject(new EdgewiseError('aborted', 'Loading was aborted before it started.'));
    if (loading) return loading;
    const requestId = nextId++;
    const onAbort = (): void => void client?.api.abort(requestId);
    o.signal?.addEventListener('abort', onAbort, { once: true });
    const onProgress = o.onProgress ? proxy((p: Progress) => o.onProgress?.(p)) : undefined;
    const opts = { cache: options.cache ?? true, eviction: options.eviction ?? 'none', numThreads, assetsUrl, requestId } as const;
    // Only pages have persist(); the worker that stores the weights cannot ask.
    if (opts.cache) void requestPersistenceOnce();
    const p = call((c) => c.api.load(model, opts, onProgress));
    loading = p;
    active.add(requestId);
    p.finally(() => active.delete(requestId)).catch(() => undefined);
    // A failed or aborted load must not stick: the next call tries again (and resumes).
    p.catch(() => { if (loading === p) loading = undefined; }).finally(() => o.signal?.removeEventListener('abort', onAbort));
    return p;
  }

  function generate(request: GenerateRequest): AsyncIterable<Part> {
    const wreq = toWorkerRequest(request, nextId++, now());
    const signal = request.signal;
    async function* run(): AsyncGenerator<Part> {
      await ensureLoaded(signal);
      if (signal?.aborted) {
        const usage = { promptTokens: 0, completionTokens: 0, timeToFirstTokenMs: 0, tokensPerSecond: 0, totalMs: now() - wreq.startedAt };
        yield { type: 'finish', reason: 'abort', usage, ranOn: { backend: 'onnx', device: 'wasm', reason: 'aborted before generation started' } };
        return;
      }
      const c = worker();
      active.add(wreq.requestId);
      try {
        yield* streamParts({
          start: (onParts) => Promise.race([c.api.generate(wreq, onParts), c.failure]),
          abort: () => void c.api.abort(wreq.requestId),
        }, signal);
      } finally {
        active.delete(wreq.requestId);
      }
    }
    return run();
  }

  /** Lazy load for generate(): its own abort ends the stream; another caller's aborted load is retried once. */
  async function ensureLoaded(signal: AbortSignal | undefined): Promise<void> {
    const opts = signal ? { signal } : {};
    try {
      await load(opts);
    } catch (e) {
      if (!isEdgewiseError(e) || e.code !== 'aborted') throw e;
      if (signal?.aborted) return;
      await load(opts);
    }
  }

  async function text(request: GenerateRequest): Promise<string> {
    let out = '';
    for await (const p of generate(request)) if (p.type === 'text') out += p.text;
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
    const parts = generate(req);
    return params.stream ? toChunks(parts, model.id) : toCompletion(parts, model.id);
  }

  const keyOf = (spec?: ModelSpec): string => (spec ? cacheKey(spec.id, resolveModel(spec).dtype) : model.key);
  const cache: EngineCache = {
    list: () => call((c) => c.api.cacheList()),
    usage: () => call((c) => c.api.cacheUsage()),
    has: (spec) => call((c) => c.api.cacheHas(keyOf(spec))),
    delete: async (spec) => {
      const key = keyOf(spec);
      if (key === model.key) loading = undefined;
      return call((c) => c.api.cacheDelete(key));
    },
    clear: async () => {
      loading = undefined;
      return call((c) => c.api.cacheClear());
    },
  };

  return {
    model,
    load,
    generate,
    text,
    chat: { completions: { create } },
    cache,
    async dispose() {
      if (disposed) return;
      try {
        for (const id of active) void client?.api.abort(id);
        await client?.api.unload();
      } finally {
        disposed = true;
        client?.terminate();
        client = undefined;
      }
    },
  };
}

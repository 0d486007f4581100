/**
 * web-llm's embedding models (snowflake-arctic-embed, compiled for WebGPU) as an
 * embed-only `BackendV3` (no `generate`). Loading, progress, abort-during-load, support
 * and error mapping are the generation adapter's own.
 *
 * - Batches: one `embeddings.create` per at most min(`batchSize`, the library's compiled
 *   batch) texts, the latter read from the id (`-b32`) or library (`_batch32`). web-llm
 *   would split a larger input itself, but inside one call, where neither an abort nor
 *   `onBatch` can land between its forward passes.
 * - Abort: checked before each batch; web-llm cannot stop a forward pass, so an abort takes
 *   effect after the batch in flight (at most one batch late).
 * - Truncation: web-llm 0.2.86 rejects a text longer than the context window
 *   (`EmbeddingExceedContextWindowSizeError` → `context_overflow`) rather than cutting it,
 *   and says nothing of any cut its tokenizer may make first (a TODO in its
 *   `EmbeddingPipeline.embedStep`), so `truncated` is always empty.
 * - Pooling: web-llm always takes the first token's output (`cls`); another is refused.
 * - Empty strings: web-llm refuses them (`EmbeddingInputEmptyError`); they are refused
 *   here first, with their index, before any batch runs.
 */
import { EdgewiseError, isEdgewiseError } from '../../errors.js';
import type { WebLLMModelSpec } from '../../config-types.js';
import type { ModelInfo } from '../../types.js';
import type { BackendLoadOptions, BackendState, BackendV3, EmbedOptions, EmbedRequest, EmbedResult } from '../backend.js';
import { l2Normalize } from '../onnx/encoder/pool.js';
import type { WebLLMDeps } from './backend.js';
import { cacheCall } from './cache.js';
import { WEBLLM_EMBEDDER_CAPABILITIES } from './capabilities.js';
import { resolveEmbeddingModel } from './embedding-model.js';
import { toEdgewiseError } from './failure.js';
import { checkSpec, needsShaderF16 } from './model.js';
import { importWebLLM, memoModule, type WebLLMEngine } from './module.js';
import { abortedError, openEngine } from './open.js';
import { LoadSlot } from './slot.js';
import { webllmSupport } from './support.js';

/** What the loaded embedding model is, beyond `ModelInfo`: the vector size the page needs. */
export interface WebLLMEmbedderInfo {
  ranOn: 'webllm';
  /** Length of each vector (probed at load: web-llm does not report it before it runs). */
  dims: number;
  /** Tokens per text. */
  maxLength: number;
  /** Always false: web-llm pools by the first token, with no separate pooled head. */
  hasPooledOutput: false;
}

/** An embed-only `BackendV3` over web-llm, plus the embedding facts `ModelInfo` has no room for. */
export interface WebLLMEmbedder extends BackendV3 {
  embed(request: EmbedRequest, options?: EmbedOptions): Promise<EmbedResult>;
  isCached(): Promise<boolean>;
  /** Set once loaded; undefined before and after `unload()`. */
  readonly embedderInfo: WebLLMEmbedderInfo | undefined;
}

interface Loaded {
  engine: WebLLMEngine;
  modelId: string;
  maxBatch: number | undefined;
  info: ModelInfo;
  embedding: WebLLMEmbedderInfo;
}


/** Text of the one-text embedding run at load: it gives the vector size, which web-llm does not report before it runs. */
const PROBE_TEXT = 'edgewise';

const quiet = (p: Promise<unknown>): Promise<void> => p.then(() => undefined, () => undefined);

function checkRequest(request: EmbedRequest): void {
  if (request.pooling !== undefined && request.pooling !== 'cls') {
    throw new EdgewiseError('invalid_option', `web-llm embedding models pool by their first token ('cls'); pooling '${request.pooling}' is not available. Leave pooling unset.`, { details: { option: 'pooling' } });
  }
  const empty = request.texts.findIndex((t) => t.length === 0);
  if (empty >= 0) {
    throw new EdgewiseError('invalid_input', `Text ${empty} is empty, and web-llm cannot embed an empty string; drop it or replace it.`, { details: { index: empty } });
  }
}

/** web-llm's answer as vectors in input order (it sends `index`; order is not assumed). */
function vectorsOf(data: readonly { embedding: number[]; index: number }[], count: number, modelId: string): Float32Array[] {
  const out: (Float32Array | undefined)[] = new Array<Float32Array | undefined>(count);
  for (const d of data) if (d.index >= 0 && d.index < count) out[d.index] = Float32Array.from(d.embedding);
  if (data.length !== count || out.some((v) => v === undefined)) {
    throw new EdgewiseError('runtime_error', `web-llm returned ${data.length} embeddings for ${count} texts.`, { details: { modelId } });
  }
  return out as Float32Array[];
}

/**
 * @example
 * const embedder = createWebLLMEmbedder({ engine: 'webllm', id: 'snowflake-arctic-embed-s-q0f32-MLC-b4' });
 * await embedder.load({ onProgress: (p) => console.log(p.totalLoaded / p.totalBytes) });
 * const { vectors } = await embedder.embed({ texts: ['a cat', 'a dog'], batchSize: 32, normalize: true });
 * console.log(embedder.embedderInfo?.dims);
 */
export function createWebLLMEmbedder(spec: WebLLMModelSpec, deps: WebLLMDeps = {}): WebLLMEmbedder {
  checkSpec(spec);
  const webllm = memoModule(deps.loadModule ?? importWebLLM);
  const slot = new LoadSlot<Loaded>();
  const needsF16 = needsShaderF16(spec);
  let lastLoadError: EdgewiseError | undefined;
  let contextLength: number | undefined;

  async function open(o: BackendLoadOptions, stop: AbortSignal): Promise<Loaded> {
    const signal = o.signal ? AbortSignal.any([o.signal, stop]) : stop;
    if (signal.aborted) throw abortedError();
    const mod = await webllm();
    const model = resolveEmbeddingModel(spec, mod.prebuiltAppConfig);
    contextLength = model.maxLength;
    const engine = await openEngine(mod, model, { signal, bytes: spec.bytes, onProgress: o.onProgress });
    let dims: number;
    try {
      const probe = await engine.embeddings.create({ input: [PROBE_TEXT], model: model.modelId });
      dims = probe.data[0]?.embedding.length ?? 0;
      if (dims === 0) throw new EdgewiseError('runtime_error', `web-llm returned no embedding for '${model.modelId}'.`, { details: { modelId: model.modelId } });
      if (signal.aborted) throw abortedError();
    } catch (e) {
      void quiet(engine.unload());
      throw toEdgewiseError(e, 'load', model.modelId);
    }
    // web-llm's pipeline keeps the first token's output, which no separate pooled head gives.
    const embedding: WebLLMEmbedderInfo = { ranOn: 'webllm', dims, maxLength: model.maxLength, hasPooledOutput: false };
    const info: ModelInfo = { ranOn: 'webllm', engine: 'webllm', contextLength: model.maxLength, dims };
    return { engine, modelId: model.modelId, maxBatch: model.maxBatch, info, embedding };
  }

  return {
    specificationVersion: 'v3',
    kind: 'webllm',
    location: 'local',
    capabilities: WEBLLM_EMBEDDER_CAPABILITIES,

    get state(): BackendState {
      const l = slot.value;
      return { ranOn: 'webllm', loaded: l !== undefined, loadError: lastLoadError, info: l?.info, contextLength, weightBytes: spec.bytes };
    },

    get embedderInfo() {
      return slot.value?.embedding;
    },

    supports: (capabilities) => webllmSupport(capabilities, needsF16, lastLoadError),

    /** Concurrent calls share one load, governed by the first caller's signal. */
    async load(o: BackendLoadOptions = {}): Promise<ModelInfo> {
      const l = slot.value;
      if (l) return l.info;
      try {
        const opened = await slot.load((stop) => open(o, stop));
        lastLoadError = undefined;
        return opened.info;
      } catch (e) {
        if (isEdgewiseError(e) && e.code !== 'aborted') lastLoadError = e;
        throw e;
      }
    },

    async embed(request: EmbedRequest, options: EmbedOptions = {}): Promise<EmbedResult> {
      const { texts } = request;
      if (texts.length === 0) return { vectors: [], truncated: [], promptTokens: 0, ranOn: 'webllm' };
      const l = slot.value;
      if (!l) throw new EdgewiseError('runtime_error', 'embed() ran before the embedding model was loaded; this is a bug in edgewise.');
      checkRequest(request);
      const size = Math.max(1, Math.min(Math.floor(request.batchSize), l.maxBatch ?? Infinity));
      const vectors: Float32Array[] = [];
      let promptTokens = 0;
      for (let start = 0; start < texts.length; start += size) {
        if (options.signal?.aborted) throw new EdgewiseError('aborted', 'Embedding was aborted.');
        if (slot.value !== l) throw new EdgewiseError('aborted', 'The embedding model was unloaded during embed().');
        const batch = texts.slice(start, start + size);
        let response: Awaited<ReturnType<WebLLMEngine['embeddings']['create']>>;
        try {
          response = await l.engine.embeddings.create({ input: batch, model: l.modelId });
        } catch (e) {
          throw toEdgewiseError(e, 'embed', l.modelId);
        }
        for (const v of vectorsOf(response.data, batch.length, l.modelId)) vectors.push(request.normalize ? l2Normalize(v) : v);
        promptTokens += response.usage.prompt_tokens;
        options.onBatch?.(vectors.length);
      }
      return { vectors, truncated: [], promptTokens, ranOn: 'webllm' };
    },

    // A cache that cannot be read holds nothing the router may count on.
    async isCached(): Promise<boolean> {
      try {
        return await cacheCall(await webllm(), spec, 'has');
      } catch {
        return false;
      }
    },

    async unload() {
      const l = await slot.take();
      if (!l) return;
      try {
        await l.engine.unload();
      } catch (e) {
        throw toEdgewiseError(e, 'unload', l.modelId);
      }
    },
  };
}

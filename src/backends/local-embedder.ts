/**
 * The page-side face of the worker's embedding model. Long inputs go to the worker in
 * windows, one after another: the page never hands the worker (or the tokenizer) all
 * 10,000 texts at once, an abort lands between windows as well as between batches, and
 * progress counts texts across windows.
 */
import { proxy } from 'comlink';
import { EdgewiseError } from '../errors.js';
import type { ResolvedWorkerModel } from '../model/spec.js';
import type { EmbedderInfo } from '../worker/protocol.js';
import type { WorkerHandle } from '../worker/handle.js';
import type { BackendLoadOptions, EmbedOptions, EmbedRequest, EmbedResult } from './backend.js';
import { ModelSlot } from './model-slot.js';
import type { OnnxConfig } from './onnx/backend.js';

/** Texts per worker call: large enough that the round trip is noise, small enough to bound memory. */
export const EMBED_WINDOW = 512;

export interface LocalEmbedder {
  readonly model: Readonly<ResolvedWorkerModel>;
  readonly loaded: boolean;
  readonly loadError: EdgewiseError | undefined;
  readonly info: EmbedderInfo | undefined;
  load(o?: BackendLoadOptions): Promise<EmbedderInfo>;
  embed(request: EmbedRequest, options?: EmbedOptions): Promise<EmbedResult>;
  isCached(): Promise<boolean>;
  forget(): void;
}

export function createLocalEmbedder(handle: WorkerHandle, model: ResolvedWorkerModel, config: OnnxConfig): LocalEmbedder {
  const slot = new ModelSlot<EmbedderInfo>(handle, model.key, (c, requestId, onProgress) => c.api.loadEmbedder(model, { ...config, requestId }, onProgress));

  return {
    model,
    get loaded() { return slot.loaded; },
    get loadError() { return slot.loadError; },
    get info() { return slot.info; },
    load: (o) => slot.load(o),
    isCached: () => handle.call((api) => (model.engine === 'webllm' ? api.webllmCache(model, 'has') : api.cacheHas(model.key))),
    forget: () => slot.reset(),

    async embed(request, o = {}) {
      const vectors: Float32Array[] = [];
      const truncated: number[] = [];
      let promptTokens = 0;
      for (let start = 0; start < request.texts.length; start += EMBED_WINDOW) {
        if (o.signal?.aborted) throw new EdgewiseError('aborted', 'Embedding was aborted by its signal.');
        const texts = request.texts.slice(start, start + EMBED_WINDOW);
        const onBatch = o.onBatch && proxy((done: number) => o.onBatch?.(start + done));
        const part = await handle.request((c, requestId) => c.api.embed({ ...request, texts, requestId }, onBatch), o.signal);
        for (const v of part.vectors) vectors.push(v);
        for (const i of part.truncated) truncated.push(start + i);
        promptTokens += part.promptTokens;
      }
      return { vectors, truncated, promptTokens, ranOn: slot.info?.ranOn ?? 'wasm' };
    },
  };
}

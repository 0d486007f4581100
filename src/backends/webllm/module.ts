/**
 * The only file that loads `@mlc-ai/web-llm` at run time, and only inside `load()`, so a
 * page that never runs an MLC model never downloads its 6 MB bundle. Everything else in
 * this folder imports web-llm's types only (erased at build time).
 *
 * The adapter asks for the narrow structural slice below rather than the whole module, so
 * a recording fake (`test/fakes/fake-mlc-engine.ts`) can stand in for it; the default
 * loader's type annotation proves the real module fits that slice.
 */
import type {
  AppConfig,
  ChatCompletionChunk,
  ChatCompletionRequestStreaming,
  CreateEmbeddingResponse,
  EmbeddingCreateParams,
  MLCEngineConfig,
  MLCEngineInterface,
} from '@mlc-ai/web-llm';
import { EdgewiseError } from '../../errors.js';

/** What the adapters use of an engine: load, stream or embed, interrupt, release. */
export type WebLLMEngine = Pick<MLCEngineInterface, 'reload' | 'unload' | 'interruptGenerate'> & {
  chat: { completions: { create(request: ChatCompletionRequestStreaming): Promise<AsyncIterable<ChatCompletionChunk>> } };
  embeddings: { create(request: EmbeddingCreateParams): Promise<CreateEmbeddingResponse> };
};

/**
 * What the adapter uses of `@mlc-ai/web-llm`. `MLCEngine` rather than `CreateMLCEngine`:
 * `CreateMLCEngine` hands over the engine only once it has loaded, and an abort during
 * the load needs the engine in hand to call its `unload()` (which aborts web-llm's own
 * fetches through its reload controller).
 */
export interface WebLLMModule {
  MLCEngine: new (config: MLCEngineConfig) => WebLLMEngine;
  prebuiltAppConfig: AppConfig;
  hasModelInCache(modelId: string, appConfig?: AppConfig): Promise<boolean>;
  deleteModelAllInfoInCache(modelId: string, appConfig?: AppConfig): Promise<void>;
}

/** The real module, loaded lazily; the annotation is the compile-time proof that it fits. */
export const importWebLLM: () => Promise<WebLLMModule> = () => import('@mlc-ai/web-llm');

/**
 * `load` run once and remembered; a failed import is forgotten (so a later call retries,
 * e.g. after a flaky chunk fetch) and surfaces as a typed `runtime_error`.
 */
export function memoModule(load: () => Promise<WebLLMModule>): () => Promise<WebLLMModule> {
  let pending: Promise<WebLLMModule> | undefined;
  return async () => {
    pending ??= load();
    try {
      return await pending;
    } catch (cause) {
      pending = undefined;
      throw new EdgewiseError('runtime_error', '@mlc-ai/web-llm could not be loaded; check that it is installed and bundled with the worker.', { cause });
    }
  };
}

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
  MLCEngineConfig,
  MLCEngineInterface,
} from '@mlc-ai/web-llm';

/** What the adapter uses of an engine: load, stream, interrupt, release. */
export type WebLLMEngine = Pick<MLCEngineInterface, 'reload' | 'unload' | 'interruptGenerate'> & {
  chat: { completions: { create(request: ChatCompletionRequestStreaming): Promise<AsyncIterable<ChatCompletionChunk>> } };
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

/**
 * The web-llm backend's door. The worker host imports it; nothing here loads
 * `@mlc-ai/web-llm` until a backend's `load()` (or a cache call) runs.
 */
export { createWebLLMBackend, type WebLLMBackend, type WebLLMDeps } from './backend.js';
export { webllmCache, type WebLLMCacheOp } from './cache.js';
export { createWebLLMEmbedder, type WebLLMEmbedder, type WebLLMEmbedderInfo } from './embedder.js';
export { FUNCTION_CALLING_MODEL_IDS, WEBLLM_EMBEDDER_CAPABILITIES, webllmCapabilities } from './capabilities.js';
export { webllmCacheKey } from './model.js';
export type { WebLLMEngine, WebLLMModule } from './module.js';
export type { GpuFacts } from './support.js';

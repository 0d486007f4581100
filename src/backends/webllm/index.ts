/**
 * The web-llm backend's door. The worker host imports it; nothing here loads
 * `@mlc-ai/web-llm` until a backend's `load()` (or a cache call) runs.
 */
export { createWebLLMBackend, type WebLLMBackend, type WebLLMDeps } from './backend.js';
export { createWebLLMEmbedder, type WebLLMEmbedder, type WebLLMEmbedderInfo } from './embedder.js';
export { webllmCacheKey } from './model.js';
export type { WebLLMEngine, WebLLMModule } from './module.js';
export type { GpuFacts } from './support.js';

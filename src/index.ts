/**
 * edgewise: small language models in the browser, in a Web Worker, with weights
 * cached in IndexedDB. This file is the whole public API.
 */
export { createEngine } from './engine.js';
export type { Engine, EngineCache } from './engine.js';
export { EdgewiseError, isEdgewiseError } from './errors.js';
export type { EdgewiseErrorCode, EdgewiseErrorOptions } from './errors.js';
export { CATALOG } from './catalog.js';
export type { CatalogEntry } from './catalog.js';
export { FALLBACK_CHAT_TEMPLATE } from './backends/onnx/fallback-template.js';
export type { ModelInfo, ResolvedModel } from './worker/protocol.js';
export type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParams, EdgewiseExtras } from './openai.js';
export type {
  CacheUsage, CachedModelInfo, ChatMessage, Dtype, EngineOptions, FinishPart, FinishReason, GenerateRequest,
  LoadOptions, ModelSpec, Part, Progress, RanOn, Role, SamplingOptions, TextPart, Usage,
} from './types.js';

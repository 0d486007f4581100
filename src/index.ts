/**
 * edgewise: small language models in the browser, in a Web Worker, with weights
 * cached in IndexedDB, and an OpenAI-compatible endpoint for what the device cannot
 * serve. This file is the whole public API.
 */
export { createEngine } from './engine.js';
export type { Engine, EngineInfo } from './engine.js';
export type { EngineCache } from './engine-cache.js';
export { EdgewiseError, isEdgewiseError } from './errors.js';
export type { EdgewiseErrorCode, EdgewiseErrorOptions } from './errors.js';
export { CATALOG } from './catalog.js';
export type { CatalogEntry } from './catalog.js';
export { FALLBACK_CHAT_TEMPLATE } from './backends/onnx/fallback-template.js';
export { POLICIES, RAN_ON, REDACTION_TYPES, ROUTE_REASONS } from './route/vocab.js';
export type { Capabilities } from './capabilities.js';
export type { ResolvedModel, ResolvedWebLLM, ResolvedWorkerModel } from './model/spec.js';
export type { EngineStats, RouteStats } from './stats/stats.js';
export type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParams, EdgewiseExtras } from './openai.js';
export type { CreateEmbeddingResponse, EmbeddingCreateParams } from './openai-embeddings.js';
export type {
  CacheUsage, CachedModelInfo, ChatMessage, Cost, Dtype, EmbeddingOptions, Embeddings, EngineOptions, FinishPart, FinishReason, GenerateRequest,
  BuiltinModelSpec, LoadOptions, LocalModelSpec, ModelInfo, ModelSpec, Part, WebLLMModelRecord, WebLLMModelSpec, Policy, Pooling, Progress, RanOn, RedactOptions, RedactionType, Redactions,
  RemoteOptions, RemotePrices, Role, Route, RouteFunction, RouteReason, RouteTarget, SamplingOptions, SkippedBackend,
  TextPart, Usage, WasmWeights, WeightForm, WeightsInfo,
} from './types.js';

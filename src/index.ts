/**
 * edgewise: small language models in the browser, in a Web Worker, with weights
 * cached in IndexedDB, and an OpenAI-compatible endpoint for what the device cannot
 * serve. This file is the whole public API.
 */
export { createEngine } from './engine.js';
export type { Engine, EngineInfo } from './engine-api.js';
export type { HostChoice, HostKind } from './worker/host-choice.js';
export type { EngineCache } from './engine-cache.js';
export type { AnswerPart, AnswerRequest, IndexInfo, JSONValue, SearchHit, SearchIndex, SearchMode, SourcePart } from './search/types.js';
export { EdgewiseError, isEdgewiseError } from './errors.js';
export type { EdgewiseErrorCode, EdgewiseErrorOptions } from './errors.js';
export { CATALOG } from './catalog.js';
export type { CatalogEntry } from './catalog.js';
export { FALLBACK_CHAT_TEMPLATE } from './backends/onnx/fallback-template.js';
export { POLICIES, RAN_ON, REDACTION_TYPES, ROUTE_REASONS } from './route/vocab.js';
export type { Capabilities } from './capabilities.js';
export type { ResolvedModel, ResolvedWebLLM, ResolvedWorkerModel } from './model/spec.js';
export type { EngineStats, RouteStats } from './stats/stats.js';
export type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParams, EdgewiseExtras, OpenAIMessage, OpenAIToolCall } from './openai.js';
export type { CreateEmbeddingResponse, EmbeddingCreateParams } from './openai-embeddings.js';
export { BACKEND_SPECIFICATION } from './backends/backend.js';
export { wrap } from './backends/middleware.js';
export type { BackendMiddleware } from './backends/middleware.js';
export type {
  BackendCapabilities, BackendFinishPart, BackendLoadOptions, BackendPart, BackendRequest, BackendState, BackendTextPart, BackendToolCallPart,
  BackendV3, EmbedOptions, EmbedRequest, EmbedResult, GenerateOptions, Support, UnsupportedCode,
} from './backends/backend.js';
export type {
  AssistantMessage, BackendMetadata, CacheUsage, CachedModelInfo, ChatMessage, Cost, EmbeddingOptions, Embeddings, FinishPart, FinishReason, GenerateRequest,
  JSONSchema, LoadOptions, ModelInfo, ObjectRequest, Part, Policy, Pooling, Progress, RanOn, RedactionType, Redactions, ResponseFormat, ResponseFormatType,
  Role, Route, RouteReason, SamplingOptions, SamplingSetting, SkippedBackend, SystemMessage, TextPart, ToolCall, ToolCallPart, ToolChoice, ToolDefinition,
  ToolMessage, Usage, UserMessage, Warning, WarningPart, WasmWeights, WeightForm, WeightsInfo,
} from './types.js';
export type {
  BuiltinModelSpec, CustomModelSpec, Dtype, EngineOptions, LocalModelSpec, ModelSpec, RedactModelSpec, RedactOptions, RemoteOptions, RemotePrices, RestoreMode, RouteFunction, RouteTarget,
  WebLLMModelRecord, WebLLMModelSpec,
} from './config-types.js';

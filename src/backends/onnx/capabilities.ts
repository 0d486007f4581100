/** What ONNX models do for the engine, shared by the worker's backends and the page's description of them. */
import type { BackendCapabilities } from '../backend.js';

/**
 * Every sampling setting is the decode loop's own; every format and tool calls are
 * enforced by masking the logits with a grammar (XGrammar) at each step.
 */
export const ONNX_GENERATE: BackendCapabilities = Object.freeze({
  sampling: Object.freeze(['temperature', 'topK', 'topP', 'repetitionPenalty', 'seed', 'stop', 'includeTokenIds'] as const),
  responseFormats: Object.freeze(['json_schema', 'json_object', 'regex'] as const),
  tools: true,
});

export const EMBED_ONLY: BackendCapabilities = Object.freeze({ sampling: Object.freeze([] as const), responseFormats: Object.freeze([] as const), tools: false });

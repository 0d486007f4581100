/**
 * What a web-llm model can do, known before web-llm loads (the page reads it to route,
 * without importing the adapter): the settings it honours, the formats it enforces, and
 * whether it calls tools.
 *
 * Tools: web-llm 0.2.86 takes `tools` only for the model ids in its
 * `functionCallingModelIds` (Hermes-2-Pro and Hermes-3, whose prompt format it hard-codes)
 * and throws `UnsupportedModelIdError` for any other id, custom records included. The list
 * is copied here as data; a test holds it equal to the installed web-llm's own.
 */
import type { BackendCapabilities } from '../backend.js';

/** web-llm 0.2.86's `functionCallingModelIds`. */
export const FUNCTION_CALLING_MODEL_IDS: readonly string[] = Object.freeze([
  'Hermes-2-Pro-Llama-3-8B-q4f16_1-MLC',
  'Hermes-2-Pro-Llama-3-8B-q4f32_1-MLC',
  'Hermes-2-Pro-Mistral-7B-q4f16_1-MLC',
  'Hermes-3-Llama-3.1-8B-q4f32_1-MLC',
  'Hermes-3-Llama-3.1-8B-q4f16_1-MLC',
]);

/** Whether web-llm takes `tools` for this model id. */
export const callsTools = (modelId: string): boolean => FUNCTION_CALLING_MODEL_IDS.includes(modelId);

/**
 * A web-llm generation model's capabilities. `topK` and `includeTokenIds` have no web-llm
 * counterpart (the engine warns from this list). JSON formats go to web-llm's grammar
 * engine (xgrammar); it has no regex format. Tools only on its function-calling models.
 * @example webllmCapabilities('SmolLM2-360M-Instruct-q4f16_1-MLC').tools // false
 */
export function webllmCapabilities(modelId: string): BackendCapabilities {
  return Object.freeze({
    sampling: Object.freeze(['temperature', 'topP', 'repetitionPenalty', 'seed', 'stop'] as const),
    responseFormats: Object.freeze(['json_schema', 'json_object'] as const),
    tools: callsTools(modelId),
  });
}

/** An embedding model generates nothing: no settings, formats or tools. */
export const WEBLLM_EMBEDDER_CAPABILITIES: BackendCapabilities = Object.freeze({
  sampling: Object.freeze([] as const),
  responseFormats: Object.freeze([] as const),
  tools: false,
});

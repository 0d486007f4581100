/**
 * web-llm's failures as typed `EdgewiseError`s, the original always kept as `cause`.
 *
 * web-llm 0.2.86 exports only `IntegrityError` of its ~70 error classes, and several
 * failures are plain `Error`s (no adapter, a failed fetch inside its IndexedDB cache), so
 * matching is by the `name` each class sets (`lib/error.d.ts`, names checked against the
 * 0.2.86 bundle), then by message as a fallback. Both tables are data, checked in order.
 */
import { EdgewiseError, isEdgewiseError, type EdgewiseErrorCode } from '../../errors.js';

type Phase = 'load' | 'generate' | 'embed' | 'unload' | 'cache';

/** web-llm error class names (the `name` they set, which differs from the class name for `MissingModelWasmError`). */
const BY_NAME: Readonly<Record<string, EdgewiseErrorCode>> = Object.freeze({
  WebGPUNotAvailableError: 'webgpu_unavailable',
  WebGPUNotFoundError: 'webgpu_unavailable',
  // Any other required adapter feature: the device lacks what the model needs.
  FeatureSupportError: 'webgpu_unavailable',
  ShaderF16SupportError: 'missing_shader_f16',
  DeviceLostError: 'device_lost',
  ModelNotFoundError: 'invalid_model_spec',
  MissingModelError: 'invalid_model_spec',
  // Thrown only for `tools` on a model outside `functionCallingModelIds`.
  UnsupportedModelIdError: 'unsupported_model',
  UnsupportedTokenizerFilesError: 'unsupported_model',
  ContextWindowSizeExceededError: 'context_overflow',
  IntegrityError: 'integrity_error',
  ConfigValueError: 'invalid_sampling',
  MinValueError: 'invalid_sampling',
  NonNegativeError: 'invalid_sampling',
  InvalidNumberStringError: 'invalid_sampling',
  DependencyError: 'invalid_sampling',
  SeedTypeError: 'invalid_sampling',
  MessageOrderError: 'invalid_message',
  SystemMessageOrderError: 'invalid_message',
  CustomSystemPromptError: 'invalid_message',
  UnsupportedRoleError: 'invalid_message',
  ContentTypeError: 'invalid_message',
  // Structured output: a format web-llm refuses, or a schema its grammar compiler cannot take.
  InvalidResponseFormatError: 'invalid_response_format',
  InvalidResponseFormatGrammarError: 'invalid_response_format',
  CustomResponseFormatError: 'invalid_response_format',
  GrammarMatcherInitError: 'invalid_response_format',
  // Function calling: the model's call list does not parse, is not a list, or a call lacks
  // `name`/`arguments` (`ToolCallOutputMissingFieldsError` sets the name JSONFieldError).
  ToolCallOutputParseError: 'invalid_output',
  ToolCallOutputInvalidTypeError: 'invalid_output',
  JSONFieldError: 'invalid_output',
  // The embedding pipeline's own errors; the sliding-window and chunking ones mean a model
  // library web-llm's embedding pipeline cannot drive.
  EmbeddingUnsupportedModelError: 'unsupported_model',
  IncorrectPipelineLoadedError: 'unsupported_model',
  EmbeddingSlidingWindowError: 'unsupported_model',
  EmbeddingChunkingUnsupportedError: 'unsupported_model',
  EmbeddingExceedContextWindowSizeError: 'context_overflow',
  EmbeddingInputEmptyError: 'invalid_input',
  AbortError: 'aborted',
  QuotaExceededError: 'quota_exceeded',
});

/** Message patterns, most specific first, for plain `Error`s and errors wrapped in strings. */
const BY_MESSAGE: readonly (readonly [RegExp, EdgewiseErrorCode])[] = Object.freeze([
  // ShaderF16SupportError's text, and Dawn's WGSL error when an f16 shader meets an adapter without the feature.
  [/shader-f16|enable f16|'f16' extension|f16 type used/i, 'missing_shader_f16'],
  [/device (was |is |has been )?lost|DeviceLost/i, 'device_lost'],
  // detectGPUDevice(): no navigator.gpu, requestAdapter() answered null, or maxBufferSize under 256 MB.
  [/WebGPU is not supported|Cannot find WebGPU|compatible GPU|navigator\.gpu|requestAdapter|maxBufferSize exceeds limit/i, 'webgpu_unavailable'],
  [/QuotaExceeded|quota/i, 'quota_exceeded'],
  [/AbortError|operation was aborted/i, 'aborted'],
  // IndexedDB cache: "Failed to store <url> with error: Error: Network response was not ok" (any non-2xx)
  // or "...: TypeError: Failed to fetch"; Cache API: "Failed to execute 'add' on 'Cache': Request failed";
  // OPFS / cross-origin caches: "Unable to fetch <url>, received status 404"; Node: "fetch failed".
  [/Network response was not ok|Failed to fetch|fetch failed|NetworkError|Cannot fetch|Unable to fetch|Request failed/i, 'model_not_found'],
]);

const ADVICE: Partial<Record<EdgewiseErrorCode, string>> = {
  webgpu_unavailable: 'WebGPU is not available here (no navigator.gpu, no adapter, or its limits are too small); web-llm models need it. Use an ONNX model (it runs on WASM) or a remote endpoint.',
  missing_shader_f16: "This MLC model runs fp16 shaders and the GPU adapter lacks the 'shader-f16' feature; use the model's q4f32 variant.",
  device_lost: 'The GPU device was lost (often out of GPU memory, or a driver reset); try a smaller model or a shorter context.',
  model_not_found: 'A file of the MLC model could not be fetched (a 404, or no network); check the model id or the record\'s URLs.',
  invalid_model_spec: "web-llm does not know this model; check the id, or pass `record` with the model's URLs.",
  context_overflow: "The input does not fit the model's context window; shorten the prompt, the conversation or the text to embed.",
  integrity_error: 'A file of the MLC model does not match its expected hash.',
  quota_exceeded: 'The browser has no room left to store the model.',
  aborted: 'Stopped: the signal was aborted.',
  invalid_sampling: 'web-llm refused a sampling option.',
  invalid_message: 'web-llm refused the messages.',
  unsupported_model: 'web-llm cannot run this model.',
  invalid_input: 'web-llm refused the input.',
  invalid_response_format: 'web-llm cannot enforce this response format (its grammar compiler refused the schema).',
  invalid_output: "The model's tool calls are not the JSON list web-llm's function calling expects.",
};

/** Advice for one class where its code's advice would mislead. */
const ADVICE_BY_NAME: Readonly<Record<string, string>> = Object.freeze({
  UnsupportedModelIdError: 'web-llm calls tools only with its function-calling models (Hermes-2-Pro, Hermes-3); load one of them, or send tool requests to ONNX or the remote endpoint.',
});

/** `details.reason` of an `invalid_output`, as `EdgewiseErrorCode` documents it. */
const OUTPUT_REASON: Readonly<Record<string, string>> = Object.freeze({
  ToolCallOutputParseError: 'not_json',
  ToolCallOutputInvalidTypeError: 'schema',
  JSONFieldError: 'schema',
});

function describe(e: unknown): { name: string; message: string } {
  if (e instanceof Error || (typeof e === 'object' && e !== null && 'message' in e)) {
    const o = e as { name?: unknown; message?: unknown };
    return { name: typeof o.name === 'string' ? o.name : 'Error', message: typeof o.message === 'string' ? o.message : '' };
  }
  return { name: typeof e, message: String(e) };
}

function codeFor(name: string, message: string): EdgewiseErrorCode | undefined {
  // web-llm's RangeError shares its name with the built-in one; its text starts "Make sure".
  if (name === 'RangeError') return message.startsWith('Make sure') ? 'invalid_sampling' : undefined;
  const byName = Object.hasOwn(BY_NAME, name) ? BY_NAME[name] : undefined;
  return byName ?? BY_MESSAGE.find(([re]) => re.test(message))?.[1];
}

/**
 * The typed form of anything web-llm threw; an `EdgewiseError` passes through unchanged.
 * Unknown failures become `runtime_error` (or `cache_error` from the cache calls).
 */
export function toEdgewiseError(e: unknown, phase: Phase, modelId: string): EdgewiseError {
  if (isEdgewiseError(e)) return e;
  const { name, message } = describe(e);
  const code = codeFor(name, message) ?? (phase === 'cache' ? 'cache_error' : 'runtime_error');
  const what = { load: 'loading', generate: 'generating with', embed: 'embedding with', unload: 'unloading', cache: 'reading the cache of' }[phase];
  const advice = (Object.hasOwn(ADVICE_BY_NAME, name) ? ADVICE_BY_NAME[name] : undefined) ?? ADVICE[code] ?? `web-llm failed while ${what} '${modelId}'.`;
  const reason = code === 'invalid_output' && Object.hasOwn(OUTPUT_REASON, name) ? { reason: OUTPUT_REASON[name] } : {};
  return new EdgewiseError(code, `${advice} (web-llm ${name}: ${message})`, { cause: e, details: { modelId, webllmError: name, phase, ...reason } });
}

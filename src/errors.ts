/**
 * Every failure the SDK raises is an {@link EdgewiseError} with a stable `code`.
 * The class crosses the worker boundary intact (see `worker/transfer.ts`), so
 * callers can branch on `code` on the main thread exactly as in the worker.
 */
export type EdgewiseErrorCode =
  | 'invalid_request'        // the request object is malformed (generic)
  | 'empty_messages'         // `messages` is an empty array
  | 'invalid_message'        // a message lacks a role or string content
  | 'invalid_max_tokens'     // maxTokens is not a positive integer
  | 'invalid_temperature'    // temperature < 0 or NaN
  | 'invalid_sampling'       // topK / topP / repetitionPenalty / seed out of range
  | 'invalid_model_spec'     // model id/url/dtype missing or unknown
  | 'context_overflow'       // the prompt does not fit the model's context window
  | 'model_not_found'        // a model file answered 404 / network error
  | 'not_a_model'            // a model file is an HTML page or otherwise not what was asked for
  | 'unsupported_model'      // the model's layout or architecture is not supported
  | 'integrity_error'        // size or sha256 of a file does not match
  | 'quota_exceeded'         // not enough storage for the model
  | 'offline'                // the network is needed but unavailable
  | 'cache_error'            // IndexedDB failed in an unexpected way
  | 'runtime_error'          // the inference runtime failed
  | 'disposed'               // the engine was disposed
  | 'aborted'                // an AbortSignal fired during load
  | 'invalid_input'          // embed() input is not an array of strings
  | 'no_embedding_model'     // embed() on an engine with no embedding model and no remote endpoint
  | 'webgpu_unavailable'     // WebGPU is needed but the browser has no adapter (or the adapter's limits are too small)
  | 'missing_shader_f16'     // an fp16 model needs the adapter's shader-f16 feature, which it lacks
  | 'device_lost'            // the GPU device was lost (driver reset, out of memory)
  | 'builtin_unavailable'    // the browser's built-in model is unavailable (no Prompt API, or 'unavailable')
  | 'worker_crashed'         // the inference worker died (terminated, out of memory); the next call starts a fresh one
  | 'invalid_signal'         // `signal` is not an AbortSignal
  | 'invalid_callback'       // a callback option (e.g. onProgress) is not a function
  | 'invalid_option'         // an engine option is out of range or of the wrong type (details.option names it)
  | 'invalid_policy'         // `policy` is not one of the four policies, or a custom route() answered nonsense
  | 'no_backend'             // the policy allows no backend that can serve this request (details.skipped says why)
  | 'remote_not_configured'  // the request must go remote but no `remote` endpoint was configured
  | 'remote_unauthorized'    // the endpoint answered 401/403 (details.status, details.body)
  | 'remote_rate_limited'    // 429 after every retry (details.status, details.retryAfterMs)
  | 'remote_http_error'      // any other non-2xx after the retries (details.status, details.body)
  | 'remote_timeout'         // connect (token() included), first byte, idle-between-chunks or total timeout (details.phase)
  | 'remote_network_error'   // the connection failed or dropped
  | 'remote_protocol_error'  // the endpoint's answer is not the OpenAI wire format
  | 'invalid_response_format' // responseFormat is malformed, or its schema/regex uses a feature no route can enforce (details.feature)
  | 'invalid_tools'          // tools / toolChoice are malformed (details.option names which)
  | 'invalid_output'         // the model's output does not parse or validate (details.reason: not_json | schema | regex | length | tool_arguments | unknown_tool)
  | 'redaction_failed'       // redaction could not run as configured (the redact.model failed to load or run); nothing was sent
  | 'model_mismatch'         // a search index was built with another embedding model than the engine's (details.index, details.engine): reindex() it
  | 'invalid_index';         // an index name, an import or a stored index is malformed (details.reason)

const MARK = Symbol.for('edgewise.error');

export interface EdgewiseErrorOptions {
  cause?: unknown;
  /** Extra machine-readable facts (e.g. `{ needed, available }` for quota errors). */
  details?: Readonly<Record<string, unknown>>;
}

/**
 * @example
 * try { await engine.load(); } catch (e) {
 *   if (isEdgewiseError(e) && e.code === 'quota_exceeded') console.log(e.details);
 * }
 */
export class EdgewiseError extends Error {
  readonly code: EdgewiseErrorCode;
  readonly details: Readonly<Record<string, unknown>>;
  constructor(code: EdgewiseErrorCode, message: string, options: EdgewiseErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EdgewiseError';
    this.code = code;
    this.details = options.details ?? {};
    // A symbol marker, not `instanceof`, so the guard works across realms and bundles.
    Object.defineProperty(this, MARK, { value: true });
  }
}

/** True for any EdgewiseError, including ones from another realm or bundle copy. */
export function isEdgewiseError(e: unknown): e is EdgewiseError {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[MARK] === true;
}

/** Plain-data form of an error, for structured cloning across the worker boundary. */
export interface SerializedError {
  code: EdgewiseErrorCode;
  message: string;
  details: Record<string, unknown>;
  stack?: string;
  cause?: SerializedError | { name: string; message: string };
}

export function serializeError(e: EdgewiseError): SerializedError {
  const out: SerializedError = { code: e.code, message: e.message, details: { ...e.details } };
  if (e.stack !== undefined) out.stack = e.stack;
  if (isEdgewiseError(e.cause)) out.cause = serializeError(e.cause);
  else if (e.cause instanceof Error) out.cause = { name: e.cause.name, message: e.cause.message };
  return out;
}

export function deserializeError(s: SerializedError): EdgewiseError {
  let cause: unknown;
  if (s.cause && 'code' in s.cause) cause = deserializeError(s.cause);
  else if (s.cause) cause = Object.assign(new Error(s.cause.message), { name: s.cause.name });
  const e = new EdgewiseError(s.code, s.message, cause === undefined ? { details: s.details } : { cause, details: s.details });
  if (s.stack !== undefined) e.stack = s.stack;
  return e;
}

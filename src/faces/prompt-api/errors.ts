/**
 * The exceptions the Prompt API names (index.bs "Errors" table and the algorithms'
 * steps), and the mapping of the engine's typed errors onto them. The engine's error is
 * kept as `cause`, so an app can still read its `code`.
 */
import { isEdgewiseError } from '../../index.js';

export const domError = (name: string, message: string, cause?: unknown): DOMException => {
  const e = new DOMException(message, name);
  if (cause !== undefined) Object.defineProperty(e, 'cause', { value: cause, configurable: true, writable: true });
  return e;
};

interface QuotaErrorCtor { new (message: string, options: { requested: number; quota: number }): DOMException }

/**
 * `QuotaExceededError` is a DOMException subclass with `requested` and `quota`
 * (whatwg/webidl#1465, Chrome 140+). Older browsers get a DOMException of that name with
 * the two numbers set on it.
 */
export function quotaError(requested: number, quota: number, message: string, cause?: unknown): DOMException {
  const Ctor = (globalThis as { QuotaExceededError?: QuotaErrorCtor }).QuotaExceededError;
  let e: DOMException;
  try {
    e = Ctor ? new Ctor(message, { requested, quota }) : domError('QuotaExceededError', message);
  } catch {
    e = domError('QuotaExceededError', message);
  }
  if ((e as { requested?: unknown }).requested !== requested) Object.defineProperties(e, { requested: { value: requested }, quota: { value: quota } });
  if (cause !== undefined) Object.defineProperty(e, 'cause', { value: cause, configurable: true, writable: true });
  return e;
}

/** Chrome's wording for calls on a destroyed session (the spec would reject with the abort reason). */
export const destroyedError = (): DOMException => domError('InvalidStateError', 'The session has been destroyed.');

/** The abort reason of a signal, as the spec rejects with it ("or the given abort reason"). */
export const abortReason = (signal: AbortSignal): unknown => signal.reason ?? domError('AbortError', 'The operation was aborted.');

/**
 * An engine failure as the Prompt API reports it. An aborted signal wins: the engine may
 * report the abort as its own `aborted` error or as a finish part, the page sees the reason.
 */
export function toDomError(e: unknown, signal?: AbortSignal): unknown {
  if (signal?.aborted) return abortReason(signal);
  if (!isEdgewiseError(e)) return e;
  const d = e.details;
  switch (e.code) {
    case 'aborted':
      return domError('AbortError', e.message, e);
    case 'disposed':
      return domError('InvalidStateError', e.message, e);
    case 'context_overflow':
      return quotaError(Number(d['promptTokens'] ?? 0), Number(d['contextLength'] ?? 0), e.message, e);
    case 'quota_exceeded':
      return quotaError(Number(d['needed'] ?? 0), Number(d['available'] ?? 0), e.message, e);
    // explainer: a schema feature the user agent cannot enforce is a NotSupportedError...
    case 'invalid_response_format':
    case 'unsupported_model':
    case 'webgpu_unavailable':
    case 'missing_shader_f16':
    case 'no_backend':
      return domError('NotSupportedError', e.message, e);
    // ...and an answer it could not make comply is a SyntaxError.
    case 'invalid_output':
      return domError('SyntaxError', e.message, e);
    // explainer, "Download progress": a failed download rejects create() with NetworkError.
    case 'model_not_found':
    case 'offline':
    case 'remote_network_error':
    case 'remote_timeout':
      return domError('NetworkError', e.message, e);
    case 'invalid_tools':
    case 'invalid_request':
    case 'invalid_message':
      return new TypeError(e.message, { cause: e });
    default:
      return domError('UnknownError', e.message, e);
  }
}

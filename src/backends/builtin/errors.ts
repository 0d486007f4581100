/**
 * Prompt API failures as typed errors. The API throws DOMExceptions, told apart by
 * `name` (read structurally, so it works across realms and in the Node fake).
 */
import { EdgewiseError, isEdgewiseError } from '../../errors.js';

const WHERE =
  'It ships in desktop Chrome (Gemini Nano; for web pages behind chrome://flags/#prompt-api-for-gemini-nano or an origin trial) ' +
  'and in Microsoft Edge Canary/Dev (Phi-4-mini; edge://flags/#edge-llm-prompt-api-for-phi-mini), on the page only, not in workers.';

/** No `LanguageModel` on this global. */
export function noPromptApi(): EdgewiseError {
  return new EdgewiseError('builtin_unavailable', `This browser has no Prompt API (\`LanguageModel\`), so it has no built-in model to run. ${WHERE}`);
}

/** The browser has the API but no model for this device. */
export function modelUnavailable(): EdgewiseError {
  return new EdgewiseError(
    'builtin_unavailable',
    "The browser's built-in model is 'unavailable' on this device (too little disk space or GPU/CPU memory, an unsupported OS, " +
      'or turned off by policy); chrome://on-device-internals says which.',
  );
}

function nameOf(e: unknown): string {
  const name = typeof e === 'object' && e !== null ? (e as { name?: unknown }).name : undefined;
  return typeof name === 'string' ? name : 'Error';
}

function messageOf(e: unknown): string {
  return e instanceof Error || (typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string')
    ? (e as { message: string }).message
    : String(e);
}

/** `QuotaExceededError` carries `requested` and `quota` in current browsers. */
function quotaDetails(e: unknown): Record<string, number> {
  const q = e as { requested?: unknown; quota?: unknown };
  const out: Record<string, number> = {};
  if (typeof q.requested === 'number') out.promptTokens = q.requested;
  if (typeof q.quota === 'number') out.contextLength = q.quota;
  return out;
}

/**
 * A failure of `create()` (while loading) or of a request, as an EdgewiseError.
 * `constrained`: the request had a `responseConstraint`, which the API refuses with a
 * `TypeError` (neither a RegExp nor a schema object) or a `NotSupportedError` (a schema
 * it cannot take, e.g. circular; WPT `language-model-response-json-schema`).
 */
export function fromPromptApi(e: unknown, during: 'load' | 'generate', constrained = false): EdgewiseError {
  if (isEdgewiseError(e)) return e;
  const name = nameOf(e);
  const message = messageOf(e);
  if (constrained && (name === 'TypeError' || name === 'NotSupportedError')) {
    return new EdgewiseError('invalid_response_format', `The browser's built-in model cannot enforce this response format or tool list (${name}: ${message}); simplify the schema or pattern, or send the request to another backend.`, { cause: e, details: { name } });
  }
  if (name === 'QuotaExceededError') {
    return new EdgewiseError('context_overflow', `The prompt does not fit the built-in model's context window (${message}); shorten the prompt or the conversation.`, { cause: e, details: quotaDetails(e) });
  }
  // NotAllowedError: the model still has to download and the page had no user activation,
  // or a permissions policy blocks 'language-model' (a cross-origin iframe).
  // NotSupportedError: the browser cannot serve these options on this device.
  if (during === 'load' && (name === 'NotAllowedError' || name === 'NotSupportedError')) {
    const hint = name === 'NotAllowedError' ? ' A download needs a user activation (call load() from a click), and an iframe needs allow="language-model".' : '';
    return new EdgewiseError('builtin_unavailable', `The browser refused to start its built-in model (${name}: ${message}).${hint}`, { cause: e, details: { name } });
  }
  return new EdgewiseError('runtime_error', `The built-in model failed (${name}: ${message}).`, { cause: e, details: { name } });
}

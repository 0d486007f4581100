/**
 * Edgewise failures as the AI SDK's error classes where one fits, so `generateText` and
 * `streamText` retry what is worth retrying and apps branch on `APICallError` as they do
 * for any provider. The EdgewiseError is always kept as `cause`, its `code` intact.
 */
import { APICallError } from '@ai-sdk/provider';
import { isEdgewiseError, type EdgewiseError, type EdgewiseErrorCode } from '../../index.js';
import { maskUrl } from '../../backends/remote/mask.js';

const REMOTE_CODES: ReadonlySet<EdgewiseErrorCode> = new Set([
  'remote_http_error', 'remote_rate_limited', 'remote_timeout', 'remote_network_error', 'remote_unauthorized', 'remote_protocol_error',
]);

/** Statuses OpenAI's own clients retry (and the engine's remote retries: docs/edge-and-cloud.md). */
const retryableStatus = (status: number): boolean => status === 408 || status === 409 || status === 429 || status >= 500;

function isRetryable(e: EdgewiseError, status: number | undefined): boolean {
  switch (e.code) {
    case 'remote_rate_limited':
    case 'remote_timeout':
    case 'remote_network_error':
      return true;
    case 'remote_unauthorized':
    case 'remote_protocol_error':
      return false;
    default:
      // An error event inside a 200 stream has no status of its own: the server failed mid-answer, as a 5xx would.
      return status === undefined || retryableStatus(status);
  }
}

/**
 * Where the request went, for `APICallError.url` (a required field). The core already
 * masks query values and user info in `details.url`; the fallback is masked the same way,
 * because a query string may hold a key.
 */
function urlOf(e: EdgewiseError, endpoint: string | undefined): string {
  const url = e.details['url'];
  if (typeof url === 'string') return url;
  return endpoint === undefined ? 'edgewise:remote' : maskUrl(endpoint);
}

/**
 * `APICallError` for the remote codes (statusCode, masked url and the server's error body
 * when known); every other EdgewiseError is returned as it is, since no AI SDK class names
 * a model download, a worker crash or an output that failed validation better than its
 * own `code` does. Anything else (an AI SDK error, a browser error) passes through.
 * @param endpoint the chat or embeddings URL, for failures that carry none (a failed `token()`).
 */
export function toSdkError(e: unknown, endpoint: string | undefined): unknown {
  if (!isEdgewiseError(e) || !REMOTE_CODES.has(e.code)) return e;
  const status = typeof e.details['status'] === 'number' ? e.details['status'] : undefined;
  const body = e.details['body'];
  return new APICallError({
    message: e.message,
    url: urlOf(e, endpoint),
    // The request as sent is the engine's (redacted) wire body, which this face never sees.
    requestBodyValues: undefined,
    ...(status === undefined ? {} : { statusCode: status }),
    ...(body === undefined ? {} : { responseBody: typeof body === 'string' ? body : JSON.stringify(body) }),
    cause: e,
    isRetryable: isRetryable(e, status),
    data: { code: e.code },
  });
}

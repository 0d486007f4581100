/**
 * A failed answer as a typed failure: an HTTP error status, or an `error` object the
 * server put inside a 200 stream (vLLM and OpenAI do this when generation fails midway).
 * The server's own error body goes into `details.body`, parsed and bounded.
 */
import type { EdgewiseErrorCode } from '../../errors.js';
import { RemoteFailure } from './failure.js';
import { isRetryableStatus, retryAfterMs } from './retry.js';
import type { Watch } from './timeouts.js';

/** Enough for any real error body; a misrouted request may answer with a whole web page. */
const BODY_LIMIT = 4096;

/** Reads at most {@link BODY_LIMIT} bytes of an error body; a body that fails to read is kept as far as it got. */
async function readBounded(res: Response, watch: Watch): Promise<{ text: string; truncated: boolean }> {
  if (!res.body) return { text: '', truncated: false };
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  try {
    while (bytes < BODY_LIMIT) {
      const step = await watch.run(reader.read());
      if (step.done) return { text: text + decoder.decode(), truncated: false };
      const piece = step.value.subarray(0, BODY_LIMIT - bytes);
      bytes += piece.byteLength;
      text += decoder.decode(piece, { stream: true });
    }
    return { text: text + decoder.decode(), truncated: true };
  } catch {
    return { text, truncated: true };
  } finally {
    reader.cancel().catch(() => undefined);
  }
}

function parseBody(text: string, truncated: boolean): unknown {
  if (!truncated) {
    try {
      return JSON.parse(text);
    } catch { /* not JSON: kept as text */ }
  }
  return truncated ? `${text}…` : text;
}

/** The human part of an error body: OpenAI's `error.message`, or the common alternatives. */
function serverMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Record<string, unknown>;
  const error = b.error;
  const candidates = [
    typeof error === 'object' && error !== null ? (error as Record<string, unknown>).message : error,
    b.message,
    b.detail,
  ];
  const found = candidates.find((c): c is string => typeof c === 'string' && c !== '');
  return found === undefined ? undefined : found.slice(0, 300);
}

function codeFor(status: number): EdgewiseErrorCode {
  if (status === 401 || status === 403) return 'remote_unauthorized';
  if (status === 429) return 'remote_rate_limited';
  return 'remote_http_error';
}

function advice(status: number): string {
  if (status === 401 || status === 403) return ': the endpoint refused the credentials; check that remote.token returns a valid, unexpired token';
  if (status === 429) return ': rate limited; retry later or raise the endpoint limits';
  if (status === 404) return ': check remote.baseURL (it should end in /v1 or the like) and remote.model';
  return '';
}

function statusFailure(url: string, status: number, body: unknown, waitMs: number | undefined, inBand: boolean): RemoteFailure {
  const said = serverMessage(body);
  const where = inBand ? ' inside the stream' : '';
  const details: Record<string, unknown> = { url, status, body };
  if (inBand) details.inBand = true;
  if (status === 429 && waitMs !== undefined) details.retryAfterMs = waitMs;
  return new RemoteFailure({
    code: codeFor(status),
    message: `${url} answered ${status}${where}${said === undefined ? '' : ` (${JSON.stringify(said)})`}${advice(status)}.`,
    retryable: isRetryableStatus(status),
    details,
    ...(waitMs === undefined ? {} : { retryAfterMs: waitMs }),
  });
}

/** A non-2xx response, its body read (bounded) and its `Retry-After` noted. */
export async function httpFailure(res: Response, url: string, watch: Watch, now: () => number): Promise<RemoteFailure> {
  const { text, truncated } = await readBounded(res, watch);
  return statusFailure(url, res.status, parseBody(text, truncated), retryAfterMs(res.headers, now), false);
}

/**
 * An `error` payload inside a 200 answer. Its status, when it carries one (vLLM's numeric
 * `code`), decides as an HTTP status would; without one it is not retried.
 */
export function inBandFailure(url: string, payload: unknown, httpStatus: number): RemoteFailure {
  const error = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {};
  const status = [error.code, error.status].map(Number).find((n) => Number.isInteger(n) && n >= 400 && n <= 599);
  const body = { error: payload };
  if (status !== undefined) return statusFailure(url, status, body, undefined, true);
  const said = serverMessage(body);
  return new RemoteFailure({
    code: 'remote_http_error',
    message: `${url} reported an error inside the stream${said === undefined ? '' : ` (${JSON.stringify(said)})`}.`,
    retryable: false,
    details: { url, status: httpStatus, body, inBand: true },
  });
}

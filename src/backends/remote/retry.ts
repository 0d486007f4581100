/**
 * When to try again and how long to wait: exponential backoff with equal jitter, and the
 * server's own `Retry-After` (or OpenAI's `retry-after-ms`) when it sends one.
 */

const BASE_MS = 500;
/** No wait beyond this, whatever the server asks: a page should fail rather than hang. */
export const MAX_WAIT_MS = 60_000;
/**
 * The least wait for retry number `retry` when the server names one: 100 ms, doubling.
 * `retry-after-ms: 0` taken at its word sent 11 requests in 53 ms (issue 16); a server
 * that keeps saying 0 is overloaded, not inviting a burst.
 */
const MIN_SERVER_WAIT_MS = 100;

/**
 * 408 and 409 (OpenAI's lock timeout) are transient by definition, 429 asks us to come
 * back, and 5xx is the server's fault. Other 4xx would fail the same way again.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * The wait a response asks for, in ms; undefined when it asks none. `Retry-After` is
 * delta-seconds or an HTTP date (RFC 9110 §10.2.3). Browsers only expose it when the
 * endpoint lists it in `Access-Control-Expose-Headers`.
 */
export function retryAfterMs(headers: Headers, now: () => number): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Number(ms);
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now());
}

/**
 * How long to wait before retry number `retry` (0 for the first). Equal jitter keeps at
 * least half the exponential step, so clients that failed together spread out without
 * retrying at once (AWS Architecture Blog, "Exponential Backoff And Jitter").
 */
export function backoffMs(retry: number, random: () => number, serverWaitMs?: number): number {
  if (serverWaitMs !== undefined) return Math.min(MAX_WAIT_MS, Math.max(MIN_SERVER_WAIT_MS * 2 ** retry, serverWaitMs));
  const step = Math.min(MAX_WAIT_MS, BASE_MS * 2 ** retry);
  return step / 2 + random() * (step / 2);
}

/**
 * What one HTTP attempt failed with, before the retry loop decides. The final
 * EdgewiseError is made only when the loop gives up, because only then are
 * `details.attempts` and `details.afterFirstToken` known.
 */
import { EdgewiseError, type EdgewiseErrorCode } from '../../errors.js';
import { maskDeep, maskText } from './mask.js';

export interface FailureInit {
  code: EdgewiseErrorCode;
  message: string;
  details?: Record<string, unknown>;
  /** Worth another attempt when nothing has reached the caller yet. */
  retryable: boolean;
  /** The server's `Retry-After`, in ms. */
  retryAfterMs?: number;
  cause?: unknown;
}

export class RemoteFailure extends Error {
  readonly code: EdgewiseErrorCode;
  readonly details: Record<string, unknown>;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  /** Header values the failed attempt sent, masked wherever the error would repeat them. */
  #secrets: readonly string[] = [];

  constructor(init: FailureInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'RemoteFailure';
    this.code = init.code;
    this.details = init.details ?? {};
    this.retryable = init.retryable;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** Adds what the attempt sent in its headers (the token, configured keys) to what {@link toError} masks. */
  sent(secrets: readonly string[]): this {
    this.#secrets = [...this.#secrets, ...secrets];
    return this;
  }

  /**
   * The error the caller gets: message and details with every URL, credential and sent
   * header value masked, since a server's error body may echo any of them.
   * `afterFirstToken` only for streamed answers: a whole-or-nothing request has no first token.
   */
  toError(attempts: number, afterFirstToken?: boolean): EdgewiseError {
    const details = maskDeep({ ...this.details, attempts }, this.#secrets) as Record<string, unknown>;
    if (afterFirstToken !== undefined && (this.code === 'remote_network_error' || this.code === 'remote_timeout')) details.afterFirstToken = afterFirstToken;
    const tries = attempts > 1 ? ` (after ${attempts} attempts)` : '';
    const message = maskText(`${this.message}${tries}`, this.#secrets);
    return new EdgewiseError(this.code, message, this.cause === undefined ? { details } : { cause: this.cause, details });
  }
}

/** The connection failed or dropped: retried only while no text has reached the caller. */
export function networkFailure(url: string, cause: unknown, what: 'connect' | 'drop' | 'truncated'): RemoteFailure {
  const message = what === 'connect'
    ? `Could not reach ${url}: check remote.baseURL, the connection, and that the endpoint allows CORS from this page.`
    : what === 'drop'
      ? `The connection to ${url} dropped before the answer was complete.`
      : `${url} ended the stream before it said why it finished (no finish_reason and no [DONE]): the answer is cut short.`;
  return new RemoteFailure({ code: 'remote_network_error', message, retryable: true, cause, details: { url } });
}

/** The endpoint's answer is not the OpenAI wire format; another attempt would say the same. */
export function protocolFailure(url: string, what: string, sample?: string): RemoteFailure {
  const details: Record<string, unknown> = { url };
  if (sample !== undefined) details.sample = sample.slice(0, 200);
  return new RemoteFailure({ code: 'remote_protocol_error', message: `${url} ${what}: is remote.baseURL an OpenAI-compatible endpoint (ending in /v1)?`, retryable: false, details });
}

/**
 * A 3xx answer. Redirects are not followed (`redirect: 'manual'`): fetch would re-send the
 * body and every header we set, `x-api-key` included, to wherever Location points (only
 * Authorization is dropped across origins). Only the target's origin is named: its path
 * and query may carry a token. Browsers hide the target (an `opaqueredirect`, status 0).
 */
export function redirectFailure(url: string, status: number, location: string | null): RemoteFailure {
  let origin: string | undefined;
  try {
    if (location !== null) origin = new URL(location, url).origin;
  } catch { /* an unparsable Location names no origin */ }
  if (origin === 'null') origin = undefined;
  const details: Record<string, unknown> = { url };
  if (status !== 0) details.status = status;
  if (origin !== undefined) details.location = origin;
  const what = `${status === 0 ? '' : ` ${status}`} with a redirect${origin === undefined ? '' : ` to ${origin}`}`;
  return new RemoteFailure({
    code: 'remote_protocol_error',
    message: `${url} answered${what}, which is not followed: the request body and its headers would go along. Set remote.baseURL to the endpoint itself.`,
    retryable: false,
    details,
  });
}

/** A whole body over its cap: reading stops there, so a runaway server cannot fill the page's memory. */
export function tooLargeFailure(url: string, limitBytes: number, what: string): RemoteFailure {
  const mib = (limitBytes / 2 ** 20).toFixed(limitBytes % 2 ** 20 === 0 ? 0 : 2);
  return new RemoteFailure({
    code: 'remote_protocol_error',
    message: `${url} sent ${what} over ${mib} MiB (${limitBytes} bytes), the most a real one can be; reading stopped there. Is remote.baseURL an OpenAI-compatible endpoint?`,
    retryable: false,
    details: { url, limitBytes },
  });
}

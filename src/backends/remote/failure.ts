/**
 * What one HTTP attempt failed with, before the retry loop decides. The final
 * EdgewiseError is made only when the loop gives up, because only then are
 * `details.attempts` and `details.afterFirstToken` known.
 */
import { EdgewiseError, type EdgewiseErrorCode } from '../../errors.js';

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

  constructor(init: FailureInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'RemoteFailure';
    this.code = init.code;
    this.details = init.details ?? {};
    this.retryable = init.retryable;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** `afterFirstToken` only for streamed answers: a whole-or-nothing request has no first token. */
  toError(attempts: number, afterFirstToken?: boolean): EdgewiseError {
    const details: Record<string, unknown> = { ...this.details, attempts };
    if (afterFirstToken !== undefined && (this.code === 'remote_network_error' || this.code === 'remote_timeout')) details.afterFirstToken = afterFirstToken;
    const tries = attempts > 1 ? ` (after ${attempts} attempts)` : '';
    return new EdgewiseError(this.code, `${this.message}${tries}`, this.cause === undefined ? { details } : { cause: this.cause, details });
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

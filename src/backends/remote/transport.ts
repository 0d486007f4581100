/**
 * What every request of the remote backend shares, chat and embeddings alike: the
 * endpoint URL, headers with a token asked for on each attempt (never kept), each
 * attempt's own controller and clocks, and the retry policy between attempts.
 */
import type { EdgewiseError } from '../../errors.js';
import type { RemoteOptions } from '../../config-types.js';
import { RemoteFailure } from './failure.js';
import { DEFAULT_MAX_RETRIES, resolveTimeouts, type RemoteTimeouts } from './options.js';
import { backoffMs } from './retry.js';
import { abortable, follow, sleep } from './signals.js';
import { Watch } from './timeouts.js';
import { now } from '../../clock.js';

/** What the backend takes from its surroundings; tests pass fakes that record. */
export interface RemoteDeps {
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** The wait between attempts; default a timer that the signal cancels. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Jitter source in [0, 1); default `Math.random`. */
  random?: () => number;
  /** The clock of `request.startedAt`; default `performance.timeOrigin + performance.now()`. */
  now?: () => number;
}

/** One HTTP attempt: its own controller, which follows the caller's signal, and its clocks. */
export interface Attempt {
  /** Aborted by the caller's signal, by a timeout, or by {@link Attempt.close}. */
  readonly signal: AbortSignal;
  readonly watch: Watch;
  /** The configured headers plus a bearer token asked for now, for this attempt only. */
  headers(): Promise<Record<string, string>>;
  /** Cancels whatever of the attempt is still open; calling it twice is fine. */
  close(): void;
}

/** Configured headers with lower-cased names, so ours replace theirs rather than doubling up. */
function baseHeaders(headers: RemoteOptions['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) out[name.toLowerCase()] = value;
  out['content-type'] = 'application/json';
  return out;
}

/** Asks `token()` for this attempt only: a short-lived token may expire during a backoff. */
async function bearer(token: () => string | Promise<string>, signal: AbortSignal): Promise<string> {
  let value: unknown;
  try {
    value = await abortable(Promise.resolve().then(token), signal);
  } catch (e) {
    if (signal.aborted) throw e;
    throw new RemoteFailure({ code: 'remote_unauthorized', message: `remote.token() failed, so no request was sent: ${e instanceof Error ? e.message : String(e)}`, retryable: false, cause: e });
  }
  if (typeof value !== 'string' || value === '') {
    throw new RemoteFailure({ code: 'remote_unauthorized', message: `remote.token() returned ${value === '' ? 'an empty string' : typeof value}: it must return (or resolve to) the token string.`, retryable: false });
  }
  return `Bearer ${value}`;
}

export class Transport {
  readonly fetch: typeof fetch;
  readonly now: () => number;
  readonly #baseURL: string;
  readonly #headers: RemoteOptions['headers'];
  readonly #token: RemoteOptions['token'];
  readonly #timeouts: RemoteTimeouts;
  readonly #maxRetries: number;
  readonly #wait: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #random: () => number;

  /** `config` is already validated. */
  constructor(config: RemoteOptions, deps: RemoteDeps) {
    // Called through globalThis: a detached `fetch` throws "Illegal invocation" in browsers.
    this.fetch = deps.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
    this.now = deps.now ?? now;
    this.#baseURL = config.baseURL.replace(/\/+$/, '');
    this.#headers = config.headers;
    this.#token = config.token;
    this.#timeouts = resolveTimeouts(config.timeouts);
    this.#maxRetries = config.maxRetries ?? DEFAULT_MAX_RETRIES;
    this.#wait = deps.sleep ?? sleep;
    this.#random = deps.random ?? Math.random;
  }

  /** `path` under `baseURL`, e.g. `chat/completions`. */
  url(path: string): string {
    return `${this.#baseURL}/${path}`;
  }

  open(url: string, signal: AbortSignal | undefined): Attempt {
    const controller = new AbortController();
    const unfollow = follow(signal, controller);
    const token = this.#token;
    const headers = baseHeaders(this.#headers);
    return {
      signal: controller.signal,
      watch: new Watch(this.#timeouts, controller, url),
      headers: async () => (token ? { ...headers, authorization: await bearer(token, controller.signal) } : { ...headers }),
      close: () => {
        controller.abort();
        unfollow();
      },
    };
  }

  /** Whether attempt number `attempt` (from 1) may be followed by another. */
  canRetry(failure: RemoteFailure, attempt: number): boolean {
    return failure.retryable && attempt <= this.#maxRetries;
  }

  /** The backoff after attempt `attempt`; rejects with the signal's reason as soon as it aborts. */
  pause(failure: RemoteFailure, attempt: number, signal: AbortSignal | undefined): Promise<void> {
    return abortable(this.#wait(backoffMs(attempt - 1, this.#random, failure.retryAfterMs), signal), signal);
  }

  /**
   * A request that succeeds whole or not at all (nothing reaches the caller before it
   * ends), so every retryable failure may be retried. An abort rejects with `aborted()`.
   */
  async retrying<T>(url: string, signal: AbortSignal | undefined, aborted: () => EdgewiseError, run: (attempt: Attempt) => Promise<T>): Promise<T> {
    for (let n = 1; ; n++) {
      if (signal?.aborted) throw aborted();
      const attempt = this.open(url, signal);
      let failure: RemoteFailure;
      try {
        return await run(attempt);
      } catch (e) {
        if (signal?.aborted) throw aborted();
        if (!(e instanceof RemoteFailure)) throw e;
        failure = e;
      } finally {
        attempt.close();
      }
      if (!this.canRetry(failure, n)) throw failure.toError(n);
      try {
        await this.pause(failure, n, signal);
      } catch (e) {
        if (signal?.aborted) throw aborted();
        throw e;
      }
    }
  }
}

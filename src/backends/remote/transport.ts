/**
 * What every request of the remote backend shares, chat and embeddings alike: the
 * endpoint URL, headers with a token asked for on each attempt (never kept beyond it),
 * the request's deadline, each attempt's own controller and clocks, and the retry
 * policy between attempts.
 */
import type { EdgewiseError } from '../../errors.js';
import type { RemoteOptions } from '../../config-types.js';
import { Deadline } from './deadline.js';
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
  /** The configured headers plus a bearer token asked for now (under the connect clock), for this attempt only. */
  headers(): Promise<Record<string, string>>;
  /** The header values this attempt sent, for its failure to mask (see `RemoteFailure.sent`). */
  secrets(): readonly string[];
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
  readonly #baseURL: URL;
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
    // Resolved once: a page may name a same-origin proxy by path ('/api/v1').
    this.#baseURL = new URL(config.baseURL, globalThis.location?.href);
    this.#headers = config.headers;
    this.#token = config.token;
    this.#timeouts = resolveTimeouts(config.timeouts);
    this.#maxRetries = config.maxRetries ?? DEFAULT_MAX_RETRIES;
    this.#wait = deps.sleep ?? sleep;
    this.#random = deps.random ?? Math.random;
  }

  /**
   * `path` under `baseURL`, before its query: Azure's `…/deployments/d?api-version=2024-10-21`
   * gives `…/deployments/d/chat/completions?api-version=2024-10-21`.
   */
  url(path: string): string {
    const url = new URL(this.#baseURL);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/${path}`;
    return url.href;
  }

  /** The deadline of one request (all its attempts); `close()` it when the request ends. */
  begin(url: string, signal: AbortSignal | undefined): Deadline {
    return new Deadline(this.#timeouts.totalMs, url, signal);
  }

  /** `signal` is the request's {@link Deadline} signal, which follows the caller's. */
  open(url: string, signal: AbortSignal): Attempt {
    const controller = new AbortController();
    const unfollow = follow(signal, controller);
    const token = this.#token;
    const headers = baseHeaders(this.#headers);
    const watch = new Watch(this.#timeouts, controller, url);
    let sent: Record<string, string> = {};
    return {
      signal: controller.signal,
      watch,
      headers: async () => {
        // A token() that never settles would hang the request: it spends the connect clock, as the fetch after it does.
        sent = token ? { ...headers, authorization: await watch.run(bearer(token, controller.signal), 'remote.token() did not settle') } : { ...headers };
        return sent;
      },
      secrets: () => Object.entries(sent).filter(([name]) => name !== 'content-type').flatMap(([, value]) => [value, value.replace(/^Bearer /, '')]),
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

  /**
   * The backoff after attempt `attempt`; rejects with the deadline's reason as soon as it
   * aborts, and with `failure` itself when the wait would outlast the deadline: better the
   * server's own answer now than a timeout later.
   */
  async pause(failure: RemoteFailure, attempt: number, deadline: Deadline): Promise<void> {
    const ms = backoffMs(attempt - 1, this.#random, failure.retryAfterMs);
    if (ms >= deadline.remainingMs()) throw failure;
    await abortable(this.#wait(ms, deadline.signal), deadline.signal);
  }

  /**
   * A request that succeeds whole or not at all (nothing reaches the caller before it
   * ends), so every retryable failure may be retried. An abort rejects with `aborted()`.
   */
  async retrying<T>(url: string, signal: AbortSignal | undefined, aborted: () => EdgewiseError, run: (attempt: Attempt) => Promise<T>): Promise<T> {
    const deadline = this.begin(url, signal);
    try {
      for (let n = 1; ; n++) {
        if (signal?.aborted) throw aborted();
        const attempt = this.open(url, deadline.signal);
        let failure: RemoteFailure;
        try {
          return await run(attempt);
        } catch (e) {
          if (signal?.aborted) throw aborted();
          if (!(e instanceof RemoteFailure)) throw e;
          failure = e.sent(attempt.secrets());
        } finally {
          attempt.close();
        }
        if (!this.canRetry(failure, n)) throw failure.toError(n);
        try {
          await this.pause(failure, n, deadline);
        } catch (e) {
          if (signal?.aborted) throw aborted();
          throw e instanceof RemoteFailure ? e.toError(n) : e;
        }
      }
    } finally {
      deadline.close();
    }
  }
}

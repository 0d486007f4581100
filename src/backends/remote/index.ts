/**
 * The remote backend: any OpenAI-compatible `/chat/completions` endpoint, streamed over
 * SSE, on the page. It retries what failed before the caller saw any text, never after
 * (a retry then would repeat or contradict what the user already read).
 */
import type { Capabilities } from '../../capabilities.js';
import type { RemoteOptions } from '../../types.js';
import type { Backend, BackendInfo, BackendPart, BackendRequest, Support } from '../backend.js';
import { exchange } from './exchange.js';
import { RemoteFailure } from './failure.js';
import { Meter } from './finish.js';
import { DEFAULT_MAX_RETRIES, resolveTimeouts, validateRemoteOptions } from './options.js';
import { backoffMs } from './retry.js';
import { abortable, follow, sleep } from './signals.js';
import { Watch } from './timeouts.js';
import { requestBody } from './wire.js';

export { validateRemoteOptions } from './options.js';
export type { RemoteOptionName, RemoteTimeouts } from './options.js';
export type { TimeoutPhase } from './timeouts.js';

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

export interface RemoteGenerateOptions {
  signal?: AbortSignal;
  /** `false` asks for one JSON completion and emits it as a single text part. Default true. */
  stream?: boolean;
}

export interface RemoteBackend extends Backend {
  generate(request: BackendRequest, options?: RemoteGenerateOptions): AsyncIterable<BackendPart>;
}

const chatURL = (baseURL: string): string => `${baseURL.replace(/\/+$/, '')}/chat/completions`;

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

/**
 * Creates the backend for an OpenAI-compatible endpoint. Options are checked at once.
 * @throws EdgewiseError `invalid_option` for bad options.
 * @example
 * const remote = createRemoteBackend({
 *   baseURL: 'https://api.example.com/v1',
 *   model: 'gpt-4o-mini',
 *   token: () => fetch('/api/llm-token').then((r) => r.text()),
 *   prices: { input: 0.15, output: 0.6 },
 * });
 * for await (const part of remote.generate(request, { signal })) {
 *   if (part.type === 'text') out.append(part.text);
 *   else console.log(part.usage, part.cost);
 * }
 */
export function createRemoteBackend(options: RemoteOptions, deps: RemoteDeps = {}): RemoteBackend {
  const config = validateRemoteOptions(options);
  const url = chatURL(config.baseURL);
  const timeouts = resolveTimeouts(config.timeouts);
  const maxRetries = config.maxRetries ?? DEFAULT_MAX_RETRIES;
  // Called through globalThis: a detached `fetch` throws "Illegal invocation" in browsers.
  const fetchFn = deps.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const wait = deps.sleep ?? sleep;
  const random = deps.random ?? Math.random;
  const now = deps.now ?? (() => performance.timeOrigin + performance.now());

  async function* generate(request: BackendRequest, o: RemoteGenerateOptions = {}): AsyncGenerator<BackendPart, void, undefined> {
    const { signal, stream = true } = o;
    const meter = new Meter(request.startedAt, now);
    const body = JSON.stringify(requestBody(config.model, request, stream));
    const aborted = (): BackendPart => meter.finish('abort', undefined, config.prices);
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) return yield aborted();
      const controller = new AbortController();
      const unfollow = follow(signal, controller);
      let failure: RemoteFailure;
      try {
        const headers = baseHeaders(config.headers);
        if (config.token) headers.authorization = await bearer(config.token, controller.signal);
        const watch = new Watch(timeouts, controller, url);
        for await (const item of exchange({ url, headers, body, stream, fetch: fetchFn, signal: controller.signal, watch, now })) {
          // Nothing after an abort, even text that already arrived.
          if (signal?.aborted) break;
          if (item.type === 'end') return yield meter.finish(item.reason, item.usage, config.prices);
          meter.text();
          yield { type: 'text', text: item.text };
        }
        if (signal?.aborted) return yield aborted();
        // Unreachable: exchange() ends with an `end` item or throws.
        throw new RemoteFailure({ code: 'remote_protocol_error', message: `${url}: the answer ended without an end.`, retryable: false });
      } catch (e) {
        // Leaving the loop early or an abort cancels the fetch; so does this, before we wait.
        controller.abort();
        if (signal?.aborted) return yield aborted();
        if (!(e instanceof RemoteFailure)) throw e;
        failure = e;
      } finally {
        controller.abort();
        unfollow();
      }
      if (meter.started || !failure.retryable || attempt > maxRetries) throw failure.toError(attempt, meter.started);
      try {
        await abortable(wait(backoffMs(attempt - 1, random, failure.retryAfterMs), signal), signal);
      } catch (e) {
        if (signal?.aborted) return yield aborted();
        throw e;
      }
    }
  }

  return {
    specificationVersion: 'v2',
    id: 'remote',
    location: 'remote',
    supports(_request: BackendRequest, capabilities: Capabilities): Support {
      return capabilities.online
        ? { ok: true }
        : { ok: false, code: 'offline', detail: `The device is offline, so ${url} cannot be reached.` };
    },
    // Nothing to load: a request here would only tell us the endpoint was up a moment ago.
    load: (): Promise<BackendInfo> => Promise.resolve({ ranOn: 'remote' }),
    generate,
    unload: (): Promise<void> => Promise.resolve(),
  };
}

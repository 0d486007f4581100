/**
 * Checks `remote` options where they are given, so a typo fails at `createEngine` with
 * the option named, instead of as a confusing HTTP error on the first request.
 */
import { EdgewiseError } from '../../errors.js';
import type { RemoteOptions, RemotePrices } from '../../config-types.js';
import { maskUrl } from './mask.js';

/** The option an `invalid_option` error from {@link validateRemoteOptions} names in `details.option`. */
export type RemoteOptionName =
  | 'remote'
  | 'remote.baseURL'
  | 'remote.model'
  | 'remote.embeddingModel'
  | 'remote.headers'
  | 'remote.token'
  | 'remote.prices'
  | 'remote.timeouts'
  | 'remote.maxRetries';

/** Every timeout applied, defaults filled in. */
export interface RemoteTimeouts {
  connectMs: number;
  firstByteMs: number;
  idleMs: number;
  /** One deadline for the whole request: every attempt, every wait between them, the whole stream. */
  totalMs: number;
}

/** totalMs: five minutes fits a long answer from a slow reasoning model, yet no request lives for ever. */
export const DEFAULT_TIMEOUTS: Readonly<RemoteTimeouts> = Object.freeze({ connectMs: 10_000, firstByteMs: 30_000, idleMs: 30_000, totalMs: 300_000 });
export const DEFAULT_MAX_RETRIES = 2;
/** More retries than this only hammers an endpoint that is down (the backoff cap is 60 s). */
const MAX_RETRIES_LIMIT = 10;
/** setTimeout clamps larger delays to 1 ms in browsers and Node. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const KNOWN = ['baseURL', 'model', 'embeddingModel', 'headers', 'token', 'prices', 'timeouts', 'maxRetries'] as const;
const TIMEOUT_KEYS = ['connectMs', 'firstByteMs', 'idleMs', 'totalMs'] as const;

function bad(option: RemoteOptionName, message: string): EdgewiseError {
  return new EdgewiseError('invalid_option', message, { details: { option } });
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const describe = (v: unknown): string => (typeof v === 'function' ? 'a function' : JSON.stringify(v) ?? String(v));

/**
 * Plain http: only where nothing crosses a network: the loopback block 127.0.0.0/8 and
 * `[::1]` (RFC 6890), and `localhost` (RFC 6761 §6.3). The URL parser has already turned
 * `127.1` or `0x7f000001` into dotted form, so one pattern covers them.
 */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

function checkBaseURL(v: unknown): string {
  const hint = "pass the endpoint's base URL, e.g. { baseURL: 'https://api.example.com/v1' }";
  if (typeof v !== 'string' || v.trim() === '') throw bad('remote.baseURL', `remote.baseURL is ${describe(v)}: ${hint}.`);
  let url: URL;
  try {
    // A page may name a same-origin proxy with a path ('/api/v1'); Node has no location.
    url = new URL(v, globalThis.location?.href);
  } catch {
    throw bad('remote.baseURL', `remote.baseURL ${JSON.stringify(maskUrl(v))} is not a URL: ${hint}.`);
  }
  const shown = JSON.stringify(maskUrl(url.href));
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw bad('remote.baseURL', `remote.baseURL uses ${url.protocol}: only http: and https: endpoints work; ${hint}.`);
  }
  // The token and every prompt would cross the network in clear text.
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw bad('remote.baseURL', `remote.baseURL ${shown} uses plain http: to a host that is not loopback: use https:, or http: only for 127.0.0.1, [::1] or localhost.`);
  }
  // Not quoted back: whatever sits before the @ is a credential. fetch() refuses such URLs in browsers anyway.
  if (url.username !== '' || url.password !== '') {
    throw bad('remote.baseURL', 'remote.baseURL carries a user name or password (user:pass@host): remove it, and send the credential with remote.token (a short-lived token from your backend) or remote.headers.');
  }
  // The fragment never reaches the server, and `{baseURL}/chat/completions` would land inside it.
  if (url.hash !== '' || v.includes('#')) {
    throw bad('remote.baseURL', `remote.baseURL ${shown} has a #fragment, which is never sent to the server: remove it.`);
  }
  return v;
}

function checkHeaders(v: unknown): Readonly<Record<string, string>> {
  if (!isRecord(v) || Object.values(v).some((x) => typeof x !== 'string')) {
    // Values are not quoted back: a header may hold a credential.
    throw bad('remote.headers', `remote.headers is not an object of strings: pass e.g. { 'x-team': 'docs' }.`);
  }
  return { ...(v as Record<string, string>) };
}

function checkPrices(v: unknown): RemotePrices {
  const price = (x: unknown): boolean => typeof x === 'number' && Number.isFinite(x) && x >= 0;
  if (!isRecord(v) || !price(v.input) || !price(v.output)) {
    throw bad('remote.prices', `remote.prices is ${describe(v)}: pass prices per million tokens, e.g. { input: 0.15, output: 0.6, currency: 'USD' }.`);
  }
  if (v.currency !== undefined && (typeof v.currency !== 'string' || v.currency === '')) {
    throw bad('remote.prices', `remote.prices.currency is ${describe(v.currency)}: pass a currency code such as 'USD', or leave it out.`);
  }
  const out: RemotePrices = { input: v.input as number, output: v.output as number };
  if (typeof v.currency === 'string') out.currency = v.currency;
  return out;
}

function checkTimeouts(v: unknown): NonNullable<RemoteOptions['timeouts']> {
  if (!isRecord(v)) throw bad('remote.timeouts', `remote.timeouts is ${describe(v)}: pass e.g. { connectMs: 10000, firstByteMs: 30000, idleMs: 30000, totalMs: 300000 }.`);
  const out: NonNullable<RemoteOptions['timeouts']> = {};
  for (const key of Object.keys(v)) {
    if (!(TIMEOUT_KEYS as readonly string[]).includes(key)) {
      throw bad('remote.timeouts', `remote.timeouts.${key} is not a timeout: use ${TIMEOUT_KEYS.join(', ')}.`);
    }
  }
  for (const key of TIMEOUT_KEYS) {
    const ms = v[key];
    if (ms === undefined) continue;
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0 || ms > MAX_TIMER_MS) {
      throw bad('remote.timeouts', `remote.timeouts.${key} is ${describe(ms)}: pass a positive number of milliseconds (default ${DEFAULT_TIMEOUTS[key]}).`);
    }
    out[key] = ms;
  }
  return out;
}

/**
 * Checks untrusted `remote` options and returns a clean copy.
 * @throws EdgewiseError `invalid_option` with `details.option` naming the bad field.
 * @example
 * const remote = validateRemoteOptions({ baseURL: 'https://api.example.com/v1', model: 'gpt-4o-mini' });
 */
export function validateRemoteOptions(options: unknown): RemoteOptions {
  if (!isRecord(options)) {
    throw bad('remote', `remote is ${describe(options)}: pass { baseURL, model }, e.g. { baseURL: 'https://api.example.com/v1', model: 'gpt-4o-mini' }.`);
  }
  for (const key of Object.keys(options)) {
    if ((KNOWN as readonly string[]).includes(key)) continue;
    const hint = key === 'baseUrl' ? 'did you mean baseURL?' : key === 'apiKey' ? 'provider keys do not belong in a page: pass token: () => fetchShortLivedToken()' : `known options: ${KNOWN.join(', ')}`;
    throw bad('remote', `remote.${key} is not an option: ${hint}.`);
  }
  const out: RemoteOptions = { baseURL: checkBaseURL(options.baseURL), model: '' };
  if (typeof options.model !== 'string' || options.model.trim() === '') {
    throw bad('remote.model', `remote.model is ${describe(options.model)}: pass the model name the endpoint expects, e.g. 'gpt-4o-mini'.`);
  }
  out.model = options.model;
  if (options.embeddingModel !== undefined) {
    if (typeof options.embeddingModel !== 'string' || options.embeddingModel.trim() === '') {
      throw bad('remote.embeddingModel', `remote.embeddingModel is ${describe(options.embeddingModel)}: pass the embedding model name the endpoint expects, e.g. 'text-embedding-3-small', or leave it out to use remote.model.`);
    }
    out.embeddingModel = options.embeddingModel;
  }
  if (options.headers !== undefined) out.headers = checkHeaders(options.headers);
  if (options.token !== undefined) {
    if (typeof options.token !== 'function') {
      // Not quoted back: a string here is most likely a key.
      throw bad('remote.token', `remote.token is a ${typeof options.token}, not a function: pass a function that returns a short-lived token, e.g. () => fetch('/token').then((r) => r.text()).`);
    }
    out.token = options.token as () => string | Promise<string>;
  }
  if (options.prices !== undefined) out.prices = checkPrices(options.prices);
  if (options.timeouts !== undefined) out.timeouts = checkTimeouts(options.timeouts);
  if (options.maxRetries !== undefined) {
    const n = options.maxRetries;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_RETRIES_LIMIT) {
      throw bad('remote.maxRetries', `remote.maxRetries is ${describe(n)}: pass an integer from 0 to ${MAX_RETRIES_LIMIT} (default ${DEFAULT_MAX_RETRIES}).`);
    }
    out.maxRetries = n;
  }
  return out;
}

/** The timeouts in force: the given ones over the defaults. */
export function resolveTimeouts(t: RemoteOptions['timeouts']): RemoteTimeouts {
  return { ...DEFAULT_TIMEOUTS, ...t };
}

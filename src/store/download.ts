/**
 * HTTP for the weight store: a HEAD preflight, and a streaming GET that resumes with
 * `Range`, checks `Content-Range`/`ETag`, retries cut streams and restarts cleanly when
 * the server cannot continue what was stored.
 */
import { EdgewiseError } from '../errors.js';
import { isHtmlContentType } from './integrity.js';

/** What the server says about a file before its body is read. */
export interface RemoteInfo {
  /** Size in bytes; undefined when the server sends no usable length. */
  size: number | undefined;
  etag: string | null;
}

/** Receives a body. `offset` is the next absolute byte it wants. */
export interface BodyTarget {
  readonly offset: number;
  readonly size: number | undefined;
  readonly etag: string | null;
  /**
   * Called before a body is consumed. `from === 0` while `offset > 0` means the server
   * could not continue (ignored Range, changed ETag): the target must drop what it has.
   */
  begin(info: RemoteInfo, from: number): Promise<void>;
  /** The next bytes, at `offset`. */
  write(piece: Uint8Array): Promise<void>;
}

export interface DownloadOptions {
  fetch: typeof fetch;
  signal: AbortSignal;
  /** Failed attempts allowed in a row; an attempt that moved `progressUnit` bytes resets the count. */
  retries: number;
  retryDelayMs: number;
  progressUnit: number;
  /** True when bytes of this file are already stored: a dead network is then `offline`. */
  hasStoredBytes: () => boolean;
}

/** A failure worth another attempt: a dropped connection, a short body, a 5xx. */
class Retryable extends Error {
  readonly reachable: boolean;
  /** The HTTP status, when the server answered with an error. */
  readonly status: number | undefined;
  constructor(message: string, reachable: boolean, cause?: unknown, status?: number) {
    super(message, cause === undefined ? undefined : { cause });
    this.reachable = reachable;
    this.status = status;
  }
}

/** The server could not continue the stored bytes; the next attempt starts from byte 0. */
class Restart extends Error {}

const MAX_RESTARTS = 3;

function notFound(url: string, status: number): EdgewiseError {
  const hint = status === 401 || status === 403
    ? 'the host refused access (a gated or private model needs credentials the SDK does not send): use a public URL'
    : 'check the model URL and file name';
  return new EdgewiseError('model_not_found', `${url} answered ${status}: ${hint}.`, { details: { url, status } });
}

/** The `not_a_model` error for an HTML page (or other non-model body) at `url`. */
export function notAModel(url: string, why: string): EdgewiseError {
  return new EdgewiseError('not_a_model', `${url} ${why}, not a model file: the URL probably points at a web page or a host's fallback page. Check the model URL.`, { details: { url } });
}

function unreachable(url: string, cause: unknown, stored: boolean): EdgewiseError {
  return stored
    ? new EdgewiseError('offline', `Lost the connection while downloading ${url}; what was stored is kept. Check the connection and load again: the download resumes.`, { cause, details: { url } })
    : new EdgewiseError('model_not_found', `Could not reach ${url}: check the URL and the connection (and that the host allows CORS).`, { cause, details: { url } });
}

function lengthOf(res: Response): number | undefined {
  const raw = res.headers.get('content-length');
  const n = raw === null ? NaN : Number(raw);
  const encoding = res.headers.get('content-encoding');
  // A compressed body's Content-Length counts compressed bytes, not what we receive.
  if (encoding !== null && encoding !== 'identity') return undefined;
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

function contentRange(res: Response): { start: number; end: number; size: number } | undefined {
  const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(res.headers.get('content-range') ?? '');
  return m ? { start: Number(m[1]), end: Number(m[2]), size: Number(m[3]) } : undefined;
}

function etagChanged(known: string | null, now: string | null): boolean {
  return known !== null && now !== null && known !== now;
}

/**
 * HEAD preflight: size and ETag before any body streams, so the load knows its total
 * and can check the quota. Resolves `'missing'` for 404/410.
 * @throws EdgewiseError `model_not_found` (unreachable, 401/403), `not_a_model` (HTML).
 */
export async function probe(url: string, fetchFn: typeof fetch, signal: AbortSignal, stored: boolean): Promise<RemoteInfo | 'missing'> {
  let res: Response;
  try {
    res = await fetchFn(url, { method: 'HEAD', cache: 'no-store', signal });
  } catch (e) {
    if (signal.aborted) throw e;
    throw unreachable(url, e, stored);
  }
  if (res.status === 404 || res.status === 410) return 'missing';
  if (res.status === 401 || res.status === 403) throw notFound(url, res.status);
  if (isHtmlContentType(res.headers.get('content-type'))) throw notAModel(url, 'is an HTML page (Content-Type text/html)');
  // Some hosts refuse HEAD (405) or fail it; the GET's own headers decide then.
  if (!res.ok) return { size: undefined, etag: null };
  return { size: lengthOf(res), etag: res.headers.get('etag') };
}

/**
 * Streams `url` into `target` from `target.offset`, resuming with Range after a cut.
 * @throws EdgewiseError, or the abort reason when `signal` fires.
 */
export async function download(url: string, target: BodyTarget, o: DownloadOptions): Promise<void> {
  let failures = 0;
  let restarts = 0;
  for (;;) {
    const startedAt = target.offset;
    try {
      await attempt(url, target, o);
      return;
    } catch (e) {
      if (o.signal.aborted) throw o.signal.reason ?? e;
      if (e instanceof Restart) {
        if (++restarts > MAX_RESTARTS) throw new EdgewiseError('integrity_error', `${url} keeps changing while it downloads (${restarts} restarts): try again later.`, { details: { url } });
        continue;
      }
      if (!(e instanceof Retryable)) throw e;
      if (target.offset - startedAt >= o.progressUnit) failures = 0;
      if (++failures > o.retries) {
        if (!e.reachable) throw unreachable(url, e.cause ?? e, o.hasStoredBytes() || target.offset > 0);
        if (e.status !== undefined) {
          throw new EdgewiseError('model_not_found', `${e.message} ${failures} times: the host is failing. Try again later or use another mirror.`, { cause: e, details: { url, status: e.status } });
        }
        throw new EdgewiseError('offline', `${e.message} (gave up after ${failures} attempts); what was stored is kept: load again later to resume.`, { cause: e, details: { url } });
      }
      await sleep(o.retryDelayMs * failures, o.signal);
    }
  }
}

async function attempt(url: string, target: BodyTarget, o: DownloadOptions): Promise<void> {
  const from = target.offset;
  let res: Response;
  try {
    // no-store: the store keeps the bytes; the HTTP cache would hold a second copy.
    res = await o.fetch(url, { cache: 'no-store', signal: o.signal, headers: from > 0 ? { Range: `bytes=${from}-` } : {} });
  } catch (e) {
    throw new Retryable(`Could not reach ${url}`, false, e);
  }
  const status = res.status;
  if (status === 416) return restart(res, target);
  if (status === 429 || status >= 500) {
    discard(res);
    throw new Retryable(`${url} answered ${status}`, true, undefined, status);
  }
  if (!res.ok) {
    discard(res);
    throw notFound(url, status);
  }
  if (isHtmlContentType(res.headers.get('content-type'))) {
    discard(res);
    throw notAModel(url, 'is an HTML page (Content-Type text/html)');
  }

  const etag = res.headers.get('etag');
  if (status === 206) {
    const range = contentRange(res);
    // Continue only the very bytes we stored: same start, same file size, same ETag.
    if (!range || range.start !== from || (target.size !== undefined && range.size !== target.size) || etagChanged(target.etag, etag)) {
      return restart(res, target);
    }
    await target.begin({ size: range.size, etag: etag ?? target.etag }, from);
  } else {
    // A 200 is the whole file: the server ignored our Range, or this is a first request.
    await target.begin({ size: lengthOf(res), etag }, 0);
  }
  await pump(res, target, url);
}

async function pump(res: Response, target: BodyTarget, url: string): Promise<void> {
  if (!res.body) throw new Retryable(`${url} sent no body`, true);
  const reader = res.body.getReader();
  try {
    for (;;) {
      let step: ReadableStreamReadResult<Uint8Array>;
      try {
        step = await reader.read();
      } catch (e) {
        throw new Retryable(`The connection to ${url} dropped after ${target.offset} bytes`, true, e);
      }
      if (step.done) break;
      await target.write(step.value);
    }
  } finally {
    // Stops the network transfer when we leave early (a failed check or a store error).
    reader.cancel().catch(() => undefined);
  }
  if (target.size !== undefined && target.offset < target.size) {
    throw new Retryable(`${url} ended after ${target.offset} of ${target.size} bytes`, true);
  }
}

/** Closes a body we will not read, so its connection is freed now rather than at GC. */
function discard(res: Response): void {
  res.body?.cancel().catch(() => undefined);
}

async function restart(res: Response, target: BodyTarget): Promise<never> {
  discard(res);
  await target.begin({ size: undefined, etag: null }, 0);
  throw new Restart();
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => { signal.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = (): void => { clearTimeout(timer); reject(signal.reason); };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The HTTP steps every request shares: POST under the attempt's {@link Watch}, turn a
 * redirect, a non-2xx answer or an HTML page into its typed failure, and read a whole
 * body up to its cap.
 */
import { RemoteFailure, networkFailure, protocolFailure, redirectFailure, tooLargeFailure } from './failure.js';
import { httpFailure } from './http-errors.js';
import type { Watch } from './timeouts.js';

export interface PostInit {
  url: string;
  headers: Record<string, string>;
  body: string;
  fetch: typeof fetch;
  /** The attempt's signal: the caller's abort, a timeout, or the attempt closing. */
  signal: AbortSignal;
  watch: Watch;
  now: () => number;
}

/** A 2xx answer with a body that is not an HTML page. */
export interface Answer {
  status: number;
  contentType: string;
  /** The declared Content-Length; undefined when absent (chunked) or not a number. */
  length: number | undefined;
  body: ReadableStream<Uint8Array>;
}

/** The connect clock runs to the response headers; from then on the first-byte clock. */
export async function post(x: PostInit): Promise<Answer> {
  let res: Response;
  try {
    // 'manual', not 'error': a refused redirect then reads as what it is, not as a network error to retry.
    res = await x.watch.run(x.fetch(x.url, { method: 'POST', headers: x.headers, body: x.body, signal: x.signal, redirect: 'manual' }));
  } catch (e) {
    throw e instanceof RemoteFailure ? e : networkFailure(x.url, e, 'connect');
  }
  if (res.type === 'opaqueredirect' || (res.status >= 300 && res.status < 400)) {
    res.body?.cancel().catch(() => undefined);
    throw redirectFailure(x.url, res.status, res.headers.get('location'));
  }
  x.watch.headers();
  if (!res.ok) throw await httpFailure(res, x.url, x.watch, x.now);
  const contentType = (res.headers.get('content-type') ?? '').toLowerCase();
  // A proxy's login or error page sent with 200: no OpenAI server answers HTML.
  if (contentType.includes('text/html')) {
    res.body?.cancel().catch(() => undefined);
    throw protocolFailure(x.url, 'answered with an HTML page');
  }
  if (!res.body) throw protocolFailure(x.url, `answered ${res.status} without a body`);
  const declared = Number(res.headers.get('content-length') ?? Number.NaN);
  return { status: res.status, contentType, length: Number.isFinite(declared) ? declared : undefined, body: res.body };
}

/**
 * The whole body as text, at most `limitBytes` (`what` names the body in the error). The
 * first read runs on the first-byte clock; once bytes flow, each read gets `idleMs`, so a
 * large body on a slow link passes while a stalled one does not.
 * @throws RemoteFailure `remote_protocol_error` past the cap, said or found; reading stops there.
 */
export async function readText(answer: Answer, watch: Watch, url: string, limitBytes: number, what: string): Promise<string> {
  if (answer.length !== undefined && answer.length > limitBytes) {
    answer.body.cancel().catch(() => undefined);
    throw tooLargeFailure(url, limitBytes, what);
  }
  const reader = answer.body.getReader();
  const decoder = new TextDecoder();
  const pieces: string[] = [];
  let bytes = 0;
  try {
    for (;;) {
      const step = await watch.run(reader.read());
      if (step.done) break;
      bytes += step.value.byteLength;
      if (bytes > limitBytes) throw tooLargeFailure(url, limitBytes, what);
      if (step.value.byteLength > 0) watch.content();
      pieces.push(decoder.decode(step.value, { stream: true }));
    }
  } catch (e) {
    throw e instanceof RemoteFailure ? e : networkFailure(url, e, 'drop');
  } finally {
    reader.cancel().catch(() => undefined);
  }
  pieces.push(decoder.decode());
  return pieces.join('');
}

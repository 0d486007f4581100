/**
 * The HTTP steps every request shares: POST under the attempt's {@link Watch}, turn a
 * non-2xx answer or an HTML page into its typed failure, and read a whole body.
 */
import { RemoteFailure, networkFailure, protocolFailure } from './failure.js';
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
  body: ReadableStream<Uint8Array>;
}

/** The connect clock runs to the response headers; from then on the first-byte clock. */
export async function post(x: PostInit): Promise<Answer> {
  let res: Response;
  try {
    res = await x.watch.run(x.fetch(x.url, { method: 'POST', headers: x.headers, body: x.body, signal: x.signal }));
  } catch (e) {
    throw e instanceof RemoteFailure ? e : networkFailure(x.url, e, 'connect');
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
  return { status: res.status, contentType, body: res.body };
}

/**
 * The whole body as text. The first read runs on the first-byte clock; once bytes flow,
 * each read gets `idleMs`, so a large body on a slow link passes while a stalled one does not.
 */
export async function readText(body: ReadableStream<Uint8Array>, watch: Watch, url: string): Promise<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const pieces: string[] = [];
  try {
    for (;;) {
      const step = await watch.run(reader.read());
      if (step.done) break;
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

/**
 * The remote backend for every OpenAI-compatible endpoint, on the page. Chat goes to
 * `/chat/completions`, streamed over SSE; it retries what failed before the caller saw
 * any text, never after (a retry then would repeat or contradict what the user already
 * read). Embeddings go to `/embeddings` (see `embed.ts`).
 */
import type { Capabilities } from '../../capabilities.js';
import type { RemoteOptions } from '../../config-types.js';
import type { Backend, BackendInfo, BackendPart, BackendRequest, EmbedOptions, EmbedRequest, EmbedResult, Support } from '../backend.js';
import { embedRemote } from './embed.js';
import { exchange } from './exchange.js';
import { RemoteFailure } from './failure.js';
import { Meter } from './finish.js';
import { validateRemoteOptions } from './options.js';
import { Transport, type RemoteDeps } from './transport.js';
import { requestBody } from './wire.js';

export { validateRemoteOptions } from './options.js';
export type { RemoteOptionName, RemoteTimeouts } from './options.js';
export type { TimeoutPhase } from './timeouts.js';
export type { RemoteDeps } from './transport.js';

export interface RemoteGenerateOptions {
  signal?: AbortSignal;
  /** `false` asks for one JSON completion and emits it as a single text part. Default true. */
  stream?: boolean;
}

export interface RemoteBackend extends Backend {
  generate(request: BackendRequest, options?: RemoteGenerateOptions): AsyncIterable<BackendPart>;
  /**
   * `remote.embeddingModel` (else `remote.model`) embeds the texts, at most `min(2048, max(batchSize, 256))` per HTTP
   * request, one request after another. `pooling` is ignored and `truncated` is always
   * empty: the server decides both and reports neither.
   */
  embed(request: EmbedRequest, options?: EmbedOptions): Promise<EmbedResult>;
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
 * const { vectors } = await remote.embed({ texts: ['a', 'b'], batchSize: 32, normalize: true }, { signal });
 */
export function createRemoteBackend(options: RemoteOptions, deps: RemoteDeps = {}): RemoteBackend {
  const config = validateRemoteOptions(options);
  const transport = new Transport(config, deps);
  const url = transport.url('chat/completions');
  const { now } = transport;

  async function* generate(request: BackendRequest, o: RemoteGenerateOptions = {}): AsyncGenerator<BackendPart, void, undefined> {
    const { signal, stream = true } = o;
    const meter = new Meter(request.startedAt, now);
    const body = JSON.stringify(requestBody(config.model, request, stream));
    const aborted = (): BackendPart => meter.finish('abort', undefined, config.prices);
    for (let n = 1; ; n++) {
      if (signal?.aborted) return yield aborted();
      const attempt = transport.open(url, signal);
      let failure: RemoteFailure;
      try {
        const headers = await attempt.headers();
        for await (const item of exchange({ url, headers, body, stream, fetch: transport.fetch, signal: attempt.signal, watch: attempt.watch, now })) {
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
        attempt.close();
        if (signal?.aborted) return yield aborted();
        if (!(e instanceof RemoteFailure)) throw e;
        failure = e;
      } finally {
        attempt.close();
      }
      if (meter.started || !transport.canRetry(failure, n)) throw failure.toError(n, meter.started);
      try {
        await transport.pause(failure, n, signal);
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
    embed: (request: EmbedRequest, o?: EmbedOptions): Promise<EmbedResult> => embedRemote(transport, { model: config.embeddingModel ?? config.model, prices: config.prices }, request, o),
    unload: (): Promise<void> => Promise.resolve(),
  };
}

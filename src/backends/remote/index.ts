/**
 * The remote backend for every OpenAI-compatible endpoint, on the page, behind the
 * `BackendV3` contract. Chat goes to `/chat/completions`, streamed over SSE (see
 * `chat.ts`), with `response_format` and tools on the wire; embeddings go to
 * `/embeddings` (see `embed.ts`). What leaves the page is not its concern: redaction is a
 * middleware around it.
 */
import type { Capabilities } from '../../capabilities.js';
import type { RemoteOptions } from '../../config-types.js';
import type { ModelInfo } from '../../types.js';
import type { BackendPart, BackendRequest, BackendState, BackendV3, EmbedOptions, EmbedRequest, EmbedResult, GenerateOptions, Support } from '../backend.js';
import { REMOTE_CAPABILITIES } from './capabilities.js';
import { chat } from './chat.js';
import { embedRemote } from './embed.js';
import { maskUrl } from './mask.js';
import { validateRemoteOptions } from './options.js';
import { Transport, type RemoteDeps } from './transport.js';

export { REMOTE_CAPABILITIES } from './capabilities.js';
export { validateRemoteOptions } from './options.js';
export type { RemoteOptionName, RemoteTimeouts } from './options.js';
export type { TimeoutPhase } from './timeouts.js';
export type { RemoteDeps } from './transport.js';

/** Nothing to load, so always loaded; it runs where the endpoint is. */
const STATE: BackendState = Object.freeze({ ranOn: 'remote', loaded: true });

export interface RemoteBackend extends BackendV3 {
  readonly kind: 'remote';
  readonly location: 'remote';
  /**
   * Text and tool calls, streamed unless `stream: false` (one JSON completion). With
   * `responseFormat`, `finish.metadata.remote.responseFormat` says what the endpoint took;
   * a `degraded` warning comes first when it refused `json_schema`.
   */
  generate(request: BackendRequest, options?: GenerateOptions): AsyncIterable<BackendPart>;
  /**
   * `remote.embeddingModel` (else `remote.model`) embeds the texts, at most `min(2048, max(batchSize, 256))` per HTTP
   * request, one request after another. `pooling` is ignored and `truncated` is always
   * empty: the server decides both and reports neither.
   */
  embed(request: EmbedRequest, options?: EmbedOptions): Promise<EmbedResult>;
}

/**
 * Creates the backend for an OpenAI-compatible endpoint. Options are checked at once:
 * `baseURL` is `https:` (plain `http:` only to 127.0.0.0/8, `[::1]` or `localhost`), with
 * no user info and no fragment; a query (Azure's `?api-version=`) stays after the path.
 * Redirects are refused, not followed (`remote_protocol_error`), whole bodies are capped
 * (`caps.ts`), every request ends within `timeouts.totalMs`, and errors never repeat a
 * query value, a token or a header value that was sent (`mask.ts`).
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
 *   else if (part.type === 'tool-call') calls.push(part);
 *   else if (part.type === 'finish') console.log(part.reason, part.usage, part.cost);
 * }
 * const { vectors } = await remote.embed({ texts: ['a', 'b'], batchSize: 32, normalize: true }, { signal });
 */
export function createRemoteBackend(options: RemoteOptions, deps: RemoteDeps = {}): RemoteBackend {
  const config = validateRemoteOptions(options);
  const transport = new Transport(config, deps);
  const url = transport.url('chat/completions');
  // Ids for calls a server sends without one; unique per backend, so a history of several turns never repeats one.
  let calls = 0;
  const context = { transport, url, model: config.model, prices: config.prices, toolCallId: () => `call_${++calls}` };

  return {
    specificationVersion: 'v3',
    kind: 'remote',
    location: 'remote',
    capabilities: REMOTE_CAPABILITIES,
    state: STATE,
    supports(capabilities: Capabilities): Support {
      return capabilities.online
        ? { ok: true }
        : { ok: false, code: 'offline', detail: `The device is offline, so ${maskUrl(url)} cannot be reached.` };
    },
    // Nothing to load: a request here would only tell us the endpoint was up a moment ago.
    load: (): Promise<ModelInfo> => Promise.resolve({ ranOn: 'remote' }),
    generate: (request: BackendRequest, o?: GenerateOptions): AsyncIterable<BackendPart> => chat(context, request, o),
    embed: (request: EmbedRequest, o?: EmbedOptions): Promise<EmbedResult> => embedRemote(transport, { model: config.embeddingModel ?? config.model, prices: config.prices }, request, o),
    unload: (): Promise<void> => Promise.resolve(),
  };
}

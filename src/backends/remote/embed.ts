/**
 * Embeddings from an OpenAI-compatible `{baseURL}/embeddings`, sent in batches one after
 * another. Each batch is whole or nothing, so every retryable failure is retried (unlike
 * a chat stream, nothing has reached the caller mid-request).
 *
 * What the remote path cannot honour, by design:
 * - `pooling` is ignored: the server's model decides how it pools.
 * - `truncated` is always empty: servers either cut long inputs without saying so or
 *   reject them (OpenAI answers 400, a `remote_http_error`), and neither tells us which.
 *
 * Timeouts are chat's three clocks with the same meaning: `connectMs` to the response
 * headers (servers compute the whole batch before sending them), `firstByteMs` to the
 * first byte of the body, then `idleMs` between reads. A batch of 2,048 large vectors is
 * tens of MB as JSON, so the body gets an idle clock: a slow but steady link passes, a
 * stalled one does not. Each batch request (its attempts and waits included) has its own
 * `totalMs`: a job of 100 000 texts is many requests by design, and the caller's signal
 * bounds the whole. The body is capped by the inputs sent (`caps.ts`).
 */
import { EdgewiseError } from '../../errors.js';
import type { RemotePrices } from '../../config-types.js';
import type { EmbedOptions, EmbedRequest, EmbedResult } from '../backend.js';
import { embeddingsCapBytes } from './caps.js';
import { embeddingsBody, readEmbeddings } from './embeddings-wire.js';
import { costOf } from './finish.js';
import { post, readText } from './http.js';
import type { Transport } from './transport.js';

/** OpenAI's limit of inputs per request. */
export const MAX_INPUTS_PER_REQUEST = 2048;
/** `batchSize` is sized for a local forward pass; a remote request is a round trip, so send at least this many. */
export const MIN_INPUTS_PER_REQUEST = 256;

/**
 * Texts per HTTP request: `min(2048, max(batchSize, 256))`.
 * @example inputsPerRequest(32) === 256; inputsPerRequest(1000) === 1000; inputsPerRequest(5000) === 2048
 */
export function inputsPerRequest(batchSize: number): number {
  return Math.min(MAX_INPUTS_PER_REQUEST, Math.max(batchSize, MIN_INPUTS_PER_REQUEST));
}

/** In place; a zero vector stays zero rather than becoming NaN. */
function normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (const x of v) sum += x * x;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] = (v[i] ?? 0) / norm;
  return v;
}

export interface EmbedConfig {
  model: string;
  prices: RemotePrices | undefined;
}

export async function embedRemote(t: Transport, config: EmbedConfig, request: EmbedRequest, options: EmbedOptions = {}): Promise<EmbedResult> {
  const { signal, onBatch } = options;
  const url = t.url('embeddings');
  const size = inputsPerRequest(request.batchSize);
  const vectors: Float32Array[] = [];
  let promptTokens = 0;
  let dims: number | undefined;
  if (signal?.aborted) throw new EdgewiseError('aborted', 'The embedding request was aborted before it started.', { cause: signal.reason, details: { done: 0 } });
  for (let start = 0; start < request.texts.length; start += size) {
    const input = request.texts.slice(start, start + size);
    const body = JSON.stringify(embeddingsBody(config.model, input));
    const done = vectors.length;
    const aborted = (): EdgewiseError => new EdgewiseError('aborted', `The embedding request was aborted after ${done} of ${request.texts.length} texts.`, { cause: signal?.reason, details: { done } });
    const batch = await t.retrying(url, signal, aborted, async (attempt) => {
      const answer = await post({ url, headers: await attempt.headers(), body, fetch: t.fetch, signal: attempt.signal, watch: attempt.watch, now: t.now });
      const text = await readText(answer, attempt.watch, url, embeddingsCapBytes(input.length), `an embeddings answer for ${input.length} texts`);
      return readEmbeddings(text, url, input.length, answer.status, dims);
    });
    dims ??= batch.vectors[0]?.length;
    promptTokens += batch.promptTokens;
    for (const v of batch.vectors) vectors.push(request.normalize ? normalize(v) : v);
    onBatch?.(vectors.length);
  }
  const result: EmbedResult = { vectors, truncated: [], promptTokens, ranOn: 'remote', model: `remote:${config.model}` };
  if (config.prices !== undefined) result.cost = costOf({ promptTokens, completionTokens: 0 }, config.prices);
  return result;
}

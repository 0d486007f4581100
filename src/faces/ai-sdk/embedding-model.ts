/**
 * The engine's embeddings as a V4 embedding model: `engine.embed()` routes each call as
 * the policy says (local encoder or the remote `/embeddings`), and
 * `providerMetadata.edgewise` says where it ran and which texts were cut.
 */
import type { EmbeddingModelV4, EmbeddingModelV4CallOptions, EmbeddingModelV4Result, JSONObject, SharedV4Warning } from '@ai-sdk/provider';
import type { Embeddings, Engine } from '../../index.js';
import { appHeaders } from './call-options.js';
import { sdkError } from './engine-errors.js';
import { costJson, redactionsJson, routeJson } from './metadata.js';
import { edgewiseOptions } from './provider-options.js';

/**
 * At most one remote `/embeddings` request per call (the engine sends up to 2,048 inputs
 * per request: docs/embeddings.md); the engine windows local work itself.
 */
const MAX_PER_CALL = 2048;

function metadataOf(e: Embeddings): JSONObject {
  const out: JSONObject = { ranOn: e.ranOn, route: routeJson(e.route), truncated: [...e.truncated] };
  if (e.cost !== undefined) out['cost'] = costJson(e.cost);
  if (e.redactions !== undefined) out['redactions'] = redactionsJson(e.redactions);
  return out;
}

export class EdgewiseEmbeddingModel implements EmbeddingModelV4 {
  readonly specificationVersion = 'v4';
  readonly provider = 'edgewise';
  readonly modelId: string;
  readonly maxEmbeddingsPerCall = MAX_PER_CALL;
  /** Local batches run one at a time in the engine's worker, so parallel calls would only queue there. */
  readonly supportsParallelCalls = false;
  readonly #engine: Engine;

  constructor(engine: Engine, modelId: string) {
    this.#engine = engine;
    this.modelId = modelId;
  }

  async doEmbed(options: EmbeddingModelV4CallOptions): Promise<EmbeddingModelV4Result> {
    const warnings: SharedV4Warning[] = [];
    if (options.dimensions !== undefined) warnings.push({ type: 'unsupported', feature: 'dimensions', details: 'Vectors keep the model\'s own length; edgewise does not shorten them.' });
    if (appHeaders(options.headers).length > 0) warnings.push({ type: 'unsupported', feature: 'headers', details: 'Not sent: the engine sends its configured remote.headers.' });
    const { policy } = edgewiseOptions(options.providerOptions, ['policy']);
    let result: Embeddings;
    try {
      result = await this.#engine.embed(options.values, {
        ...(options.abortSignal === undefined ? {} : { signal: options.abortSignal }),
        ...(policy === undefined ? {} : { policy }),
      });
    } catch (e) {
      // As a fetch-based provider would: an aborted call rejects with the signal's reason.
      if (options.abortSignal?.aborted === true) throw options.abortSignal.reason;
      throw await sdkError(this.#engine, e, '/embeddings');
    }
    return {
      embeddings: result.map((v) => Array.from(v)),
      usage: { tokens: result.promptTokens },
      providerMetadata: { edgewise: metadataOf(result) },
      warnings,
    };
  }
}

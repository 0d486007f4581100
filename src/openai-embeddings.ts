/** The OpenAI embeddings shape over `engine.embed()`. */
import type { Embeddings, EmbeddingOptions } from './types.js';

export interface EmbeddingCreateParams {
  input: string | readonly string[];
  /** Echoed in the response; the engine's own models do the work. */
  model?: string;
  /** Only `'float'` (numbers); base64 is not offered. */
  encoding_format?: 'float';
  signal?: AbortSignal;
}

export interface CreateEmbeddingResponse {
  object: 'list';
  data: { object: 'embedding'; index: number; embedding: number[] }[];
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
  /** Where the vectors were made and why, which inputs were truncated, cost and redactions. */
  edgewise: Pick<Embeddings, 'truncated' | 'ranOn' | 'route' | 'cost' | 'redactions'>;
}

export async function createEmbedding(
  embed: (texts: string[], o: EmbeddingOptions) => Promise<Embeddings>,
  params: EmbeddingCreateParams,
  fallbackModel: string,
): Promise<CreateEmbeddingResponse> {
  const texts = typeof params?.input === 'string' ? [params.input] : params?.input;
  const v = await embed(texts as string[], params?.signal ? { signal: params.signal } : {});
  const edgewise: CreateEmbeddingResponse['edgewise'] = { truncated: v.truncated, ranOn: v.ranOn, route: v.route };
  if (v.cost) edgewise.cost = v.cost;
  if (v.redactions) edgewise.redactions = v.redactions;
  return {
    object: 'list',
    data: v.map((e, index) => ({ object: 'embedding' as const, index, embedding: Array.from(e) })),
    model: params.model ?? fallbackModel,
    usage: { prompt_tokens: v.promptTokens, total_tokens: v.promptTokens },
    edgewise,
  };
}

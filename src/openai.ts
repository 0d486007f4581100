/** OpenAI-compatible chat completion shapes over the engine's part stream. */
import type { ChatMessage, FinishPart, FinishReason, Part, Usage } from './types.js';

export interface ChatCompletionCreateParams {
  messages: readonly ChatMessage[];
  stream?: boolean;
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  seed?: number;
  stop?: string | readonly string[];
  signal?: AbortSignal;
}

/** `finish_reason` keeps OpenAI's values; an abort reads `'stop'` there and `'abort'` in `edgewise`. */
export type EdgewiseExtras = Omit<FinishPart, 'type' | 'tokenIds'>;

function extras({ type: _type, tokenIds: _ids, ...rest }: FinishPart): EdgewiseExtras {
  return rest;
}

export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: { index: 0; delta: { role?: 'assistant'; content?: string }; finish_reason: 'stop' | 'length' | null }[];
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  edgewise?: EdgewiseExtras;
}

export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: { index: 0; message: { role: 'assistant'; content: string }; finish_reason: 'stop' | 'length' }[];
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  edgewise: EdgewiseExtras;
}

function openaiUsage(u: Usage): ChatCompletion['usage'] {
  return { prompt_tokens: u.promptTokens, completion_tokens: u.completionTokens, total_tokens: u.promptTokens + u.completionTokens };
}

const finishReason = (r: FinishReason): 'stop' | 'length' => (r === 'length' ? 'length' : 'stop');

export async function* toChunks(parts: AsyncIterable<Part>, model: string): AsyncGenerator<ChatCompletionChunk> {
  const id = `chatcmpl-${crypto.randomUUID()}`;
  const created = Math.floor(Date.now() / 1000);
  const base = { id, object: 'chat.completion.chunk' as const, created, model };
  yield { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] };
  for await (const p of parts) {
    if (p.type === 'text') yield { ...base, choices: [{ index: 0, delta: { content: p.text }, finish_reason: null }] };
    else yield { ...base, choices: [{ index: 0, delta: {}, finish_reason: finishReason(p.reason) }], usage: openaiUsage(p.usage), edgewise: extras(p) };
  }
}

export async function toCompletion(parts: AsyncIterable<Part>, model: string): Promise<ChatCompletion> {
  let content = '';
  let finish: FinishPart | undefined;
  for await (const p of parts) {
    if (p.type === 'text') content += p.text;
    else finish = p;
  }
  const f = finish as FinishPart;
  return {
    id: `chatcmpl-${crypto.randomUUID()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finishReason(f.reason) }],
    usage: openaiUsage(f.usage),
    edgewise: extras(f),
  };
}

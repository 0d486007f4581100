/**
 * A `BackendRequest` as web-llm's OpenAI-style streaming chat request.
 *
 * - A `prompt` becomes one user message: web-llm always applies the model's chat
 *   template (its raw `completions` API needs an empty KV cache and no template, which
 *   fits a completion model, not the instruct models it ships).
 * - `topK` has no web-llm counterpart and is not sent; `includeTokenIds` cannot be
 *   honoured (web-llm streams text, not ids), so the finish part has no `tokenIds`.
 * - The message order web-llm requires (a system message only first, the last from the
 *   user) is checked here, so a bad conversation fails typed before it reaches the GPU.
 */
import type { ChatCompletionMessageParam, ChatCompletionRequestStreaming } from '@mlc-ai/web-llm';
import { EdgewiseError } from '../../errors.js';
import type { ChatMessage } from '../../types.js';
import type { BackendRequest } from '../backend.js';

function toMessage(m: ChatMessage): ChatCompletionMessageParam {
  switch (m.role) {
    case 'system': return { role: 'system', content: m.content };
    case 'user': return { role: 'user', content: m.content };
    case 'assistant': return { role: 'assistant', content: m.content };
    default: {
      const never: never = m.role;
      throw new EdgewiseError('invalid_message', `Unknown message role '${String(never)}'.`);
    }
  }
}

function checkOrder(messages: readonly ChatMessage[]): void {
  const system = messages.findIndex((m, i) => m.role === 'system' && i > 0);
  if (system > 0) {
    throw new EdgewiseError('invalid_message', `web-llm accepts a system message only as the first message (message ${system} is one); merge it into the first.`, { details: { index: system } });
  }
  const last = messages.at(-1);
  if (last?.role !== 'user') {
    throw new EdgewiseError('invalid_message', `web-llm answers only after a user message, and the last message is from the ${last?.role ?? 'nobody'}; end the conversation with a user message.`, { details: { index: messages.length - 1 } });
  }
}

/** The messages web-llm sees for this request. */
export function toMessages(r: Pick<BackendRequest, 'prompt' | 'messages'>): ChatCompletionMessageParam[] {
  if (r.messages === undefined) return [{ role: 'user', content: r.prompt ?? '' }];
  checkOrder(r.messages);
  return r.messages.map(toMessage);
}

export function toChatRequest(r: BackendRequest): ChatCompletionRequestStreaming {
  return {
    messages: toMessages(r),
    stream: true,
    // The usage chunk after the finish chunk carries the exact prompt and completion counts.
    stream_options: { include_usage: true },
    max_tokens: r.maxTokens,
    temperature: r.temperature,
    top_p: r.topP,
    // Always sent, 1 included: the SDK's defaults, not the model's mlc-chat-config, decide.
    repetition_penalty: r.repetitionPenalty,
    seed: r.seed,
    ...(r.stop.length > 0 ? { stop: [...r.stop] } : {}),
  };
}

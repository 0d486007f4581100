/**
 * A `BackendRequest` as web-llm's OpenAI-style streaming chat request.
 *
 * - A `prompt` becomes one user message: web-llm always applies the model's chat
 *   template (its raw `completions` API needs an empty KV cache and no template, which
 *   fits a completion model, not the instruct models it ships).
 * - `topK` has no web-llm counterpart and is not sent; `includeTokenIds` cannot be
 *   honoured (web-llm streams text, not ids). Neither is in the backend's declared
 *   `sampling`, so the engine warns about them.
 * - The message order web-llm requires (a system message only first, the last from the
 *   user or a tool) is checked here, so a bad conversation fails typed before the GPU.
 * - `responseFormat` becomes web-llm's `response_format` (see `responseFormatOf`);
 *   `tools` are planned in `tools.ts`.
 */
import type {
  ChatCompletionAssistantMessageParam, ChatCompletionMessageParam, ChatCompletionRequestStreaming, ResponseFormat as WebLLMResponseFormat,
} from '@mlc-ai/web-llm';
import { EdgewiseError } from '../../errors.js';
import type { AssistantMessage, ChatMessage, ResponseFormat, Warning } from '../../types.js';
import type { BackendRequest } from '../backend.js';
import { planTools } from './tools.js';

/** What one request sends web-llm, and how to read its answer. */
export interface ChatPlan {
  body: ChatCompletionRequestStreaming;
  /** Settings honoured in a weaker form; sent as warning parts before anything else. */
  warnings: Warning[];
  /** Tools were sent: web-llm's streamed text is then the raw call list, never an answer. */
  withTools: boolean;
  /** Tool calls already in the history; new call ids continue after them, so ids stay unique in a conversation. */
  priorCalls: number;
}

/** An assistant turn as web-llm reads it: it keeps only `content` of a history turn, so the calls are written there too, as the JSON list its function calling emits. */
function assistantMessage(m: AssistantMessage): ChatCompletionAssistantMessageParam {
  const calls = m.toolCalls ?? [];
  if (calls.length === 0) return { role: 'assistant', content: m.content };
  const written = JSON.stringify(calls.map((c) => ({ name: c.name, arguments: c.arguments })));
  return {
    role: 'assistant',
    content: m.content ? `${m.content}\n${written}` : written,
    tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.arguments) } })),
  };
}

function toMessage(m: ChatMessage): ChatCompletionMessageParam {
  switch (m.role) {
    case 'system': return { role: 'system', content: m.content };
    case 'user': return { role: 'user', content: m.content };
    case 'assistant': return assistantMessage(m);
    case 'tool': return { role: 'tool', content: m.content, tool_call_id: m.toolCallId };
    default: {
      const never: never = m;
      throw new EdgewiseError('invalid_message', `Unknown message role '${String((never as { role: unknown }).role)}'.`);
    }
  }
}

function checkOrder(messages: readonly ChatMessage[]): void {
  const system = messages.findIndex((m, i) => m.role === 'system' && i > 0);
  if (system > 0) {
    throw new EdgewiseError('invalid_message', `web-llm accepts a system message only as the first message (message ${system} is one); merge it into the first.`, { details: { index: system } });
  }
  const last = messages.at(-1);
  if (last?.role !== 'user' && last?.role !== 'tool') {
    throw new EdgewiseError('invalid_message', `web-llm answers only after a user or tool message, and the last message is from the ${last?.role ?? 'nobody'}; end the conversation with a user message.`, { details: { index: messages.length - 1 } });
  }
}

/** The messages web-llm sees for this request. */
export function toMessages(r: Pick<BackendRequest, 'prompt' | 'messages'>): ChatCompletionMessageParam[] {
  if (r.messages === undefined) return [{ role: 'user', content: r.prompt ?? '' }];
  checkOrder(r.messages);
  return r.messages.map(toMessage);
}

/**
 * web-llm 0.2.86 takes a JSON Schema as a string under `type: 'json_object'`
 * (`ResponseFormat.schema`, "A schema string"; a schema with any other type is its
 * `InvalidResponseFormatError`). It has no regex format; the backend does not declare one.
 */
export function responseFormatOf(f: ResponseFormat): WebLLMResponseFormat {
  switch (f.type) {
    // `true` allows any value: plain JSON mode says as much.
    case 'json_schema': return f.schema === true ? { type: 'json_object' } : { type: 'json_object', schema: JSON.stringify(f.schema) };
    case 'json_object': return { type: 'json_object' };
    case 'regex':
      throw new EdgewiseError('invalid_response_format', 'web-llm cannot constrain output by a regular expression; this request should not have reached it (a bug in edgewise).', { details: { feature: 'regex' } });
    default: {
      const never: never = f;
      throw new EdgewiseError('invalid_response_format', `Unknown response format ${JSON.stringify(never)}.`);
    }
  }
}

/**
 * web-llm's JSON mode lets the model write unlimited whitespace (its grammar compiler
 * runs with `anyWhitespace`), and its docs say a model not told to write JSON "may
 * generate an unending stream of whitespace" (`ResponseFormat` in
 * `openai_api_protocols/chat_completion.d.ts`). So the request says so in its system message.
 */
function withJsonInstruction(messages: ChatCompletionMessageParam[], f: ResponseFormat): ChatCompletionMessageParam[] {
  const say = f.type === 'json_schema' && f.schema !== true
    ? `Answer with JSON only: a value of this JSON Schema: ${JSON.stringify(f.schema)}`
    : 'Answer with JSON only: one JSON object.';
  const [first, ...rest] = messages;
  if (first?.role === 'system') return [{ role: 'system', content: `${first.content}\n\n${say}` }, ...rest];
  return [{ role: 'system', content: say }, ...messages];
}

export function planChat(r: BackendRequest, modelId: string): ChatPlan {
  let messages = toMessages(r);
  const tools = planTools(r, messages, modelId);
  messages = tools.messages;
  const warnings = [...tools.warnings];
  let responseFormat: WebLLMResponseFormat | undefined;
  if (r.responseFormat && tools.withTools) {
    // web-llm's function calling sets its own format (a list of calls) and refuses another
    // (`CustomResponseFormatError`); its answer is then never text for a format to shape.
    warnings.push({ code: 'unsupported_setting', setting: 'responseFormat', message: "web-llm's function calling answers only with tool calls, in its own format; responseFormat does not apply while tools are offered." });
  } else if (r.responseFormat) {
    responseFormat = responseFormatOf(r.responseFormat);
    messages = withJsonInstruction(messages, r.responseFormat);
  }
  const body: ChatCompletionRequestStreaming = {
    messages,
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
    ...(responseFormat ? { response_format: responseFormat } : {}),
    ...(tools.tools ? { tools: tools.tools, tool_choice: tools.toolChoice } : {}),
  };
  const priorCalls = (r.messages ?? []).reduce((n, m) => n + (m.role === 'assistant' ? m.toolCalls?.length ?? 0 : 0), 0);
  return { body, warnings, withTools: tools.withTools, priorCalls };
}

/**
 * The OpenAI chat-completions face of the engine: its parameters mapped to a request
 * (response_format, tools and tool history included), and the part stream mapped back to
 * chunks or one completion, with `tool_calls` as OpenAI sends them.
 */
import { EdgewiseError } from './errors.js';
import type { ChatMessage, FinishPart, FinishReason, GenerateRequest, JSONSchema, Part, ResponseFormat, ToolChoice, ToolDefinition, Usage } from './types.js';
import { randomId } from './ids.js';

export interface OpenAIToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type OpenAIMessage =
  | { role: 'system' | 'user'; content: string }
  /** `content: null` beside tool calls, as OpenAI sends it back; some templates reject '' there. */
  | { role: 'assistant'; content: string | null; tool_calls?: readonly OpenAIToolCall[] }
  | { role: 'tool'; content: string; tool_call_id: string };

export interface ChatCompletionCreateParams {
  messages: readonly OpenAIMessage[];
  stream?: boolean;
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  seed?: number;
  stop?: string | readonly string[];
  response_format?: { type: 'text' } | { type: 'json_object' } | { type: 'json_schema'; json_schema: { name?: string; schema: JSONSchema; strict?: boolean } };
  tools?: readonly { type: 'function'; function: { name: string; description?: string; parameters?: JSONSchema } }[];
  tool_choice?: 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };
  signal?: AbortSignal;
}

/** `finish_reason` keeps OpenAI's values; an abort reads `'stop'` there and `'abort'` in `edgewise`. */
export type EdgewiseExtras = Omit<FinishPart, 'type' | 'tokenIds'>;

/** OpenAI's `finish_reason` values. @inline */
type OpenAIFinish = 'stop' | 'length' | 'tool_calls';

export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: { index: 0; delta: { role?: 'assistant'; content?: string; tool_calls?: (OpenAIToolCall & { index: number })[] }; finish_reason: OpenAIFinish | null }[];
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  edgewise?: EdgewiseExtras;
}

export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: { index: 0; message: { role: 'assistant'; content: string | null; tool_calls?: OpenAIToolCall[] }; finish_reason: OpenAIFinish }[];
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  edgewise: EdgewiseExtras;
}

function message(m: OpenAIMessage, i: number): ChatMessage {
  if (m?.role === 'tool') return { role: 'tool', content: m.content, toolCallId: m.tool_call_id };
  // Anything malformed goes through as it is: the engine's message check names what is wrong.
  if (m?.role !== 'assistant') return m as ChatMessage;
  if (!m.tool_calls) return { role: 'assistant', content: m.content ?? '' };
  const toolCalls = m.tool_calls.map((c) => {
    try {
      return { id: c.id, name: c.function.name, arguments: JSON.parse(c.function.arguments) as Record<string, unknown> };
    } catch (cause) {
      throw new EdgewiseError('invalid_message', `messages[${i}].tool_calls: the arguments of ${c.function?.name} are not JSON text.`, { cause, details: { index: i } });
    }
  });
  return { role: 'assistant', content: m.content ?? '', toolCalls };
}

/** OpenAI parameters as an engine request; the engine validates the result like every other request. */
export function fromOpenAI(params: ChatCompletionCreateParams): GenerateRequest {
  const req: GenerateRequest = { messages: Array.isArray(params?.messages) ? params.messages.map(message) : (params?.messages as never) };
  if (params.max_tokens !== undefined) req.maxTokens = params.max_tokens;
  if (params.temperature !== undefined) req.temperature = params.temperature;
  if (params.top_p !== undefined) req.topP = params.top_p;
  if (params.seed !== undefined) req.seed = params.seed;
  if (params.stop !== undefined) req.stop = typeof params.stop === 'string' ? [params.stop] : params.stop;
  if (params.signal !== undefined) req.signal = params.signal;
  const rf = params.response_format;
  if (rf && rf.type !== 'text') {
    const format: ResponseFormat = rf.type === 'json_schema' ? { type: 'json_schema', schema: rf.json_schema?.schema, ...(rf.json_schema?.name ? { name: rf.json_schema.name } : {}) } : { type: rf.type } as ResponseFormat;
    req.responseFormat = format;
  }
  if (params.tools !== undefined) {
    req.tools = params.tools.map((t): ToolDefinition => ({
      name: t.function?.name, parameters: t.function?.parameters ?? { type: 'object', properties: {} }, ...(t.function?.description ? { description: t.function.description } : {}),
    }));
  }
  const tc = params.tool_choice;
  if (tc !== undefined) req.toolChoice = (typeof tc === 'object' ? { name: tc.function?.name } : tc) as ToolChoice;
  return req;
}

function extras({ type: _type, tokenIds: _ids, ...rest }: FinishPart): EdgewiseExtras {
  return rest;
}

function openaiUsage(u: Usage): ChatCompletion['usage'] {
  return { prompt_tokens: u.promptTokens, completion_tokens: u.completionTokens, total_tokens: u.promptTokens + u.completionTokens };
}

const finishReason = (r: FinishReason): OpenAIFinish => (r === 'length' ? 'length' : r === 'tool-calls' ? 'tool_calls' : 'stop');
const toolCall = (p: Extract<Part, { type: 'tool-call' }>): OpenAIToolCall => ({ id: p.id, type: 'function', function: { name: p.name, arguments: JSON.stringify(p.arguments) } });

export async function* toChunks(parts: AsyncIterable<Part>, model: string): AsyncGenerator<ChatCompletionChunk> {
  const id = `chatcmpl-${randomId()}`;
  const created = Math.floor(Date.now() / 1000);
  const base = { id, object: 'chat.completion.chunk' as const, created, model };
  let calls = 0;
  yield { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] };
  for await (const p of parts) {
    if (p.type === 'text') yield { ...base, choices: [{ index: 0, delta: { content: p.text }, finish_reason: null }] };
    else if (p.type === 'tool-call') yield { ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: calls++, ...toolCall(p) }] }, finish_reason: null }] };
    else if (p.type === 'finish') yield { ...base, choices: [{ index: 0, delta: {}, finish_reason: finishReason(p.reason) }], usage: openaiUsage(p.usage), edgewise: extras(p) };
  }
}

export async function toCompletion(parts: AsyncIterable<Part>, model: string): Promise<ChatCompletion> {
  let content = '';
  const calls: OpenAIToolCall[] = [];
  let finish: FinishPart | undefined;
  for await (const p of parts) {
    if (p.type === 'text') content += p.text;
    else if (p.type === 'tool-call') calls.push(toolCall(p));
    else if (p.type === 'finish') finish = p;
  }
  const f = finish as FinishPart;
  const msg: ChatCompletion['choices'][0]['message'] = { role: 'assistant', content: calls.length > 0 && content === '' ? null : content };
  if (calls.length > 0) msg.tool_calls = calls;
  return {
    id: `chatcmpl-${randomId()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: msg, finish_reason: finishReason(f.reason) }],
    usage: openaiUsage(f.usage),
    edgewise: extras(f),
  };
}

/** `chat.completions.create` over the engine's `run(request, stream)`. */
export async function chatCompletion(params: ChatCompletionCreateParams, run: (request: GenerateRequest, stream: boolean) => AsyncIterable<Part>, model: string): Promise<AsyncIterable<ChatCompletionChunk> | ChatCompletion> {
  const request = fromOpenAI(params);
  return params.stream ? toChunks(run(request, true), model) : toCompletion(run(request, false), model);
}

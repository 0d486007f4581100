/**
 * The request body of `POST /chat/completions`: the messages with their tool history, the
 * sampling settings the OpenAI API has, the tools, and the response format of this attempt.
 */
import type { OpenAIMessage, OpenAIToolCall } from '../../openai.js';
import type { ChatMessage, ToolChoice, ToolDefinition } from '../../types.js';
import type { BackendRequest } from '../backend.js';
import type { FormatPlan, WireResponseFormat } from './response-format.js';

/** The message and tool-call shapes are the OpenAI wire's, shared with the engine's OpenAI face. */
export type WireToolCall = OpenAIToolCall;
export type WireMessage = OpenAIMessage;

export interface WireTool {
  type: 'function';
  function: { name: string; description?: string; parameters: ToolDefinition['parameters'] };
}

export type WireToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };

export interface ChatCompletionBody {
  model: string;
  messages: WireMessage[];
  stream: boolean;
  /** Only with `stream: true`: OpenAI rejects it otherwise. */
  stream_options?: { include_usage: true };
  max_tokens: number;
  temperature: number;
  top_p: number;
  seed: number;
  stop?: string[];
  response_format?: WireResponseFormat;
  tools?: WireTool[];
  tool_choice?: WireToolChoice;
}

function wireMessage(m: ChatMessage): WireMessage {
  switch (m.role) {
    case 'system':
    case 'user':
      return { role: m.role, content: m.content };
    case 'assistant': {
      if (m.toolCalls === undefined || m.toolCalls.length === 0) return { role: 'assistant', content: m.content };
      const calls = m.toolCalls.map((c): WireToolCall => ({ id: c.id, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.arguments) } }));
      return { role: 'assistant', content: m.content === '' ? null : m.content, tool_calls: calls };
    }
    case 'tool':
      // No `name`: OpenAI's tool message has none, and Ollama finds it from tool_call_id.
      return { role: 'tool', tool_call_id: m.toolCallId, content: m.content };
    default: {
      const unknown: never = m;
      return unknown;
    }
  }
}

/**
 * The format's instruction joins the first system message rather than adding a second:
 * templates that allow one optional system message and then strictly alternating roles
 * (Mistral's, Gemma's: "Conversation roles must alternate") raise on two in a row.
 */
function withInstruction(messages: WireMessage[], instruction: string | undefined): WireMessage[] {
  if (instruction === undefined) return messages;
  const [first, ...rest] = messages;
  if (first?.role === 'system') return [{ role: 'system', content: first.content === '' ? instruction : `${first.content}\n\n${instruction}` }, ...rest];
  return [{ role: 'system', content: instruction }, ...messages];
}

const toolChoice = (c: ToolChoice): WireToolChoice => (typeof c === 'string' ? c : { type: 'function', function: { name: c.name } });

function wireTool(t: ToolDefinition): WireTool {
  const fn: WireTool['function'] = { name: t.name, parameters: t.parameters };
  if (t.description !== undefined) fn.description = t.description;
  return { type: 'function', function: fn };
}

/** topK and repetitionPenalty are not in the OpenAI API; servers that know them disagree on names. */
export function requestBody(model: string, request: BackendRequest, stream: boolean, format?: FormatPlan): ChatCompletionBody {
  const messages = request.messages !== undefined
    ? request.messages.map(wireMessage)
    : [{ role: 'user' as const, content: request.prompt ?? '' }];
  const body: ChatCompletionBody = {
    model,
    messages: withInstruction(messages, format?.instruction),
    stream,
    max_tokens: request.maxTokens,
    temperature: request.temperature,
    top_p: request.topP,
    seed: request.seed,
  };
  if (stream) body.stream_options = { include_usage: true };
  if (request.stop.length > 0) body.stop = [...request.stop];
  if (format !== undefined) body.response_format = format.wire;
  // OpenAI answers 400 to an empty `tools` array, and vLLM to a tool_choice without tools.
  if (request.tools !== undefined && request.tools.length > 0) {
    body.tools = request.tools.map(wireTool);
    if (request.toolChoice !== undefined) body.tool_choice = toolChoice(request.toolChoice);
  }
  return body;
}

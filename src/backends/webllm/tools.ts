/**
 * Tools on web-llm. Its function calling (0.2.86, `postInitAndCheckFields` in its bundle)
 * is hard-coded for Hermes-2-Pro / Hermes-3 models:
 *
 * - `tools` on any model outside `functionCallingModelIds` throws `UnsupportedModelIdError`;
 *   refused here first, typed `unsupported_model`, before the GPU.
 * - It writes its own system prompt (the tools inside `<tools></tools>`) and refuses a
 *   request that has one (`CustomSystemPromptError`), so the caller's system message is
 *   moved to the head of the first user message, with a warning.
 * - It forces the answer to a JSON list of `{ name, arguments }` and reads it into
 *   `tool_calls` on the final stream chunk; `tool_choice` is typed but never read. So the
 *   model cannot answer in text while tools are offered, nor be made to call one: each
 *   toolChoice is sent as OpenAI spells it (a named one also offers only that tool), and
 *   what web-llm does not enforce comes back as a `degraded` warning.
 * - `toolChoice: 'none'` sends no tools at all: a plain chat request.
 */
import type { ChatCompletionMessageParam, ChatCompletionTool, ChatCompletionToolChoiceOption } from '@mlc-ai/web-llm';
import { EdgewiseError } from '../../errors.js';
import type { ToolDefinition, Warning } from '../../types.js';
import type { BackendRequest } from '../backend.js';
import { callsTools, FUNCTION_CALLING_MODEL_IDS } from './capabilities.js';

export interface ToolPlan {
  messages: ChatCompletionMessageParam[];
  withTools: boolean;
  tools?: ChatCompletionTool[];
  toolChoice?: ChatCompletionToolChoiceOption;
  warnings: Warning[];
}

function toTool(t: ToolDefinition): ChatCompletionTool {
  // web-llm's `FunctionParameters` is an object; a boolean schema `true` is any object.
  const parameters = typeof t.parameters === 'object' ? { ...t.parameters } : { type: 'object' };
  return { type: 'function', function: { name: t.name, ...(t.description === undefined ? {} : { description: t.description }), parameters } };
}

/** The caller's system message, moved into the first user message (web-llm keeps the system slot for its tool prompt). */
function foldSystem(messages: ChatCompletionMessageParam[]): { messages: ChatCompletionMessageParam[]; folded: boolean } {
  const [first, ...rest] = messages;
  if (first?.role !== 'system') return { messages, folded: false };
  const at = rest.findIndex((m) => m.role === 'user');
  const user = rest[at];
  if (user?.role !== 'user' || typeof user.content !== 'string') return { messages: [{ role: 'user', content: first.content }, ...rest], folded: true };
  const out = [...rest];
  out[at] = { ...user, content: `${first.content}\n\n${user.content}` };
  return { messages: out, folded: true };
}

const degraded = (setting: string, message: string): Warning => ({ code: 'degraded', setting, message });

export function planTools(r: Pick<BackendRequest, 'tools' | 'toolChoice'>, messages: ChatCompletionMessageParam[], modelId: string): ToolPlan {
  const choice = r.toolChoice ?? 'auto';
  if (!r.tools || r.tools.length === 0 || choice === 'none') return { messages, withTools: false, warnings: [] };
  if (!callsTools(modelId)) {
    throw new EdgewiseError(
      'unsupported_model',
      `web-llm calls tools only with its function-calling models (${FUNCTION_CALLING_MODEL_IDS.join(', ')}); '${modelId}' is not one. Load one of them, or send tool requests to a backend that calls tools (ONNX or the remote endpoint).`,
      { details: { modelId, functionCallingModelIds: [...FUNCTION_CALLING_MODEL_IDS] } },
    );
  }
  const warnings: Warning[] = [];
  let offered = r.tools;
  let toolChoice: ChatCompletionToolChoiceOption;
  if (typeof choice === 'object') {
    offered = r.tools.filter((t) => t.name === choice.name);
    if (offered.length === 0) {
      throw new EdgewiseError('invalid_tools', `toolChoice names '${choice.name}', which is not one of the request's tools.`, { details: { option: 'toolChoice' } });
    }
    toolChoice = { type: 'function', function: { name: choice.name } };
    warnings.push(degraded('toolChoice', `web-llm cannot force a call; only '${choice.name}' is offered, and the model may still answer with no call.`));
  } else if (choice === 'required') {
    // OpenAI's 'required' is not in web-llm's type; 'auto' is the nearest it takes.
    toolChoice = 'auto';
    warnings.push(degraded('toolChoice', 'web-llm cannot force a call: the model may answer with no call.'));
  } else {
    toolChoice = 'auto';
    warnings.push(degraded('toolChoice', "web-llm's function calling answers only with tool calls: with tools offered, the model cannot answer in text (no call comes back as an empty answer)."));
  }
  const folded = foldSystem(messages);
  if (folded.folded) {
    warnings.push(degraded('messages', "web-llm's function calling writes its own system prompt and refuses another; the system message was put at the head of the first user message."));
  }
  return { messages: folded.messages, withTools: true, tools: offered.map(toTool), toolChoice, warnings };
}

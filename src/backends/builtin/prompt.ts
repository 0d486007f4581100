/**
 * A request as Prompt API calls. Each request gets a session of its own, created with
 * the conversation so far as `initialPrompts` and prompted with the last user message.
 * Why create rather than `clone()` a base session: a system prompt can only be given at
 * `create()` (the API rejects `system` anywhere but first in `initialPrompts`), and
 * so can the sampling options; a clone would copy the base's empty context and then need
 * one `append()` round trip for the history anyway. The base session made by `load()`
 * keeps the model resident, so a per-request `create()` does not load it again.
 */
import { EdgewiseError } from '../../errors.js';
import type { AssistantMessage, ChatMessage, ToolMessage, Warning } from '../../types.js';
import type { BackendRequest } from '../backend.js';
import type { LanguageModelCoreOptions, LanguageModelMessage, LanguageModelParams } from './prompt-api.js';

export interface PromptPlan {
  initialPrompts: LanguageModelMessage[];
  /** What `promptStreaming()` gets: one user turn. */
  input: string;
}

/** A call as the model is asked to write one (see `tools.ts`), so the history reads as it would have answered. */
export const writtenCall = (c: { name: string; arguments: unknown }): string => JSON.stringify({ name: c.name, arguments: c.arguments });

/** The API's roles are system, user and assistant: calls are written into the assistant's text. */
function assistantText(m: AssistantMessage): string {
  return [...(m.content ? [m.content] : []), ...(m.toolCalls ?? []).map(writtenCall)].join('\n');
}

/** A tool's result as a user turn, naming the call it answers. */
function toolText(m: ToolMessage, history: readonly ChatMessage[]): string {
  const name = m.name ?? history.flatMap((h) => (h.role === 'assistant' ? h.toolCalls ?? [] : [])).find((c) => c.id === m.toolCallId)?.name;
  return `Result of the tool call ${m.toolCallId}${name ? ` (${name})` : ''}: ${m.content}`;
}

/**
 * A prompt is one user input. Messages: every system message, joined (then `extraSystem`),
 * becomes the one system prompt the API allows (first in `initialPrompts`); the turns
 * before the last follow it, tool calls and results written as text the model can read;
 * the last turn, the user's or the results of the last calls, is the input.
 * @throws EdgewiseError `invalid_request` when the conversation ends with neither.
 */
export function planPrompt(request: Pick<BackendRequest, 'prompt' | 'messages'>, extraSystem?: string): PromptPlan {
  const extra = extraSystem ? [extraSystem] : [];
  if (request.messages === undefined) {
    return { initialPrompts: extra.length > 0 ? [{ role: 'system', content: extra.join('') }] : [], input: request.prompt ?? '' };
  }
  const history = request.messages;
  const system = [...history.filter((m) => m.role === 'system').map((m) => m.content), ...extra];
  const turns = history.filter((m) => m.role !== 'system');
  let cut = turns.length;
  while (cut > 0 && turns[cut - 1]?.role === 'tool') cut--;
  const last = turns.at(-1);
  if (last?.role === 'user') cut = turns.length - 1;
  else if (last?.role !== 'tool') {
    throw new EdgewiseError('invalid_request', "The built-in model answers a user message or tool results: the conversation must end with { role: 'user' } or { role: 'tool' }.");
  }
  const initialPrompts: LanguageModelMessage[] = system.length > 0 ? [{ role: 'system', content: system.join('\n\n') }] : [];
  const text = (m: ChatMessage): LanguageModelMessage => {
    switch (m.role) {
      case 'assistant': return { role: 'assistant', content: assistantText(m) };
      case 'tool': return { role: 'user', content: toolText(m, history) };
      default: return { role: 'user', content: m.content };
    }
  };
  for (const m of turns.slice(0, cut)) initialPrompts.push(text(m));
  return { initialPrompts, input: turns.slice(cut).map((m) => text(m).content).join('\n') };
}

/**
 * The request's sampling, clamped to what the browser allows, or null (nothing sent) where
 * `params()` is missing: since Chrome 138 pages get the browser's defaults, and the API
 * wants `temperature` and `topK` both or neither. Temperature 0 (our greedy default) is
 * top-1; topK 0 (disabled) is the widest the browser allows.
 */
export function samplingFor(request: Pick<BackendRequest, 'temperature' | 'topK'>, params: LanguageModelParams | null): LanguageModelCoreOptions | null {
  if (!params) return null;
  const temperature = Math.min(request.temperature, params.maxTemperature);
  const topK = request.temperature === 0 ? 1 : request.topK > 0 ? Math.min(request.topK, params.maxTopK) : params.maxTopK;
  return { temperature, topK };
}

/**
 * Warnings for a page, where the browser takes no sampling options: a temperature or topK
 * the request set away from its defaults (0, 0) is not applied. The defaults themselves
 * are not warned about, or every request on a page would carry two warnings.
 */
export function unappliedSampling(request: Pick<BackendRequest, 'temperature' | 'topK'>): Warning[] {
  const why = "the browser gives web pages its own sampling (LanguageModel.params() and create()'s temperature/topK are for extensions since Chrome 138)";
  return (['temperature', 'topK'] as const)
    .filter((k) => request[k] !== 0)
    .map((setting) => ({ code: 'unsupported_setting', setting, message: `${setting} was not applied: ${why}.` }));
}

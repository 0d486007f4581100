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
import type { BackendRequest } from '../backend.js';
import type { LanguageModelCoreOptions, LanguageModelMessage, LanguageModelParams } from './prompt-api.js';

export interface PromptPlan {
  initialPrompts: LanguageModelMessage[];
  /** What `promptStreaming()` gets: one user turn. */
  input: string;
}

/**
 * A prompt is one user input. Messages: every system message, joined, becomes the one
 * system prompt the API allows (first in `initialPrompts`); the turns before the last
 * follow it; the last turn, which must be the user's, is the input.
 * @throws EdgewiseError `invalid_request` when the conversation does not end with a user message.
 */
export function planPrompt(request: Pick<BackendRequest, 'prompt' | 'messages'>): PromptPlan {
  if (request.messages === undefined) return { initialPrompts: [], input: request.prompt ?? '' };
  const system = request.messages.filter((m) => m.role === 'system').map((m) => m.content);
  const turns = request.messages.filter((m) => m.role !== 'system');
  const last = turns.at(-1);
  if (last?.role !== 'user') {
    throw new EdgewiseError('invalid_request', "The built-in model answers a user message: the conversation must end with { role: 'user' }.");
  }
  const initialPrompts: LanguageModelMessage[] = system.length > 0 ? [{ role: 'system', content: system.join('\n\n') }] : [];
  for (const m of turns.slice(0, -1)) initialPrompts.push({ role: m.role, content: m.content });
  return { initialPrompts, input: last.content };
}

/**
 * The request's sampling, clamped to what the browser allows, or nothing at all where
 * `params()` is missing: since Chrome 138 pages get the browser's defaults, and the API
 * wants `temperature` and `topK` both or neither. Temperature 0 (our greedy default) is
 * top-1; topK 0 (disabled) is the widest the browser allows.
 */
export function samplingFor(request: Pick<BackendRequest, 'temperature' | 'topK'>, params: LanguageModelParams | null): LanguageModelCoreOptions {
  if (!params) return {};
  const temperature = Math.min(request.temperature, params.maxTemperature);
  const topK = request.temperature === 0 ? 1 : request.topK > 0 ? Math.min(request.topK, params.maxTopK) : params.maxTopK;
  return { temperature, topK };
}

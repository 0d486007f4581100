/**
 * The session's conversation and its context accounting (explainer, "Tokenization,
 * context window length limits, and overflow"): the initial prompts are never removed;
 * later turns go, oldest first, one prompt/response pair at a time, until the new input
 * fits; when even the initial prompts and the input alone do not fit, nothing is removed
 * and the call fails with a QuotaExceededError.
 */
import type { ChatMessage, Engine, ToolDefinition } from '../../index.js';
import { quotaError } from './errors.js';

export interface History {
  /** `initialPrompts`, kept through every overflow. */
  readonly initial: readonly ChatMessage[];
  /** One group per prompt()/append(): its input, and for a prompt its tool turns and answer. */
  turns: ChatMessage[][];
}

export const flatten = (h: History): ChatMessage[] => [...h.initial, ...h.turns.flat()];

export const copyHistory = (h: History): History => ({ initial: h.initial, turns: h.turns.map((t) => [...t]) });

/**
 * Tokens the messages take on the engine's model, chat template and tools included: exact
 * once a local model is loaded (create() loads it), else the engine's low estimate.
 */
export async function measure(engine: Engine, messages: readonly ChatMessage[], tools: readonly ToolDefinition[]): Promise<number> {
  if (messages.length === 0) return 0;
  const { tokens } = await engine.countTokens(tools.length > 0 ? { messages, tools } : { messages });
  return tokens;
}

export interface Fit {
  /** Oldest turns to drop (0: no overflow). */
  drop: number;
  /** Tokens of what is kept plus the input. */
  tokens: number;
}

/**
 * How many old turns must go for `input` to fit, leaving `room` tokens (1 for a prompt,
 * so the answer has space for a token; 0 for an append). With `want` above `room`, older
 * turns also go to leave `want` tokens for the answer, all of them if need be: a
 * constrained answer cut by a full context is no answer at all, the turns are only context.
 */
export async function fit(engine: Engine, h: History, input: readonly ChatMessage[], window: number, room: number, tools: readonly ToolDefinition[], want = room): Promise<Fit> {
  for (let drop = 0; ; drop++) {
    const tokens = await measure(engine, [...h.initial, ...h.turns.slice(drop).flat(), ...input], tools);
    if (tokens + want <= window) return { drop, tokens };
    if (drop < h.turns.length) continue;
    if (tokens + room <= window) return { drop, tokens };
    // index.bs "prefill": requested is the usage with this input, quota the window.
    throw quotaError(tokens, window, `The input needs ${tokens} tokens with the initial prompts, more than the session's context window of ${window} (with room for the answer).`);
  }
}

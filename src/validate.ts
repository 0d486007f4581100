/**
 * Checks a GenerateRequest on the calling thread, so bad input fails at once with a
 * typed error instead of after a model download.
 */
import type { BackendRequest } from './backends/backend.js';
import { EdgewiseError } from './errors.js';
import { checkLatencyBudget, checkPolicy, checkSignal } from './options.js';
import type { Policy } from './route/vocab.js';
import type { ChatMessage, GenerateRequest } from './types.js';

/** A checked request: what backends see, plus what stays with the engine. */
export interface CheckedRequest {
  request: BackendRequest;
  signal: AbortSignal | undefined;
  policy: Policy | undefined;
  maxLocalLatencyMs: number | undefined;
}

const ROLES = new Set(['system', 'user', 'assistant']);

function checkMessages(messages: unknown): readonly ChatMessage[] {
  if (!Array.isArray(messages)) throw new EdgewiseError('invalid_message', '`messages` must be an array of { role, content } objects.');
  if (messages.length === 0) throw new EdgewiseError('empty_messages', '`messages` is empty: pass at least one { role: "user", content: "…" } message.');
  messages.forEach((m: unknown, i) => {
    const msg = m as Partial<ChatMessage> | null;
    if (typeof msg !== 'object' || msg === null || typeof msg.content !== 'string') {
      throw new EdgewiseError('invalid_message', `messages[${i}] has no string \`content\`: each message needs { role, content: string }.`);
    }
    if (typeof msg.role !== 'string' || !ROLES.has(msg.role)) {
      throw new EdgewiseError('invalid_message', `messages[${i}].role is ${JSON.stringify(msg.role)}: use 'system', 'user' or 'assistant'.`);
    }
  });
  return messages as readonly ChatMessage[];
}

function finite(name: string, v: number, ok: (x: number) => boolean, rule: string): number {
  if (typeof v !== 'number' || Number.isNaN(v) || !ok(v)) throw new EdgewiseError('invalid_sampling', `${name} is ${String(v)}: it must be ${rule}.`);
  return v;
}

/** Validates and fills defaults; `startedAt` comes from the engine. */
export function checkRequest(req: GenerateRequest, startedAt: number): CheckedRequest {
  if (typeof req !== 'object' || req === null) throw new EdgewiseError('invalid_request', 'generate() needs a request object: { prompt } or { messages }.');
  const hasPrompt = req.prompt !== undefined;
  const hasMessages = req.messages !== undefined;
  if (hasPrompt === hasMessages) throw new EdgewiseError('invalid_request', 'Pass exactly one of `prompt` (raw text) or `messages` (chat).');
  if (hasPrompt && typeof req.prompt !== 'string') throw new EdgewiseError('invalid_request', '`prompt` must be a string.');
  const maxTokens = req.maxTokens ?? 256;
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens <= 0) {
    throw new EdgewiseError('invalid_max_tokens', `maxTokens is ${String(maxTokens)}: it must be a positive integer.`);
  }
  const temperature = req.temperature ?? 0;
  if (typeof temperature !== 'number' || Number.isNaN(temperature) || temperature < 0 || temperature === Infinity) {
    throw new EdgewiseError('invalid_temperature', `temperature is ${String(temperature)}: it must be a finite number ≥ 0 (0 is greedy).`);
  }
  const stop = req.stop ?? [];
  if (!Array.isArray(stop) || stop.some((s) => typeof s !== 'string' || s === '')) {
    throw new EdgewiseError('invalid_request', '`stop` must be an array of non-empty strings.');
  }
  const signal = checkSignal(req.signal, 'generate()');
  const policy = req.policy === undefined ? undefined : checkPolicy(req.policy, 'request.policy');
  const maxLocalLatencyMs = checkLatencyBudget(req.maxLocalLatencyMs, 'request.maxLocalLatencyMs');
  const out: BackendRequest = {
    startedAt,
    maxTokens,
    temperature,
    topK: finite('topK', req.topK ?? 0, (x) => Number.isInteger(x) && x >= 0, 'an integer ≥ 0 (0 disables)'),
    topP: finite('topP', req.topP ?? 1, (x) => x > 0 && x <= 1, 'in (0, 1]'),
    repetitionPenalty: finite('repetitionPenalty', req.repetitionPenalty ?? 1, (x) => x > 0 && x < Infinity, 'a positive number (1 disables)'),
    seed: finite('seed', req.seed ?? Math.floor(Math.random() * 2 ** 32), (x) => Number.isInteger(x) && x >= 0 && x < 2 ** 53, 'a non-negative integer'),
    stop: [...stop],
    includeTokenIds: req.includeTokenIds === true,
  };
  if (hasPrompt) out.prompt = req.prompt;
  else out.messages = checkMessages(req.messages).map((m) => ({ role: m.role, content: m.content }));
  return { request: out, signal, policy, maxLocalLatencyMs };
}

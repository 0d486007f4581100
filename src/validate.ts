/**
 * Checks a GenerateRequest on the calling thread, so bad input fails at once with a
 * typed error instead of after a model download.
 */
import type { BackendRequest } from './backends/backend.js';
import { EdgewiseError } from './errors.js';
import { checkLatencyBudget, checkPolicy, checkSignal } from './options.js';
import { checkMessages } from './messages.js';
import type { Policy } from './route/vocab.js';
import type { GenerateRequest, SamplingSetting } from './types.js';

/** A checked request: what backends see, plus what stays with the engine. */
export interface CheckedRequest {
  request: BackendRequest;
  signal: AbortSignal | undefined;
  policy: Policy | undefined;
  maxLocalLatencyMs: number | undefined;
  /** Settings the caller set away from their defaults: the ones a backend that ignores them must warn about. */
  explicit: SamplingSetting[];
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
  else out.messages = checkMessages(req.messages);
  // The shapes are checked here, at once; the schemas themselves in the runner's lazy chunk
  // (`run/structure.ts`), still before any backend sees the request.
  if (req.responseFormat !== undefined) {
    if (typeof req.responseFormat !== 'object' || req.responseFormat === null) throw new EdgewiseError('invalid_response_format', "responseFormat must be an object: { type: 'json_schema', schema }, { type: 'json_object' } or { type: 'regex', pattern }.", { details: { feature: 'type', reason: 'malformed' } });
    out.responseFormat = req.responseFormat;
  }
  if (req.tools !== undefined || req.toolChoice !== undefined) {
    if (!Array.isArray(req.tools)) throw new EdgewiseError('invalid_tools', 'tools must be a non-empty array of { name, description?, parameters } (toolChoice needs them).', { details: { option: 'tools' } });
    // 'none' keeps the tools out of the request entirely: no backend need take tools for it.
    if (req.toolChoice !== 'none') {
      out.tools = req.tools;
      out.toolChoice = req.toolChoice ?? 'auto';
    }
  }
  return { request: out, signal, policy, maxLocalLatencyMs, explicit: explicitSettings(out, req) };
}

/** The settings that change what a backend does, when the caller set them away from the default. */
function explicitSettings(r: BackendRequest, req: GenerateRequest): SamplingSetting[] {
  const out: SamplingSetting[] = [];
  if (req.temperature !== undefined) out.push('temperature');
  if (r.topK > 0) out.push('topK');
  if (r.topP < 1) out.push('topP');
  if (r.repetitionPenalty !== 1) out.push('repetitionPenalty');
  if (req.seed !== undefined) out.push('seed');
  if (r.stop.length > 0) out.push('stop');
  if (r.includeTokenIds) out.push('includeTokenIds');
  return out;
}

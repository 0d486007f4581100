/**
 * The router's two estimates: prompt tokens before the tokenizer is loaded, and local
 * run time from speeds measured on earlier requests. Plain arithmetic, no clocks.
 */
import type { CandidateFacts } from './decision.js';

/**
 * UTF-8 bytes per token the estimate before load assumes. Measured with the GPT-2 and
 * Llama tokenizers in `shared/models/`: markdown and TypeScript 3.0–3.1 bytes/token,
 * German 2.6–3.7, JSON ~2, Chinese 1.5–2, plain English prose 3.8–5.9. Dividing by 6
 * stays at or under the real count for all of them, so a prompt that would fit is
 * never sent away on a guess. Only long runs of spaces (13–23 bytes/token) count high.
 */
export const ESTIMATE_BYTES_PER_TOKEN = 6;

/**
 * Prompt tokens before the tokenizer is loaded: `ceil(utf8Bytes / 6)`.
 *
 * Deliberately low. An under-count keeps the request on the device: once the model is
 * loaded the exact count replaces it, and a prompt that truly overflows fails locally
 * before its first token, which fails over. An over-count would send data to the remote
 * that the device could have served, so the divisor sits above what real text reaches
 * (see {@link ESTIMATE_BYTES_PER_TOKEN}).
 *
 * @example
 * estimatePromptTokens(new TextEncoder().encode('Hello, world').length); // 2
 */
export function estimatePromptTokens(promptChars: number): number {
  return promptChars > 0 ? Math.ceil(promptChars / ESTIMATE_BYTES_PER_TOKEN) : 0;
}

/**
 * Estimated local time in ms: prefill of the prompt plus decode of `maxTokens` at the
 * measured speeds. `maxTokens` is the worst case (a run may stop sooner), which is what
 * a latency budget guards against. Load time is not included: speed exists only after a
 * model has run. `undefined` without samples or with a non-positive speed, so an
 * unmeasured device never trips the budget.
 *
 * @example
 * estimateLocalMs(800, 64, { prefillTokensPerSecond: 400, decodeTokensPerSecond: 16, samples: 3 }); // 6000
 */
export function estimateLocalMs(promptTokens: number, maxTokens: number, speed: CandidateFacts['speed']): number | undefined {
  if (speed === undefined || !(speed.samples > 0)) return undefined;
  const { prefillTokensPerSecond: prefill, decodeTokensPerSecond: decode } = speed;
  if (!(prefill > 0) || !(decode > 0)) return undefined;
  return (promptTokens / prefill + maxTokens / decode) * 1000;
}

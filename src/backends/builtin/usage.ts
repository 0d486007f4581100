/**
 * Counting for the finish part. The Prompt API counts prompt tokens
 * (`measureContextUsage`) but gives no count of what it generated, so completion tokens
 * are estimated from characters: about four per token, the usual figure for English
 * with BPE vocabularies (fewer for CJK text, which this undercounts). The same estimate
 * turns `maxTokens` into a character budget, since the API has no length limit.
 */
import type { FinishReason, RanOn } from '../../types.js';
import type { BackendFinishPart } from '../backend.js';
import type { LanguageModelPromptOptions, LanguageModelSession } from './prompt-api.js';

export const CHARS_PER_TOKEN = 4;

export const estimateTokens = (chars: number): number => Math.ceil(chars / CHARS_PER_TOKEN);

const finite = (n: number | undefined): number | undefined => (typeof n === 'number' && Number.isFinite(n) ? n : undefined);

/** Tokens the session holds, under either name; undefined when unbounded or unknown. */
export const contextWindowOf = (s: LanguageModelSession): number | undefined => finite(s.contextWindow ?? s.inputQuota);

/**
 * Prompt tokens: the session's usage after create (its initial prompts) plus the
 * measured input, with the prompt's options (a response constraint the browser puts in
 * the input counts). Undefined when the browser cannot measure (then the finish says 0).
 */
export async function measurePrompt(s: LanguageModelSession, input: string, options: LanguageModelPromptOptions): Promise<number | undefined> {
  const used = finite(s.contextUsage ?? s.inputUsage) ?? 0;
  const measuring = s.measureContextUsage ? s.measureContextUsage(input, options) : s.measureInputUsage?.(input, options);
  if (!measuring) return undefined;
  // A failed measurement costs only the count, never the request.
  const n = finite(await measuring.catch(() => undefined));
  return n === undefined ? undefined : used + n;
}

/** Times one request on the `performance.timeOrigin + now()` clock of `startedAt`. */
export class Meter {
  #firstAt: number | undefined;
  #chars = 0;
  promptTokens = 0;

  constructor(private readonly startedAt: number, private readonly now: () => number) {}

  /** Call as text goes to the caller. */
  text(t: string): void {
    this.#firstAt ??= this.now();
    this.#chars += t.length;
  }

  finish(reason: FinishReason, ranOn: RanOn): BackendFinishPart {
    const end = this.now();
    const completionTokens = estimateTokens(this.#chars);
    const decodeMs = this.#firstAt === undefined ? 0 : end - this.#firstAt;
    return {
      type: 'finish',
      reason,
      ranOn,
      usage: {
        promptTokens: this.promptTokens,
        completionTokens,
        timeToFirstTokenMs: this.#firstAt === undefined ? 0 : this.#firstAt - this.startedAt,
        // Tokens after the first over the time after the first, as the other backends measure.
        tokensPerSecond: completionTokens > 1 && decodeMs > 0 ? ((completionTokens - 1) * 1000) / decodeMs : 0,
        totalMs: Math.max(0, end - this.startedAt),
      },
    };
  }
}

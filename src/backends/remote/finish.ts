/**
 * The finish part of a remote answer: timings measured here, token counts as the server
 * reported them (0 when it did not), and the cost from the configured prices.
 */
import type { Cost, FinishReason, Usage } from '../../types.js';
import type { RemotePrices } from '../../config-types.js';
import type { BackendFinishPart } from '../backend.js';
import type { WireUsage } from './wire.js';

/** Prices are per million tokens, as providers publish them. */
export function costOf(usage: Pick<Usage, 'promptTokens' | 'completionTokens'>, prices: RemotePrices): Cost {
  const input = (usage.promptTokens * prices.input) / 1e6;
  const output = (usage.completionTokens * prices.output) / 1e6;
  return { input, output, total: input + output, currency: prices.currency ?? 'USD' };
}

/** Times one request, across its attempts, on the `performance.timeOrigin + now()` clock of `startedAt`. */
export class Meter {
  readonly #startedAt: number;
  readonly #now: () => number;
  #firstAt: number | undefined;

  constructor(startedAt: number, now: () => number) {
    this.#startedAt = startedAt;
    this.#now = now;
  }

  /** True once text or a tool call has reached the caller: from then on nothing is retried. */
  get started(): boolean {
    return this.#firstAt !== undefined;
  }

  /**
   * Call as a text or tool-call part goes to the caller. A call goes out whole, when its
   * choice finishes, so an answer of calls only has its first output then.
   */
  output(): void {
    this.#firstAt ??= this.#now();
  }

  finish(reason: FinishReason, wire: WireUsage | undefined, prices: RemotePrices | undefined): BackendFinishPart {
    const end = this.#now();
    const completionTokens = wire?.completionTokens ?? 0;
    const decodeMs = this.#firstAt === undefined ? 0 : end - this.#firstAt;
    const usage: Usage = {
      promptTokens: wire?.promptTokens ?? 0,
      completionTokens,
      timeToFirstTokenMs: this.#firstAt === undefined ? 0 : this.#firstAt - this.#startedAt,
      // Tokens after the first over the time after the first, as the local backends measure.
      tokensPerSecond: completionTokens > 1 && decodeMs > 0 ? ((completionTokens - 1) * 1000) / decodeMs : 0,
      totalMs: end - this.#startedAt,
    };
    const part: BackendFinishPart = { type: 'finish', reason, usage, ranOn: 'remote' };
    if (prices !== undefined) part.cost = costOf(usage, prices);
    return part;
  }
}

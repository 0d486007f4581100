/**
 * What the engine has served, per place it ran: request counts, tokens, latency and
 * cost over the engine's lifetime (the seed of the demo's insight panel), plus the
 * measured local speed that the router's latency budget uses.
 */
import type { FinishPart, RanOn } from '../types.js';

export interface RouteStats {
  requests: number;
  /** Requests that ran here after another backend failed before its first token. */
  failovers: number;
  aborted: number;
  promptTokens: number;
  completionTokens: number;
  /** Mean over the requests that produced a token. */
  meanTimeToFirstTokenMs: number;
  meanTokensPerSecond: number;
  totalMs: number;
  cost: number;
  redactions: number;
}

export interface EngineStats {
  byRoute: Partial<Record<RanOn, RouteStats>>;
  requests: number;
  cost: number;
  /** Cost currency when any remote price was configured. */
  currency?: string;
}

/** Rates measured on earlier local requests; an exponential moving average. */
export interface LocalSpeed {
  prefillTokensPerSecond: number;
  decodeTokensPerSecond: number;
  samples: number;
}

const empty = (): RouteStats => ({
  requests: 0, failovers: 0, aborted: 0, promptTokens: 0, completionTokens: 0,
  meanTimeToFirstTokenMs: 0, meanTokensPerSecond: 0, totalMs: 0, cost: 0, redactions: 0,
});

// Recent requests weigh more: the device's speed changes with thermal state and load.
const ALPHA = 0.3;

export class StatsRecorder {
  private readonly byRoute = new Map<RanOn, RouteStats & { timed: number }>();
  private currency: string | undefined;
  private speed: LocalSpeed | undefined;

  record(f: FinishPart): void {
    let s = this.byRoute.get(f.ranOn);
    if (!s) this.byRoute.set(f.ranOn, (s = { ...empty(), timed: 0 }));
    s.requests++;
    if (f.route.failover) s.failovers++;
    if (f.reason === 'abort') s.aborted++;
    s.promptTokens += f.usage.promptTokens;
    s.completionTokens += f.usage.completionTokens;
    s.totalMs += f.usage.totalMs;
    if (f.cost) {
      s.cost += f.cost.total;
      this.currency = f.cost.currency;
    }
    // `unrestored` counts placeholders left in the answer, not values hidden.
    for (const [k, n] of Object.entries(f.redactions ?? {})) if (k !== 'unrestored') s.redactions += n ?? 0;
    if (f.usage.completionTokens > 0) {
      s.timed++;
      s.meanTimeToFirstTokenMs += (f.usage.timeToFirstTokenMs - s.meanTimeToFirstTokenMs) / s.timed;
      s.meanTokensPerSecond += (f.usage.tokensPerSecond - s.meanTokensPerSecond) / s.timed;
      if (f.ranOn !== 'remote' && f.reason !== 'abort') this.learnSpeed(f);
    }
  }

  private learnSpeed(f: FinishPart): void {
    const { promptTokens, timeToFirstTokenMs, tokensPerSecond } = f.usage;
    if (!(timeToFirstTokenMs > 0) || !(tokensPerSecond > 0)) return;
    const prefill = (promptTokens * 1000) / timeToFirstTokenMs;
    const s = this.speed;
    this.speed = s
      ? { prefillTokensPerSecond: s.prefillTokensPerSecond + ALPHA * (prefill - s.prefillTokensPerSecond), decodeTokensPerSecond: s.decodeTokensPerSecond + ALPHA * (tokensPerSecond - s.decodeTokensPerSecond), samples: s.samples + 1 }
      : { prefillTokensPerSecond: prefill, decodeTokensPerSecond: tokensPerSecond, samples: 1 };
  }

  localSpeed(): LocalSpeed | undefined {
    return this.speed;
  }

  snapshot(): EngineStats {
    const byRoute: EngineStats['byRoute'] = {};
    let requests = 0;
    let cost = 0;
    for (const [ranOn, { timed: _timed, ...s }] of this.byRoute) {
      byRoute[ranOn] = s;
      requests += s.requests;
      cost += s.cost;
    }
    return { byRoute, requests, cost, ...(this.currency ? { currency: this.currency } : {}) };
  }
}

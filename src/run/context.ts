/** What a run needs of its engine: the policy and its overrides, the device facts, the stats. */
import type { Capabilities } from '../capabilities.js';
import type { RouteFunction } from '../config-types.js';
import type { Policy } from '../route/vocab.js';
import type { StatsRecorder } from '../stats/stats.js';

export interface RunContext {
  policy: Policy;
  maxLocalLatencyMs: number | undefined;
  route: RouteFunction | undefined;
  capabilities(): Promise<Capabilities>;
  stats: StatsRecorder;
}

/**
 * Route inputs for the router tests: one baseline where every check passes, and small
 * edits that make exactly one signal fire. Plain objects; the router reads nothing else.
 *
 * The tables describe one local model and one remote, as `local` and `remote` facts;
 * `decideRoute` and `customDecision` here turn that into the router's candidate list (one
 * local candidate when configured, then the remote when configured) and hand back its
 * decision with candidates as `{ side, ranOn }`, so the rows read as they always have.
 */
import type { Capabilities } from '../../../src/capabilities.js';
import * as router from '../../../src/route/router.js';
import type { CandidateFacts } from '../../../src/route/router.js';
import type { Policy, RanOn } from '../../../src/route/vocab.js';

/** One local model's facts, as the tables write them. */
export type LocalFacts = Omit<CandidateFacts, 'side' | 'ranOn'> & { configured: boolean; ranOn: RanOn; promptChars: number };

export interface RouteInput {
  policy: Policy;
  maxTokens: number;
  maxLocalLatencyMs?: number;
  local: LocalFacts;
  remote: { configured: boolean };
  capabilities: Capabilities;
}

export type RouteDecision = Omit<router.RouteDecision, 'candidates'> & { candidates: { side: router.Side; ranOn: RanOn }[] };

export function toRouterInput(i: RouteInput): router.RouteInput {
  const { configured, promptChars, ...facts } = i.local;
  const candidates: CandidateFacts[] = [];
  if (configured) candidates.push({ side: 'local', ...facts });
  if (i.remote.configured) candidates.push({ side: 'remote', ranOn: 'remote', loaded: true });
  const out: router.RouteInput = { policy: i.policy, maxTokens: i.maxTokens, promptChars, candidates, capabilities: i.capabilities };
  if (i.maxLocalLatencyMs !== undefined) out.maxLocalLatencyMs = i.maxLocalLatencyMs;
  return out;
}

const sidesOnly = (d: router.RouteDecision): RouteDecision => ({ ...d, candidates: d.candidates.map(({ side, ranOn }) => ({ side, ranOn })) });

export const decideRoute = (i: RouteInput): RouteDecision => sidesOnly(router.decideRoute(toRouterInput(i)));
export const customDecision = (answer: unknown, i: RouteInput): RouteDecision => sidesOnly(router.customDecision(answer, toRouterInput(i)));

export const MIB = 2 ** 20;
export const GIB = 2 ** 30;

/** A 100 MiB WASM model with room to spare on every axis. */
export function baseline(policy: Policy = 'prefer-local'): RouteInput {
  return {
    policy,
    maxTokens: 64,
    local: { configured: true, ranOn: 'wasm', loaded: false, weightBytes: 100 * MIB, contextLength: 2048, promptChars: 400 },
    remote: { configured: true },
    capabilities: { threads: true, cores: 8, storageManager: true, deviceMemoryGiB: 4, storage: { quota: 10 * GIB, usage: 0 }, online: true },
  };
}

type Edit = (i: RouteInput) => RouteInput;

/** One edit per local signal; each leaves the other checks passing. */
export const SIGNALS = {
  none: (i) => i,
  no_local_model: (i) => ({ ...i, local: { ...i.local, configured: false } }),
  local_load_failed: (i) => ({ ...i, local: { ...i.local, loadFailed: { code: 'model_not_found', message: 'HTTP 404' } } }),
  // 3 GiB > 50% of 4 GiB.
  memory: (i) => ({ ...i, local: { ...i.local, weightBytes: 3 * GIB } }),
  // 100 MiB of weights > 1 GiB − 1000 MiB left.
  storage: (i) => ({ ...i, capabilities: { ...i.capabilities, storage: { quota: GIB, usage: 1000 * MIB } } }),
  context_overflow: (i) => ({ ...i, local: { ...i.local, loaded: true, promptTokens: 2048 } }),
  // 100 prompt tokens at 100 t/s + 64 new at 10 t/s = 7.4 s > 1 s.
  latency_budget: (i) => ({
    ...i,
    maxLocalLatencyMs: 1000,
    local: { ...i.local, promptTokens: 100, speed: { prefillTokensPerSecond: 100, decodeTokensPerSecond: 10, samples: 3 } },
  }),
} satisfies Record<string, Edit>;
export type Signal = keyof typeof SIGNALS;

/** The remote side: configured and online, configured but offline, or absent. */
export const REMOTES = {
  online: (i) => i,
  offline: (i) => ({ ...i, capabilities: { ...i.capabilities, online: false } }),
  none: (i) => ({ ...i, remote: { configured: false } }),
} satisfies Record<string, Edit>;
export type RemoteState = keyof typeof REMOTES;

export function input(policy: Policy, signal: Signal, remote: RemoteState): RouteInput {
  return REMOTES[remote](SIGNALS[signal](baseline(policy)));
}

/** `'L R'` style: the sides in order, L for local, R for remote. */
export function sides(d: RouteDecision): string {
  return d.candidates.map((c) => (c.side === 'local' ? 'L' : 'R')).join(' ');
}

/** `'L:memory R:no_remote'` style: who was skipped and why. */
export function skipped(d: RouteDecision): string {
  return d.skipped.map((s) => `${s.ranOn === 'remote' ? 'R' : 'L'}:${s.reason}`).join(' ');
}

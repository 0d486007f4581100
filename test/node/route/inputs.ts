/**
 * Route inputs for the router tests: one baseline where every check passes, and small
 * edits that make exactly one signal fire. Plain objects; the router reads nothing else.
 */
import type { RouteDecision, RouteInput } from '../../../src/route/router.js';
import type { Policy } from '../../../src/route/vocab.js';

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

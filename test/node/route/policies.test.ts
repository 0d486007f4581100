import { decideRoute, input, sides, skipped, type RemoteState, type Signal } from './inputs.js';
import { describe, expect, it } from 'vitest';
import type { Policy, RouteReason } from '../../../src/route/vocab.js';

/**
 * Every policy × every local signal × every remote state. Columns: the signal that
 * fires, the remote (online / offline / none), then the expected candidates in order
 * (L local, R remote), the reason, and who was skipped with why.
 */
type Row = [Signal, RemoteState, string, RouteReason, string];

const TABLE: Record<Policy, Row[]> = {
  'local-only': [
    ['none', 'online', 'L', 'local_only', ''],
    ['none', 'offline', 'L', 'local_only', ''],
    ['none', 'none', 'L', 'local_only', ''],
    ['no_local_model', 'online', '', 'no_local_model', 'L:no_local_model'],
    ['no_local_model', 'offline', '', 'no_local_model', 'L:no_local_model'],
    ['no_local_model', 'none', '', 'no_local_model', 'L:no_local_model'],
    ['local_load_failed', 'online', 'L', 'local_only', ''],
    ['local_load_failed', 'none', 'L', 'local_only', ''],
    ['memory', 'online', 'L', 'local_only', ''],
    ['memory', 'none', 'L', 'local_only', ''],
    ['storage', 'online', 'L', 'local_only', ''],
    ['storage', 'none', 'L', 'local_only', ''],
    ['context_overflow', 'online', 'L', 'local_only', ''],
    ['context_overflow', 'none', 'L', 'local_only', ''],
    ['latency_budget', 'online', 'L', 'local_only', ''],
    ['latency_budget', 'none', 'L', 'local_only', ''],
  ],
  'remote-only': [
    ['none', 'online', 'R', 'remote_only', ''],
    ['none', 'offline', 'R', 'remote_only', ''],
    ['none', 'none', '', 'no_remote', 'R:no_remote'],
    ['no_local_model', 'online', 'R', 'remote_only', ''],
    ['no_local_model', 'none', '', 'no_remote', 'R:no_remote'],
    ['local_load_failed', 'online', 'R', 'remote_only', ''],
    ['memory', 'online', 'R', 'remote_only', ''],
    ['storage', 'offline', 'R', 'remote_only', ''],
    ['context_overflow', 'online', 'R', 'remote_only', ''],
    ['latency_budget', 'none', '', 'no_remote', 'R:no_remote'],
  ],
  'prefer-local': [
    ['none', 'online', 'L R', 'local_preferred', ''],
    ['none', 'offline', 'L R', 'local_preferred', ''],
    ['none', 'none', 'L', 'local_preferred', ''],
    ['no_local_model', 'online', 'R', 'no_local_model', 'L:no_local_model'],
    ['no_local_model', 'offline', 'R', 'no_local_model', 'L:no_local_model'],
    ['no_local_model', 'none', '', 'no_local_model', 'L:no_local_model R:no_remote'],
    ['local_load_failed', 'online', 'R', 'local_load_failed', 'L:local_load_failed'],
    ['local_load_failed', 'offline', 'R', 'local_load_failed', 'L:local_load_failed'],
    ['local_load_failed', 'none', 'L', 'local_load_failed', ''],
    ['memory', 'online', 'R', 'memory', 'L:memory'],
    ['memory', 'offline', 'R', 'memory', 'L:memory'],
    ['memory', 'none', 'L', 'memory', ''],
    ['storage', 'online', 'R', 'storage', 'L:storage'],
    ['storage', 'offline', 'R', 'storage', 'L:storage'],
    ['storage', 'none', 'L', 'storage', ''],
    ['context_overflow', 'online', 'R', 'context_overflow', 'L:context_overflow'],
    ['context_overflow', 'offline', 'R', 'context_overflow', 'L:context_overflow'],
    ['context_overflow', 'none', 'L', 'context_overflow', ''],
    ['latency_budget', 'online', 'R', 'latency_budget', 'L:latency_budget'],
    ['latency_budget', 'offline', 'R', 'latency_budget', 'L:latency_budget'],
    ['latency_budget', 'none', 'L', 'latency_budget', ''],
  ],
  'prefer-remote': [
    ['none', 'online', 'R L', 'remote_preferred', ''],
    ['none', 'offline', 'L', 'offline', 'R:offline'],
    ['none', 'none', 'L', 'no_remote', 'R:no_remote'],
    ['no_local_model', 'online', 'R', 'remote_preferred', ''],
    ['no_local_model', 'offline', '', 'offline', 'R:offline L:no_local_model'],
    ['no_local_model', 'none', '', 'no_remote', 'R:no_remote L:no_local_model'],
    ['local_load_failed', 'online', 'R', 'remote_preferred', ''],
    ['local_load_failed', 'offline', 'L', 'offline', 'R:offline'],
    ['local_load_failed', 'none', 'L', 'no_remote', 'R:no_remote'],
    ['memory', 'online', 'R L', 'remote_preferred', ''],
    ['memory', 'offline', 'L', 'offline', 'R:offline'],
    ['memory', 'none', 'L', 'no_remote', 'R:no_remote'],
    ['storage', 'online', 'R L', 'remote_preferred', ''],
    ['storage', 'offline', 'L', 'offline', 'R:offline'],
    ['storage', 'none', 'L', 'no_remote', 'R:no_remote'],
    ['context_overflow', 'online', 'R L', 'remote_preferred', ''],
    ['context_overflow', 'offline', 'L', 'offline', 'R:offline'],
    ['context_overflow', 'none', 'L', 'no_remote', 'R:no_remote'],
    ['latency_budget', 'online', 'R L', 'remote_preferred', ''],
    ['latency_budget', 'offline', 'L', 'offline', 'R:offline'],
    ['latency_budget', 'none', 'L', 'no_remote', 'R:no_remote'],
  ],
};

describe.each(Object.keys(TABLE) as Policy[])('policy %s', (policy) => {
  it.each(TABLE[policy])('signal %s, remote %s → [%s] because %s, skipped [%s]', (signal, remote, cands, reason, skip) => {
    const d = decideRoute(input(policy, signal, remote));
    expect(sides(d)).toBe(cands);
    expect(d.reason).toBe(reason);
    expect(skipped(d)).toBe(skip);
    expect(d.policy).toBe(policy);
    for (const c of d.candidates) expect(c.ranOn).toBe(c.side === 'local' ? 'wasm' : 'remote');
    for (const s of d.skipped) expect(s.detail).not.toBe('');
    expect(d.detail).not.toBe('');
  });
});

describe('decision details', () => {
  it('carries the numbers of the signal that moved the request', () => {
    const d = decideRoute(input('prefer-local', 'memory', 'online'));
    expect(d.detail).toBe('weights 3.00 GiB > 50% of 4 GiB device memory, so the remote serves');
    expect(d.skipped[0]?.detail).toBe('weights 3.00 GiB > 50% of 4 GiB device memory');
  });

  it('says when the local model is tried only because no remote is configured', () => {
    expect(decideRoute(input('prefer-local', 'context_overflow', 'none')).detail).toBe(
      'prompt 2048 tokens + 1 > context 2048, but no remote endpoint is configured, so the local model is tried anyway',
    );
  });

  it('names the signal a local-only request runs despite', () => {
    expect(decideRoute(input('local-only', 'storage', 'online')).detail).toMatch(/^the local-only policy tries the local model although weights 100 MiB are not cached and only 24 MiB/);
  });

  it('says why prefer-remote has no local failover after a failed load', () => {
    expect(decideRoute(input('prefer-remote', 'local_load_failed', 'online')).detail).toBe(
      'the remote is preferred; the local model failed to load, so there is no failover',
    );
  });

  it('keeps the ranOn of the local model in candidates and skipped', () => {
    const i = input('prefer-local', 'memory', 'online');
    const gpu = { ...i, local: { ...i.local, ranOn: 'webgpu' as const }, capabilities: { ...i.capabilities, deviceMemoryGiB: 2 } };
    expect(decideRoute(gpu).skipped[0]?.ranOn).toBe('webgpu');
    expect(decideRoute({ ...gpu, policy: 'local-only' }).candidates).toEqual([{ side: 'local', ranOn: 'webgpu' }]);
  });
});

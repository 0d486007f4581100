import { decideRoute, type RouteInput, baseline, GIB } from './inputs.js';
import { describe, expect, it } from 'vitest';

/**
 * An absent fact never moves a request off the device: only evidence does. Each case
 * pairs an extreme known fact with the missing one that would complete the check.
 */
function decide(local: Partial<RouteInput['local']>, caps: Partial<RouteInput['capabilities']> = {}, more: Partial<RouteInput> = {}) {
  const i = baseline('prefer-local');
  const { deviceMemoryGiB: _d, storage: _s, ...bare } = i.capabilities;
  const { weightBytes: _w, contextLength: _c, ...facts } = i.local;
  return decideRoute({ ...i, ...more, capabilities: { ...bare, ...caps }, local: { ...facts, ...local } });
}

describe('unknown facts never block the local model', () => {
  it('with every optional fact missing', () => {
    const d = decide({ promptChars: 10_000_000 }, {}, { maxLocalLatencyMs: 1 });
    expect([d.reason, d.candidates.map((c) => c.side), d.skipped]).toEqual(['local_preferred', ['local', 'remote'], []]);
  });

  it('huge weights without deviceMemoryGiB (off WASM, whose ceiling is a known fact)', () => {
    expect(decide({ ranOn: 'webgpu', weightBytes: 64 * GIB }).reason).toBe('local_preferred');
  });

  it('huge weights without a storage estimate', () => {
    expect(decide({ weightBytes: 3 * GIB }, { deviceMemoryGiB: 8 }).reason).toBe('local_preferred');
  });

  it('tiny memory and quota without weightBytes', () => {
    expect(decide({}, { deviceMemoryGiB: 0.25, storage: { quota: 1, usage: 1 } }).reason).toBe('local_preferred');
  });

  it('a huge prompt without contextLength', () => {
    expect(decide({ loaded: true, promptTokens: 1_000_000 }).reason).toBe('local_preferred');
  });

  it('a 1 ms budget without measured speed', () => {
    expect(decide({ promptTokens: 100_000 }, {}, { maxLocalLatencyMs: 1, maxTokens: 100_000 }).reason).toBe('local_preferred');
  });
});

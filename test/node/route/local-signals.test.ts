import { decideRoute, type RouteInput, baseline, GIB, MIB } from './inputs.js';
import { describe, expect, it } from 'vitest';
import { DEVICE_MEMORY_FRACTION, WASM32_MAX_BYTES, WASM_HEAP_PER_BYTE, WASM_PEAK_PER_BYTE } from '../../../src/route/local-signals.js';

/** prefer-local with a remote: the reason is whichever signal fired first. */
function why(edit: (i: RouteInput) => RouteInput): string {
  const d = decideRoute(edit(baseline('prefer-local')));
  return d.reason === 'local_preferred' ? 'local_preferred' : `${d.reason}: ${d.skipped[0]?.detail ?? ''}`;
}

function withLocal(local: Partial<RouteInput['local']>, more: Partial<RouteInput> = {}) {
  return (i: RouteInput): RouteInput => ({ ...i, ...more, local: { ...i.local, ...local } });
}

function withCaps(caps: Partial<RouteInput['capabilities']>, local: Partial<RouteInput['local']> = {}) {
  return (i: RouteInput): RouteInput => ({ ...i, capabilities: { ...i.capabilities, ...caps }, local: { ...i.local, ...local } });
}

describe('the order of local signals', () => {
  it('reports the first signal that fires: load failure, memory, storage, context, latency', () => {
    const all: Partial<RouteInput['local']> = {
      loadFailed: { code: 'runtime_error', message: 'boom' },
      weightBytes: 3 * GIB,
      contextLength: 10,
      speed: { prefillTokensPerSecond: 1, decodeTokensPerSecond: 1, samples: 1 },
    };
    const caps = { storage: { quota: GIB, usage: GIB } };
    const edit = (local: Partial<RouteInput['local']>) => (i: RouteInput): RouteInput => ({
      ...i, maxLocalLatencyMs: 1, capabilities: { ...i.capabilities, ...caps }, local: { ...i.local, ...local },
    });
    const { loadFailed: _l, ...noLoad } = all;
    expect(why(edit(all))).toMatch(/^local_load_failed: the local model failed to load \(runtime_error: boom\)$/);
    expect(why(edit(noLoad))).toMatch(/^memory:/);
    expect(why(edit({ ...noLoad, weightBytes: 100 * MIB }))).toMatch(/^storage:/);
    expect(why(edit({ ...noLoad, weightBytes: 100 * MIB, cached: true }))).toMatch(/^context_overflow:/);
    expect(why(edit({ ...noLoad, weightBytes: 100 * MIB, cached: true, contextLength: 4096 }))).toMatch(/^latency_budget:/);
  });
});

describe('memory', () => {
  const limit = 4 * GIB * DEVICE_MEMORY_FRACTION;
  it(`fires when the weights are above ${DEVICE_MEMORY_FRACTION * 100}% of device memory, not at it`, () => {
    expect(why(withLocal({ ranOn: 'webgpu', weightBytes: limit }))).toBe('local_preferred');
    expect(why(withLocal({ ranOn: 'webgpu', weightBytes: limit + 1 }))).toBe('memory: weights 2.00 GiB > 50% of 4 GiB device memory');
    expect(why(withLocal({ weightBytes: limit + 1 }))).toBe('memory: weights 2.00 GiB > 50% of 4 GiB device memory');
  });

  it(`on WASM, fires when the load's peak (${WASM_PEAK_PER_BYTE}× the weights) is above ${DEVICE_MEMORY_FRACTION * 100}% of device memory`, () => {
    const most = Math.floor(limit / WASM_PEAK_PER_BYTE);
    expect(why(withLocal({ weightBytes: most }))).toBe('local_preferred');
    expect(why(withLocal({ weightBytes: most + 1 }))).toMatch(/^memory: a WASM load of weights \d+ MiB peaks at ≈ 2\.00 GiB > 50% of 4 GiB device memory$/);
    // WebGPU holds the weights in GPU buffers: only the weights themselves count there.
    expect(why(withLocal({ ranOn: 'webgpu', weightBytes: most + 1 }))).toBe('local_preferred');
  });

  it('says what a too-large model would need before it downloads a byte (a 1.7B q4 file on a 4 GiB device)', () => {
    expect(why(withLocal({ weightBytes: 1.47e9 }))).toMatch(/^memory: a WASM load of weights 1\.37 GiB peaks at ≈ \d+\.\d\d GiB > 50% of 4 GiB device memory$/);
  });

  it('does not fire at Chromium\'s cap of 8, which means "8 GiB or more"', () => {
    expect(why(withCaps({ deviceMemoryGiB: 8 }, { ranOn: 'webgpu', weightBytes: 6 * GIB }))).toBe('local_preferred');
    expect(why(withCaps({ deviceMemoryGiB: 4 }, { ranOn: 'webgpu', weightBytes: 6 * GIB }))).toMatch(/^memory:/);
  });

  it('stops WASM weights above the 4 GiB wasm32 ceiling whatever the device says', () => {
    const big = { deviceMemoryGiB: 8, storage: { quota: 100 * GIB, usage: 0 } };
    expect(why(withCaps(big, { weightBytes: WASM32_MAX_BYTES + 1 }))).toBe('memory: weights 4.00 GiB > the 4 GiB wasm32 memory ceiling');
    expect(why(withCaps(big, { weightBytes: WASM32_MAX_BYTES + 1, ranOn: 'webgpu' }))).toBe('local_preferred');
  });

  it(`stops a WASM load whose heap (${WASM_HEAP_PER_BYTE}× the weights) would pass the wasm32 ceiling, however much memory the device has`, () => {
    const big = { deviceMemoryGiB: 8, storage: { quota: 100 * GIB, usage: 0 } };
    const most = Math.floor(WASM32_MAX_BYTES / WASM_HEAP_PER_BYTE);
    expect(why(withCaps(big, { weightBytes: most }))).toBe('local_preferred');
    expect(why(withCaps(big, { weightBytes: most + 1 }))).toMatch(/^memory: a WASM load of weights [\d.]+ GiB needs ≈ 4\.00 GiB of heap > the 4 GiB wasm32 memory ceiling$/);
    expect(why(withCaps(big, { weightBytes: most + 1, ranOn: 'webgpu' }))).toBe('local_preferred');
  });

  it('does not fire once the model is loaded: the weights already fit', () => {
    expect(why(withLocal({ weightBytes: 3 * GIB, loaded: true }))).toBe('local_preferred');
  });
});

describe('storage', () => {
  const tight = { storage: { quota: GIB, usage: GIB - 100 * MIB } };
  it('fires when uncached weights exceed the quota left, not when they equal it', () => {
    expect(why(withCaps(tight, { weightBytes: 100 * MIB }))).toBe('local_preferred');
    expect(why(withCaps(tight, { weightBytes: 100 * MIB + 1 }))).toBe('storage: weights 100 MiB are not cached and only 100 MiB of storage quota is left');
  });

  it('does not fire for cached or loaded weights', () => {
    expect(why(withCaps(tight, { weightBytes: 400 * MIB, cached: true }))).toBe('local_preferred');
    expect(why(withCaps(tight, { weightBytes: 400 * MIB, loaded: true }))).toBe('local_preferred');
  });

  it('treats cached as unknown-means-not-cached, since the quota is known', () => {
    expect(why(withCaps(tight, { weightBytes: 400 * MIB, cached: false }))).toMatch(/^storage:/);
    expect(why(withCaps(tight, { weightBytes: 400 * MIB }))).toMatch(/^storage:/);
  });

  it('shows an over-full quota as 0 left', () => {
    expect(why(withCaps({ storage: { quota: GIB, usage: 2 * GIB } }))).toBe('storage: weights 100 MiB are not cached and only 0 KiB of storage quota is left');
  });
});

describe('context overflow', () => {
  it('needs room for one new token beyond the exact prompt', () => {
    expect(why(withLocal({ loaded: true, promptTokens: 2047 }))).toBe('local_preferred');
    expect(why(withLocal({ loaded: true, promptTokens: 2048 }))).toBe('context_overflow: prompt 2048 tokens + 1 > context 2048');
  });

  it('uses the estimate before load, marked ≈', () => {
    expect(why(withLocal({ promptChars: 2047 * 6 }))).toBe('local_preferred');
    expect(why(withLocal({ promptChars: 2048 * 6 }))).toBe('context_overflow: prompt ≈ 2048 tokens + 1 > context 2048');
  });

  it('prefers the exact count over the estimate', () => {
    expect(why(withLocal({ loaded: true, promptChars: 1_000_000, promptTokens: 10 }))).toBe('local_preferred');
    expect(why(withLocal({ loaded: true, promptChars: 10, promptTokens: 5000 }))).toMatch(/^context_overflow: prompt 5000/);
  });
});

describe('latency budget', () => {
  const speed = { prefillTokensPerSecond: 100, decodeTokensPerSecond: 10, samples: 2 };
  // 100 prompt tokens / 100 t/s + 64 new / 10 t/s = 7400 ms.
  it('fires when the estimate exceeds maxLocalLatencyMs, not when it equals it', () => {
    expect(why(withLocal({ promptTokens: 100, speed }, { maxLocalLatencyMs: 7400 }))).toBe('local_preferred');
    expect(why(withLocal({ promptTokens: 100, speed }, { maxLocalLatencyMs: 7399 }))).toBe(
      'latency_budget: local run ≈ 7400 ms (100 prompt + 64 new tokens at measured speed) > budget 7399 ms',
    );
  });

  it('needs both a budget and measured speed', () => {
    expect(why(withLocal({ promptTokens: 100, speed }))).toBe('local_preferred');
    expect(why(withLocal({ promptTokens: 100 }, { maxLocalLatencyMs: 1 }))).toBe('local_preferred');
    expect(why(withLocal({ promptTokens: 100, speed: { ...speed, samples: 0 } }, { maxLocalLatencyMs: 1 }))).toBe('local_preferred');
  });

  it('uses the estimate before load', () => {
    expect(why(withLocal({ promptChars: 600, speed }, { maxLocalLatencyMs: 1000 }))).toMatch(/^latency_budget: local run ≈ 7400 ms \(100 prompt/);
  });
});

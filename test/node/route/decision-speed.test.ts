import { performance } from 'node:perf_hooks';
import { expect, it } from 'vitest';
import { decideRoute, type RouteInput } from '../../../src/route/router.js';
import type { Policy } from '../../../src/route/vocab.js';
import { input, REMOTES, SIGNALS, toRouterInput, type RemoteState, type Signal } from './inputs.js';

/**
 * The engine decides on every request, so a decision must cost far less than 1 ms. The
 * bound is loose on purpose (shared CI machines); the median is printed for the record.
 */
it('decides 10 000 times well under 10 s, each in well under 1 ms', () => {
  const inputs: RouteInput[] = [];
  for (const policy of ['local-only', 'prefer-local', 'prefer-remote', 'remote-only'] as Policy[]) {
    for (const signal of Object.keys(SIGNALS) as Signal[]) {
      for (const remote of Object.keys(REMOTES) as RemoteState[]) inputs.push(toRouterInput(input(policy, signal, remote)));
    }
  }
  const times = new Float64Array(10_000);
  let sink = 0;
  const start = performance.now();
  for (let n = 0; n < times.length; n++) {
    const t0 = performance.now();
    sink += decideRoute(inputs[n % inputs.length]!).candidates.length;
    times[n] = performance.now() - t0;
  }
  const total = performance.now() - start;
  times.sort();
  const median = times[times.length >> 1]!;
  console.log(`route decision: median ${(median * 1000).toFixed(2)} µs, p99 ${(times[Math.floor(times.length * 0.99)]! * 1000).toFixed(2)} µs, 10 000 in ${total.toFixed(1)} ms`);
  expect(sink).toBeGreaterThan(0);
  expect(total).toBeLessThan(10_000);
  expect(median).toBeLessThan(1);
});

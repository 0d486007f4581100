/**
 * Acceptance (issue 6.3): no per-call retention. 2,000 sequential generations keep the
 * page's and the worker's heaps within 10% after garbage collection (measured through
 * the DevTools protocol by the runner's `heap` command; figures printed for the note).
 */
import { executeServerCommand } from '@web/test-runner-commands';
import { createEngine } from '/dist/edgewise.js';
import { FIXTURE_URL, assert } from '../helpers.js';

interface Heaps { page: number; workers: number[] }
const heaps = (): Promise<Heaps> => executeServerCommand<Heaps, undefined>('heap');
const mb = (n: number): string => `${(n / 2 ** 20).toFixed(2)} MB`;

describe('reliability: soak', () => {
  it('2,000 generations grow neither the page heap nor the worker heap by 10%', async function () {
    this.timeout(600_000);
    const engine = createEngine({ model: { id: 'tiny-llama', url: FIXTURE_URL, dtype: 'q4' }, cache: false });
    try {
      await engine.load();
      // Warm-up: the runtime's and the JIT's one-time allocations are not per-call retention.
      for (let i = 0; i < 200; i++) await engine.text({ prompt: 'Hi', maxTokens: 2 });
      const before = await heaps();
      assert(before.workers.length === 1, `one SDK worker measured (${before.workers.length})`);
      const t0 = performance.now();
      for (let i = 0; i < 2000; i++) {
        const controller = new AbortController();
        for await (const p of engine.generate({ prompt: 'Hi', maxTokens: 2, signal: controller.signal })) void p;
      }
      const ms = performance.now() - t0;
      const after = await heaps();
      const pageGrowth = after.page / before.page - 1;
      const workerGrowth = (after.workers[0] ?? 0) / (before.workers[0] ?? 1) - 1;
      console.log(`soak: 2000 generations in ${(ms / 1000).toFixed(1)} s; page heap ${mb(before.page)} → ${mb(after.page)} (${(pageGrowth * 100).toFixed(1)}%), worker heap ${mb(before.workers[0] ?? 0)} → ${mb(after.workers[0] ?? 0)} (${(workerGrowth * 100).toFixed(1)}%)`);
      assert(pageGrowth < 0.1, `page heap grew ${(pageGrowth * 100).toFixed(1)}%`);
      assert(workerGrowth < 0.1, `worker heap grew ${(workerGrowth * 100).toFixed(1)}%`);
    } finally {
      await engine.dispose();
    }
  });
});

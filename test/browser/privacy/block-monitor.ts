/**
 * Watches the page's main thread for blocks while a call runs: the Long Tasks API where
 * the browser has it (Chromium: every task over 50 ms, with its duration), and a chain of
 * `setTimeout(0)` ticks as the fallback and the finer measure (a gap between two ticks is
 * at least the longest task between them, plus the 4 ms clamp of nested timers).
 */
export interface BlockReport {
  /** Longest gap between two timer ticks, in ms. */
  longestGap: number;
  /** When that gap ended (`performance.now()`), to tell which step blocked. */
  longestGapEnd: number;
  /** Durations of the long tasks reported while watching (empty where the API is missing). */
  longTasks: number[];
  longTasksSupported: boolean;
}

export async function watchMainThread<T>(run: () => Promise<T>): Promise<{ result: T; report: BlockReport }> {
  const longTasks: number[] = [];
  const supported = typeof PerformanceObserver !== 'undefined' && (PerformanceObserver.supportedEntryTypes ?? []).includes('longtask');
  const observer = supported ? new PerformanceObserver((list) => { for (const e of list.getEntries()) longTasks.push(e.duration); }) : undefined;
  observer?.observe({ type: 'longtask' });
  let longestGap = 0;
  let longestGapEnd = 0;
  let last = performance.now();
  let watching = true;
  const tick = (): void => {
    const now = performance.now();
    if (now - last > longestGap) {
      longestGap = now - last;
      longestGapEnd = now;
    }
    last = now;
    if (watching) setTimeout(tick, 0);
  };
  setTimeout(tick, 0);
  try {
    const result = await run();
    // One more tick, so a block at the very end is measured too.
    await new Promise((r) => setTimeout(r, 0));
    return { result, report: { longestGap, longestGapEnd, longTasks, longTasksSupported: supported } };
  } finally {
    watching = false;
    // Long-task entries are queued; let the observer deliver the last ones before disconnecting.
    await new Promise((r) => setTimeout(r, 20));
    observer?.disconnect();
  }
}

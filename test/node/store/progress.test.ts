import { describe, expect, it } from 'vitest';
import { ProgressTracker } from '../../../src/store/progress.js';
import type { Progress } from '../../../src/types.js';

function tracked(): { tracker: ProgressTracker; events: Progress[] } {
  const events: Progress[] = [];
  return { tracker: new ProgressTracker((p) => events.push(p)), events };
}

describe('ProgressTracker', () => {
  it('holds a file one byte short of its total until it is finished', () => {
    const { tracker, events } = tracked();
    tracker.setTotal('a', 100);
    tracker.update('a', 100, 'network');
    expect(events.at(-1)).toMatchObject({ loaded: 99, total: 100, totalLoaded: 99, totalBytes: 100 });
    tracker.finish('a', 100, 'network');
    expect(events.at(-1)).toMatchObject({ loaded: 100, totalLoaded: 100, totalBytes: 100 });
  });

  it('never goes backwards when a download restarts from zero', () => {
    const { tracker, events } = tracked();
    tracker.setTotal('a', 100);
    tracker.update('a', 60, 'network');
    tracker.update('a', 10, 'network');
    expect(events.map((e) => e.loaded)).toEqual([60, 60]);
    tracker.update('a', 70, 'network');
    expect(events.at(-1)?.loaded).toBe(70);
  });

  it('keeps totalLoaded below totalBytes while any file is unfinished, and sums files', () => {
    const { tracker, events } = tracked();
    tracker.setTotal('a', 10);
    tracker.setTotal('b', 20);
    tracker.finish('a', 10, 'cache');
    tracker.update('b', 20, 'network');
    expect(events.map((e) => [e.file, e.totalLoaded, e.totalBytes, e.source])).toEqual([
      ['a', 10, 30, 'cache'],
      ['b', 29, 30, 'network'],
    ]);
    tracker.finish('b', 20, 'network');
    expect(events.at(-1)).toMatchObject({ totalLoaded: 30, totalBytes: 30 });
  });

  it('reports a file of unknown size with total 0 and counts it once finished', () => {
    const { tracker, events } = tracked();
    tracker.setTotal('a', 50);
    tracker.setTotal('u', 0);
    tracker.finish('a', 50, 'network');
    tracker.update('u', 5, 'network');
    expect(events.at(-1)).toMatchObject({ file: 'u', loaded: 5, total: 0, totalBytes: 50, totalLoaded: 49 });
    tracker.finish('u', 8, 'network');
    expect(events.at(-1)).toMatchObject({ loaded: 8, total: 8, totalLoaded: 58, totalBytes: 58 });
  });
});

/** Acceptance (#3): progress is monotonic and reaches the total only when the last byte is stored. */
import type { Progress } from '../../../src/types.js';
import { loadModelFiles } from '../../../src/store/index.js';
import {
  assert, assertEqual, expectCode, freshState, MODEL_SERVER, records, serverLog, setFaults,
} from './helpers.js';

const CHUNK = 64 * 1024;
const SIZES = [1000, 9 * CHUNK + 77, 5 * CHUNK];
const FILES = SIZES.map((size, i) => ({ path: `${size}/f${i}.bin` }));
const BIG = { path: `${9 * CHUNK + 77}/f1.bin` };
const base = `${MODEL_SERVER}/gen/`; // each path starts with its size
const TOTAL = SIZES.reduce((a, b) => a + b, 0);
const fast = { chunkSize: CHUNK, retryDelayMs: 0 };

/** Checks the invariants of a progress stream; `finished` when the load succeeded. */
function checkStream(events: readonly Progress[], finished: boolean): void {
  const perFile = new Map<string, Progress[]>();
  for (const [i, p] of events.entries()) {
    const prev = events[i - 1];
    if (prev) assert(p.totalLoaded >= prev.totalLoaded, `totalLoaded went back at event ${i}: ${prev.totalLoaded} → ${p.totalLoaded}`);
    const atEnd = p.totalLoaded === p.totalBytes;
    assert(!atEnd || (finished && i === events.length - 1), `totalLoaded reached totalBytes early, at event ${i} of ${events.length}`);
    perFile.set(p.file, [...(perFile.get(p.file) ?? []), p]);
  }
  for (const [file, list] of perFile) {
    for (const [i, p] of list.entries()) {
      const prev = list[i - 1];
      if (prev) assert(p.loaded >= prev.loaded, `${file}: loaded went back`);
      assert(p.loaded < p.total || i === list.length - 1, `${file}: loaded reached total before its last event`);
    }
  }
}

describe('store: progress', () => {
  beforeEach(freshState);

  it('is monotonic across parallel files and reaches exactly totalBytes only in the last event', async () => {
    const events: Progress[] = [];
    await loadModelFiles({ key: 'progress:parallel', baseUrl: base, files: FILES, ...fast, concurrency: 2, onProgress: (p) => events.push({ ...p }) });
    checkStream(events, true);
    for (const [i, f] of FILES.entries()) assert(events.some((p) => p.file === f.path && p.loaded === SIZES[i]), `${f.path} reported complete`);
    assert(events.every((p) => p.totalBytes === TOTAL), 'totalBytes known from the preflight, before any body');
    assertEqual(events.at(-1)?.totalLoaded, TOTAL, 'ends at the total');
    const firstGet = (await serverLog()).findIndex((e) => e.method === 'GET');
    const heads = (await serverLog()).filter((e) => e.method === 'HEAD').length;
    assert(firstGet >= FILES.length && heads === FILES.length, 'every HEAD preflight came before the first body');
  });

  it('never reports a file complete while its last byte is missing (cut one byte short)', async () => {
    const events: Progress[] = [];
    await setFaults([{ match: BIG.path, cutAfter: 9 * CHUNK + 76, times: 1 }]);
    await expectCode(loadModelFiles({ key: 'progress:short', baseUrl: base, files: [BIG], ...fast, retries: 0, onProgress: (p) => events.push({ ...p }) }), 'offline');
    checkStream(events, false);
    assert(events.every((p) => p.loaded < p.total), 'no event reached the total');
    assertEqual((await records('progress:short')).get(BIG.path)?.state, 'partial', 'not stored as complete');
  });

  it('stays monotonic through a restart (server ignores Range after a partial download)', async () => {
    const key = 'progress:restart';
    await setFaults([{ match: BIG.path, cutAfter: 6 * CHUNK, times: 1 }]);
    await expectCode(loadModelFiles({ key, baseUrl: base, files: [BIG], ...fast, retries: 0 }), 'offline');
    await setFaults([{ match: BIG.path, ignoreRange: true }]);
    const events: Progress[] = [];
    await loadModelFiles({ key, baseUrl: base, files: [BIG], ...fast, onProgress: (p) => events.push({ ...p }) });
    checkStream(events, true);
    assert(events.some((p) => p.source === 'cache') && events.some((p) => p.source === 'network'), 'stored chunks were read, then the network used');
  });

  it('reports a throwing onProgress callback as `invalid_request`, not as a network or storage failure', async () => {
    const onProgress = (): void => { throw new Error('boom'); };
    const err = await expectCode(loadModelFiles({ key: 'progress:throws', baseUrl: base, files: [BIG], ...fast, onProgress }), 'invalid_request');
    assert(/onProgress/.test(err.message) && /boom/.test(err.message), `message: ${err.message}`);
  });
});

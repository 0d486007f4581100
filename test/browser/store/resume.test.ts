/** Acceptance (#3): interrupted downloads resume with Range and end byte-identical. */
import { loadModelFiles } from '../../../src/store/index.js';
import {
  assert, assertEqual, expectCode, freshState, genBase, loadOne, records, serverLog, setFaults, seeded, sha256Hex, sourceSha,
} from './helpers.js';

const KiB = 1024;
const CHUNK = 256 * KiB;
const SIZE = 5 * 1024 * KiB + 123; // not a multiple of the chunk size, so the last chunk is short
const PATH = 'blob.bin';
const base = genBase(SIZE);
const fast = { retryDelayMs: 0, chunkSize: CHUNK };

describe('store: resume', () => {
  let expected = '';
  before(async () => { expected = await sourceSha(`${base}${PATH}`); });
  beforeEach(freshState);

  it('resumes a download cut at 20 seeded byte offsets and ends byte-identical, using Range (206) not restarts', async () => {
    const key = 'resume:20-cuts';
    const random = seeded(20240603);
    const cuts = new Set<number>();
    while (cuts.size < 20) cuts.add(1 + Math.floor(random() * (SIZE - 1)));
    const offsets = [...cuts].sort((a, b) => a - b);
    const starts: number[] = []; // where each call had to start, from the store's own record
    const storedNow = async (): Promise<number> => {
      const rec = (await records(key)).get(PATH);
      return rec?.state === 'partial' ? rec.bytes : 0;
    };

    for (const offset of offsets) {
      const stored = await storedNow();
      starts.push(stored);
      await setFaults([{ match: PATH, cutAfter: offset - stored, times: 1 }]);
      // retries: 0 makes each cut fail the call, so the next call must resume from storage.
      await expectCode(loadOne({ key, baseUrl: base, path: PATH, ...fast, retries: 0 }), 'offline');
      const kept = await storedNow();
      // Every whole chunk before the cut is kept (the server lingers so the page reads them
      // all); `<=` only tolerates Chromium dropping unread bytes on a very slow machine.
      assert(kept % CHUNK === 0 && kept >= stored && kept <= Math.floor(offset / CHUNK) * CHUNK, `stored ${kept} after the cut at ${offset}`);
    }
    starts.push(await storedNow());
    await setFaults([]);
    const bytes = await loadOne({ key, baseUrl: base, path: PATH, ...fast, retries: 0 });
    assertEqual(bytes.length, SIZE, 'size');
    assertEqual(await sha256Hex(bytes), expected, 'sha256 of the resumed download');

    // Each call asked for exactly the bytes after what was stored: Range from the last
    // complete chunk (only calls with nothing stored yet ask for the whole file).
    const gets = (await serverLog()).filter((e) => e.method === 'GET');
    assertEqual(gets.map((e) => e.range), starts.map((s) => (s === 0 ? null : `bytes=${s}-`)), 'ranges asked');
    assertEqual(gets.map((e) => e.status), starts.map((s) => (s === 0 ? 200 : 206)), 'statuses');
    assert(starts.filter((s) => s > 0).length >= 10, `most calls resumed (${starts.join(', ')})`);
    const rec = (await records(key)).get(PATH);
    assert(rec?.state === 'complete' && rec.sha256 === expected, 'the manifest records the verified sha256');
  });

  it('retries a cut stream within one call, continuing at the exact byte with Range', async () => {
    await setFaults([{ match: PATH, cutAfter: 300_000, times: 3 }]);
    const bytes = await loadOne({ key: 'resume:in-call', baseUrl: base, path: PATH, ...fast, retries: 3 });
    assertEqual(await sha256Hex(bytes), expected, 'sha256');
    const gets = (await serverLog()).filter((e) => e.method === 'GET');
    assertEqual(gets.map((e) => e.status), [200, 206, 206, 206], 'statuses');
    // Each retry starts where the bytes received stopped (300000 per attempt, unless the
    // browser dropped some unread bytes with the failed connection), not at a chunk boundary.
    const from = gets.map((e) => Number(/^bytes=(\d+)-$/.exec(e.range ?? 'bytes=0-')?.[1]));
    for (let k = 1; k < from.length; k++) assert((from[k] ?? 0) > (from[k - 1] ?? 0) && (from[k] ?? 0) <= 300_000 * k, `retry ${k} from ${from[k]}`);
    assert(from.some((f) => f % CHUNK !== 0), `continued at exact bytes: ${from.join(', ')}`);
  });

  it('gives up with a typed error when every attempt is cut (no endless retry loop)', async () => {
    await setFaults([{ match: PATH, cutAfter: 1000 }]);
    const err = await expectCode(loadOne({ key: 'resume:broken', baseUrl: base, path: PATH, ...fast, retries: 2 }), 'offline');
    assert(/load again/i.test(err.message), `message says what to do: ${err.message}`);
    assertEqual((await serverLog()).filter((e) => e.method === 'GET').length, 3, 'one attempt plus two retries');
  });

  it('restarts cleanly when the server ignores Range (200 to a Range request)', async () => {
    const key = 'resume:ignore-range';
    await setFaults([{ match: PATH, cutAfter: 3 * CHUNK + 10, times: 1 }]);
    await expectCode(loadOne({ key, baseUrl: base, path: PATH, ...fast, retries: 0 }), 'offline');
    await setFaults([{ match: PATH, ignoreRange: true }]);
    const bytes = await loadOne({ key, baseUrl: base, path: PATH, ...fast });
    assertEqual(await sha256Hex(bytes), expected, 'sha256 after the restart');
    const last = (await serverLog()).filter((e) => e.method === 'GET').at(-1);
    assertEqual([last?.range, last?.status], [`bytes=${3 * CHUNK}-`, 200], 'asked for a range, got the whole file');
  });

  it('restarts cleanly when the ETag changed since the partial download', async () => {
    const key = 'resume:etag';
    await setFaults([{ match: PATH, cutAfter: 2 * CHUNK + 5, times: 1 }]);
    await expectCode(loadOne({ key, baseUrl: base, path: PATH, ...fast, retries: 0 }), 'offline');
    await setFaults([{ match: PATH, etag: '"a-new-version"' }]);
    const bytes = await loadOne({ key, baseUrl: base, path: PATH, ...fast });
    assertEqual(await sha256Hex(bytes), expected, 'sha256 after the restart');
    const gets = (await serverLog()).filter((e) => e.method === 'GET');
    assertEqual([gets.at(-1)?.range, gets.at(-1)?.status], [null, 200], 'the new version is fetched whole, not resumed');
    assertEqual((await records(key)).get(PATH)?.etag, '"a-new-version"', 'the manifest keeps the new ETag');
  });

  it('aborts mid-download with `aborted`, stops the stream, and a later load resumes', async () => {
    const key = 'resume:abort';
    await setFaults([{ match: PATH, bytesPerSecond: 4 * 1024 * KiB, times: 1 }]);
    const controller = new AbortController();
    const call = loadModelFiles({
      key, baseUrl: base, files: [{ path: PATH }], ...fast, signal: controller.signal,
      onProgress: (p) => { if (p.loaded > 3 * CHUNK) controller.abort(); },
    });
    await expectCode(call, 'aborted');
    const rec = (await records(key)).get(PATH);
    assert(rec?.state === 'partial' && rec.bytes >= 3 * CHUNK, 'the stored chunks stay for a resume');
    const bytes = await loadOne({ key, baseUrl: base, path: PATH, ...fast });
    assertEqual(await sha256Hex(bytes), expected, 'sha256 after resuming');
    const gets = (await serverLog()).filter((e) => e.method === 'GET');
    assertEqual([gets.at(-1)?.range, gets.at(-1)?.status], [`bytes=${rec.bytes}-`, 206], 'resumed where the abort left off');
    assert((gets[0]?.bytesSent ?? SIZE) < SIZE, 'the aborted stream stopped early');
  });
});

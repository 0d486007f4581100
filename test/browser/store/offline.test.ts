/** Acceptance (#3): a cached model loads with no network at all; `cache: false` touches no storage. */
import type { Progress } from '../../../src/types.js';
import { loadModelFiles, type UseStore } from '../../../src/store/index.js';
import {
  assert, assertEqual, expectCode, freshState, genBase, keysOf, loadOne, MODEL_SERVER, records, resetServer, setFaults, setOffline, sha256Hex, sourceSha,
} from './helpers.js';

const CHUNK = 64 * 1024;
const SIZE = 6 * CHUNK + 4321;
const base = genBase(SIZE);
const FILES = [{ path: 'config.json' }, { path: 'onnx/model.onnx' }, { path: 'onnx/model.onnx_data' }];
const fast = { chunkSize: CHUNK, retryDelayMs: 0 };

async function rawLog(): Promise<unknown[]> {
  return (await (await fetch(`${MODEL_SERVER}/__ctl/log`)).json()) as unknown[];
}

/** Fails the test on any use: proves `cache: false` never opens IndexedDB. */
const forbiddenStore: UseStore = () => Promise.reject(new Error('cache: false must not touch IndexedDB'));

describe('store: offline and cache: false', () => {
  const expected = new Map<string, string>();
  before(async () => {
    for (const f of FILES) expected.set(f.path, await sourceSha(`${base}${f.path}`));
  });
  beforeEach(freshState);

  it('loads a cached model again with the server offline: identical bytes, zero requests, progress from the cache', async () => {
    const key = 'offline:cached';
    await loadModelFiles({ key, baseUrl: base, files: FILES, ...fast });
    const usedBefore = Math.min(...[...(await records(key)).values()].map((r) => r.lastUsed));
    await resetServer(); // empties the log
    await setOffline(true);
    await new Promise((r) => setTimeout(r, 2)); // so lastUsed can move on

    const events: Progress[] = [];
    const files = await loadModelFiles({ key, baseUrl: base, files: FILES, ...fast, onProgress: (p) => events.push(p) });
    for (const f of FILES) assertEqual(await sha256Hex(files.get(f.path) ?? new Uint8Array()), expected.get(f.path), `${f.path} identical`);
    assertEqual(await rawLog(), [], 'the server saw no request at all (not even HEAD)');
    assert(events.length > 0 && events.every((p) => p.source === 'cache'), 'progress reports source "cache"');
    assertEqual([events.at(-1)?.totalLoaded, events.at(-1)?.totalBytes], [3 * SIZE, 3 * SIZE], 'progress ends at the total');
    const usedAfter = Math.min(...[...(await records(key)).values()].map((r) => r.lastUsed));
    assert(usedAfter > usedBefore, 'lastUsed was updated');
  });

  it('fails with `model_not_found` ("could not reach") when nothing is cached and the network is down', async () => {
    await setOffline(true);
    const err = await expectCode(loadOne({ key: 'offline:nothing', baseUrl: base, path: 'config.json', ...fast }), 'model_not_found');
    assert(/could not reach/i.test(err.message) && /connection/i.test(err.message), `message: ${err.message}`);
  });

  it('fails with `offline` when part of the file is stored and the network is down, and resumes later', async () => {
    const key = 'offline:partial';
    await setFaults([{ match: 'model.onnx_data', cutAfter: 2 * CHUNK + 9, times: 1 }]);
    await expectCode(loadOne({ key, baseUrl: base, path: 'onnx/model.onnx_data', ...fast, retries: 0 }), 'offline');
    await setOffline(true);
    await expectCode(loadOne({ key, baseUrl: base, path: 'onnx/model.onnx_data', ...fast }), 'offline');
    await setOffline(false);
    const bytes = await loadOne({ key, baseUrl: base, path: 'onnx/model.onnx_data', ...fast });
    assertEqual(await sha256Hex(bytes), expected.get('onnx/model.onnx_data'), 'bytes after the resume');
  });

  it('with cache: false downloads into memory only: same bytes, checks and progress, nothing stored', async () => {
    const key = 'offline:no-cache';
    const events: Progress[] = [];
    const files = await loadModelFiles({ key, baseUrl: base, files: FILES, ...fast, cache: false, store: forbiddenStore, onProgress: (p) => events.push(p) });
    for (const f of FILES) assertEqual(await sha256Hex(files.get(f.path) ?? new Uint8Array()), expected.get(f.path), `${f.path}`);
    assert(events.every((p) => p.source === 'network') && events.at(-1)?.totalLoaded === 3 * SIZE, 'network progress to the end');
    assertEqual(await keysOf(key), [], 'nothing in IndexedDB');

    // The same checks apply: a cut stream resumes in memory with Range, a wrong sha256 fails.
    await setFaults([{ match: 'model.onnx', cutAfter: 100_000, times: 1, method: 'GET' }]);
    const again = await loadOne({ key, baseUrl: base, path: 'onnx/model.onnx', ...fast, cache: false, store: forbiddenStore });
    assertEqual(await sha256Hex(again), expected.get('onnx/model.onnx'), 'bytes after an in-memory resume');
    await expectCode(loadOne({ key, baseUrl: base, path: 'config.json', sha256: '1'.repeat(64), cache: false, store: forbiddenStore }), 'integrity_error');
  });
});

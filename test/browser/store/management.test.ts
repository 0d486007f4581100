/** Acceptance (#3): listing, measuring and deleting cached models. */
import {
  cacheUsage, clearCache, deleteCachedModel, hasCachedModel, listCachedModels, loadModelFiles, type UseStore,
} from '../../../src/store/index.js';
import {
  assert, assertEqual, expectCode, freshState, genBase, keysOf, loadOne, records, setFaults,
} from './helpers.js';

const CHUNK = 64 * 1024;
const SIZE = 4 * CHUNK + 10;
const base = genBase(SIZE);
const fast = { chunkSize: CHUNK, retryDelayMs: 0 };

describe('store: management', () => {
  beforeEach(freshState);

  it('lists complete and partial models with their URL, bytes, file count and lastUsed, most recent first', async () => {
    await loadModelFiles({ key: 'm:a', baseUrl: base, files: [{ path: 'config.json' }, { path: 'model.onnx' }], ...fast });
    await new Promise((r) => setTimeout(r, 5));
    await setFaults([{ match: 'partial.bin', cutAfter: 2 * CHUNK + 1, times: 1 }]);
    await expectCode(loadOne({ key: 'm:b', baseUrl: base, path: 'partial.bin', ...fast, retries: 0 }), 'offline');

    const partial = (await records('m:b')).get('partial.bin');
    assert(partial?.state === 'partial', 'm:b is partial');
    const list = await listCachedModels();
    assertEqual(list.map((m) => [m.key, m.url, m.bytes, m.files, m.complete]), [
      ['m:b', base, partial.bytes, 1, false],
      ['m:a', base, 2 * SIZE, 2, true],
    ], 'models');
    assert(list.every((m) => m.lastUsed > 0 && m.lastUsed <= Date.now()), 'lastUsed is a timestamp');
  });

  it('hasCachedModel is true only for complete files (all of the model, or the given paths)', async () => {
    await loadModelFiles({ key: 'm:has', baseUrl: base, files: [{ path: 'config.json' }], ...fast });
    assert(await hasCachedModel('m:has'), 'complete model');
    assert(await hasCachedModel('m:has', ['config.json']), 'the given path');
    assert(!(await hasCachedModel('m:has', ['config.json', 'model.onnx'])), 'a path not stored');
    assert(!(await hasCachedModel('m:unknown')), 'unknown model');
    await setFaults([{ match: 'model.onnx', cutAfter: CHUNK + 1, times: 1 }]);
    await expectCode(loadOne({ key: 'm:has', baseUrl: base, path: 'model.onnx', ...fast, retries: 0 }), 'offline');
    assert(!(await hasCachedModel('m:has')), 'a partial file makes the model incomplete');
    assert(await hasCachedModel('m:has', ['config.json']), 'the complete file still counts');
  });

  it('deleteCachedModel removes every chunk and record of one model, and says whether it had any', async () => {
    await loadOne({ key: 'm:keep', baseUrl: base, path: 'model.onnx', ...fast });
    await loadOne({ key: 'm:drop', baseUrl: base, path: 'model.onnx', ...fast });
    assertEqual(await deleteCachedModel('m:drop'), true, 'deleted');
    assertEqual(await deleteCachedModel('m:drop'), false, 'nothing left to delete');
    assertEqual(await keysOf('m:drop'), [], 'no key left');
    assertEqual((await keysOf('m:keep')).length, 5 + 1, 'the other model keeps its 5 chunks and its manifest');
  });

  it('cacheUsage counts edgewise bytes and reports the browser estimate; clearCache empties everything', async () => {
    await loadOne({ key: 'm:u1', baseUrl: base, path: 'model.onnx', ...fast });
    await loadOne({ key: 'm:u2', baseUrl: base, path: 'config.json', ...fast });
    const usage = await cacheUsage();
    assertEqual(usage.bytes, 2 * SIZE, 'bytes');
    assert(typeof usage.quota === 'number' && usage.quota > 0 && typeof usage.usage === 'number', `estimate figures: ${JSON.stringify(usage)}`);
    assert(typeof usage.persisted === 'boolean', 'persisted reported');
    await clearCache();
    assertEqual(await listCachedModels(), [], 'nothing listed');
    assertEqual((await cacheUsage()).bytes, 0, 'no bytes');
  });

  it('reports an unexpected IndexedDB failure as `cache_error` with advice', async () => {
    const broken: UseStore = () => Promise.reject(new DOMException('fault-injected: disk I/O error', 'UnknownError'));
    const err = await expectCode(loadOne({ key: 'm:broken', baseUrl: base, path: 'model.onnx', ...fast, store: broken }), 'cache_error');
    assert(/cache: false/.test(err.message), `message says what to do: ${err.message}`);
    await expectCode(listCachedModels(broken), 'cache_error');
    await expectCode(deleteCachedModel('m:broken', broken), 'cache_error');
  });
});

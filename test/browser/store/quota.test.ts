/** Acceptance (#3): a quota failure leaves nothing half-stored; LRU eviction makes room. */
import { listCachedModels, loadModelFiles, type UseStore } from '../../../src/store/index.js';
import { defaultStore } from '../../../src/store/idb.js';
import {
  assert, assertEqual, expectCode, freshState, genBase, keysOf, loadOne, records, serverLog, setFaults,
} from './helpers.js';

const CHUNK = 64 * 1024;
const SIZE = 10 * CHUNK + 500;
const PATH = 'weights.bin';
const base = genBase(SIZE);
const fast = { chunkSize: CHUNK, retryDelayMs: 0 };

/** A storage estimate with `free` bytes left. */
const freeBytes = (free: number) => async () => ({ quota: 10_000_000_000, usage: 10_000_000_000 - free });

/** Fault injection: the real store, except that the `n`th write fails like a full disk. */
function quotaFailsOnWrite(n: number): UseStore {
  const real = defaultStore();
  let writes = 0;
  return <T>(mode: IDBTransactionMode, callback: (s: IDBObjectStore) => T | PromiseLike<T>): Promise<T> => {
    if (mode === 'readwrite' && ++writes === n) return Promise.reject(new DOMException('fault-injected: quota reached', 'QuotaExceededError'));
    return real(mode, callback);
  };
}

function assertNumbersInMessage(err: { message: string; details: Readonly<Record<string, unknown>> }, needed: number): void {
  const available = err.details['available'];
  assertEqual(err.details['needed'], needed, 'details.needed');
  assert(typeof available === 'number', `details.available is a number: ${String(available)}`);
  assert(err.message.includes(String(needed)) && err.message.includes(String(available)), `message states both numbers: ${err.message}`);
  assert(/clearCache|eviction/.test(err.message), `message says what to do: ${err.message}`);
}

describe('store: quota', () => {
  beforeEach(freshState);

  it('fails the preflight with `quota_exceeded` when the estimate is too small, removing an earlier partial download', async () => {
    const key = 'quota:preflight';
    await setFaults([{ match: PATH, cutAfter: 3 * CHUNK + 1, times: 1 }]);
    await expectCode(loadOne({ key, baseUrl: base, path: PATH, ...fast, retries: 0 }), 'offline');
    const partial = (await records(key)).get(PATH);
    assert(partial?.state === 'partial' && partial.bytes > 0, 'a partial download to start with');
    await setFaults([]);

    const err = await expectCode(loadOne({ key, baseUrl: base, path: PATH, ...fast, estimate: freeBytes(100_000) }), 'quota_exceeded');
    assertNumbersInMessage(err, SIZE - partial.bytes);
    assertEqual(err.details['available'], 100_000, 'details.available');
    assertEqual(await keysOf(key), [], 'no chunk or partial record left for the key');
    const gets = (await serverLog()).filter((e) => e.method === 'GET');
    assertEqual(gets.length, 1, 'no body was downloaded after the failed preflight');
  });

  it('turns a QuotaExceededError mid-write (fault-injected on the 4th IDB write) into `quota_exceeded` and removes the partial file, keeping complete ones', async () => {
    const key = 'quota:mid-write';
    await loadModelFiles({ key, baseUrl: base, files: [{ path: 'config.json' }], ...fast });
    const err = await expectCode(loadOne({ key, baseUrl: base, path: PATH, ...fast, store: quotaFailsOnWrite(4) }), 'quota_exceeded');
    assertNumbersInMessage(err, SIZE);
    assert(err.cause instanceof DOMException && err.cause.name === 'QuotaExceededError', 'the browser error is the cause');
    const left = await keysOf(key);
    assert(left.every((k) => Array.isArray(k) && k[2] === 'config.json'), `only the complete config.json is left: ${JSON.stringify(left)}`);
    assertEqual((await records(key)).get('config.json')?.state, 'complete', 'config.json intact');
  });

  it("with eviction: 'lru', deletes the least recently used other models until the new one fits", async () => {
    await loadOne({ key: 'lru:oldest', baseUrl: base, path: PATH, ...fast });
    await new Promise((r) => setTimeout(r, 5));
    await loadOne({ key: 'lru:newer', baseUrl: base, path: PATH, ...fast });
    await new Promise((r) => setTimeout(r, 5));
    await loadOne({ key: 'lru:current', baseUrl: base, path: 'config.json', ...fast });

    // Room for half the new file: evicting the oldest model (one SIZE) is enough.
    const bytes = await loadOne({ key: 'lru:current', baseUrl: base, path: PATH, ...fast, eviction: 'lru', estimate: freeBytes(SIZE / 2) });
    assertEqual(bytes.length, SIZE, 'loaded');
    const keys = (await listCachedModels()).map((m) => m.key).sort();
    assertEqual(keys, ['lru:current', 'lru:newer'], 'only the least recently used other model was evicted');
  });

  it("without eviction (or when evicting everything would not help), fails and deletes no other model", async () => {
    await loadOne({ key: 'lru:other', baseUrl: base, path: PATH, ...fast });
    await expectCode(loadOne({ key: 'lru:big', baseUrl: base, path: PATH, ...fast, estimate: freeBytes(SIZE / 2) }), 'quota_exceeded');
    // 3 × SIZE needed, SIZE free, SIZE evictable: evicting would not help, so nothing goes.
    await expectCode(loadOne({ key: 'lru:big', baseUrl: genBase(3 * SIZE), path: PATH, ...fast, eviction: 'lru', estimate: freeBytes(SIZE) }), 'quota_exceeded');
    assertEqual((await listCachedModels()).map((m) => m.key), ['lru:other'], 'the other model is still cached');
  });
});

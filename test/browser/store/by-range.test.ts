/**
 * Files loaded `byRange`: stored without ever being whole in memory, and answered as a
 * stored range (the weight transform reads a source this way). The real model server on
 * 127.0.0.1 and the real IndexedDB: first load, cached load, resume after a cut, repair of
 * a damaged chunk, and `cache: false`.
 */
import { loadModelFilesByRange, type StoredRange } from '../../../src/store/index.js';
import { assert, assertEqual, corruptStoredChunk, expectCode, freshState, genBase, records, serverLog, setFaults, sha256Hex, sourceSha } from './helpers.js';

const KiB = 1024;
const CHUNK = 64 * KiB;
const SIZE = 20 * CHUNK + 777;
const PATH = 'blob.bin';
const base = genBase(SIZE);
const fast = { retryDelayMs: 0, chunkSize: CHUNK };

async function load(key: string, extra: { retries?: number; cache?: boolean } = {}): Promise<Uint8Array | StoredRange> {
  const files = await loadModelFilesByRange({ key, baseUrl: base, files: [{ path: PATH, byRange: true }], ...fast, ...extra });
  const f = files.get(PATH);
  assert(f !== undefined, `${PATH} missing from the result`);
  return f;
}

async function shaOfRange(f: Uint8Array | StoredRange): Promise<string> {
  assert(!(f instanceof Uint8Array), 'a cached by-range file comes back as a stored range, not bytes');
  assertEqual(f.size, SIZE, 'size');
  // Read in odd-sized pieces across chunk boundaries, as the transform does.
  const out = new Uint8Array(f.size);
  for (let at = 0; at < f.size; at += 50_001) out.set(await f.read(at, Math.min(50_001, f.size - at)), at);
  return sha256Hex(out);
}

describe('store: files loaded by range', () => {
  let expected = '';
  before(async () => { expected = await sourceSha(`${base}${PATH}`); });
  beforeEach(freshState);

  it('the first load stores the file and answers a range of the same bytes; the second reads the cache only', async () => {
    const key = 'by-range:first';
    assertEqual(await shaOfRange(await load(key)), expected, 'sha256 read back by range');
    const rec = (await records(key)).get(PATH);
    assert(rec?.state === 'complete' && rec.sha256 === expected, 'the manifest records the verified sha256');
    const before = (await serverLog()).length;
    assertEqual(await shaOfRange(await load(key)), expected, 'sha256 from the cache');
    assertEqual((await serverLog()).length, before, 'no request on the cached load');
  });

  it('a cut download resumes with Range and ends with the right sha256 (the hash state survives without the bytes in memory)', async () => {
    const key = 'by-range:resume';
    await setFaults([{ match: PATH, cutAfter: 7 * CHUNK + 100, times: 1 }]);
    await expectCode(load(key, { retries: 0 }), 'offline');
    const kept = (await records(key)).get(PATH);
    assert(kept?.state === 'partial' && kept.bytes > 0, `part of the file was kept (${kept?.state})`);
    await setFaults([]);
    assertEqual(await shaOfRange(await load(key, { retries: 0 })), expected, 'sha256 after the resume');
    const gets = (await serverLog()).filter((e) => e.method === 'GET');
    assertEqual(gets.at(-1)?.range, `bytes=${kept.state === 'partial' ? kept.bytes : 0}-`, 'the second call asked for the rest only');
  });

  it('a damaged stored chunk is found on the cached load and repaired from the network', async () => {
    const key = 'by-range:repair';
    await load(key);
    await corruptStoredChunk(key, PATH, 5, 9);
    assertEqual(await shaOfRange(await load(key)), expected, 'sha256 after the repair');
    const gets = (await serverLog()).filter((e) => e.method === 'GET');
    assertEqual(gets.at(-1)?.range, `bytes=${5 * CHUNK}-`, 'the repair asked from the damaged chunk on');
  });

  it('a file sent damaged fails integrity_error and keeps nothing', async () => {
    const key = 'by-range:sha';
    const files = loadModelFilesByRange({ key, baseUrl: base, files: [{ path: PATH, byRange: true, sha256: '0'.repeat(64) }], ...fast });
    await expectCode(files, 'integrity_error');
    assertEqual((await records(key)).get(PATH), undefined, 'nothing stored');
  });

  it('with cache: false the file comes whole (there is nothing to read back)', async () => {
    const f = await load('by-range:no-cache', { cache: false });
    assert(f instanceof Uint8Array, 'bytes');
    assertEqual(await sha256Hex(f), expected, 'sha256');
  });
});

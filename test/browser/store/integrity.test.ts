/** Acceptance (#3): damaged, wrong or fake bytes are detected and never returned. */
import { hasCachedModel, loadModelFiles } from '../../../src/store/index.js';
import {
  assert, assertEqual, corruptStoredChunk, expectCode, freshState, genBase, keysOf, loadOne, MODEL_SERVER, records, serverLog, setFaults, setOffline, seeded, sha256Hex, sourceSha,
} from './helpers.js';

const CHUNK = 64 * 1024;
const SIZE = 20 * CHUNK - 1000; // 20 chunks, the last one short
const PATH = 'weights.bin';
const base = genBase(SIZE);
const fast = { chunkSize: CHUNK, retryDelayMs: 0 };

describe('store: integrity', () => {
  let expected = '';
  before(async () => { expected = await sourceSha(`${base}${PATH}`); });
  beforeEach(freshState);

  it('detects 20 corrupted stored chunks on the next load: repairs online (Range re-fetch), `offline` error when offline, never garbage', async () => {
    const key = 'integrity:20-chunks';
    await loadOne({ key, baseUrl: base, path: PATH, ...fast });
    const random = seeded(7);
    const positions = Array.from({ length: 20 }, (_, i) => i).sort(() => random() - 0.5);
    assertEqual([...positions].sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i), '20 different chunk positions');

    for (const [i, index] of positions.entries()) {
      await corruptStoredChunk(key, PATH, index, Math.floor(random() * CHUNK));
      const from = `bytes=${index * CHUNK}-`;
      if (i % 2 === 1) {
        await setOffline(true);
        const err = await expectCode(loadOne({ key, baseUrl: base, path: PATH, ...fast }), 'offline');
        assert(/damaged/.test(err.message) && /reconnect/i.test(err.message), `message says what happened and what to do: ${err.message}`);
        assert(!(await hasCachedModel(key)), 'a damaged file no longer counts as cached');
        await setOffline(false);
      }
      await setFaults([]); // clears the log's meaning: only the repair below matters
      const before = (await serverLog()).length;
      const bytes = await loadOne({ key, baseUrl: base, path: PATH, ...fast });
      assertEqual(await sha256Hex(bytes), expected, `bytes after repairing chunk ${index}`);
      const gets = (await serverLog()).slice(before).filter((e) => e.method === 'GET');
      const repair = index === 0 ? [null, 200] : [from, 206];
      assertEqual(gets.map((e) => [e.range, e.status]), [repair], `chunk ${index} re-fetched from its start`);
      assert(await hasCachedModel(key, [PATH]), 'complete again after the repair');
    }
  });

  it('refuses a file whose sha256 does not match with `integrity_error` and stores nothing of it', async () => {
    const key = 'integrity:sha';
    const wrong = '0'.repeat(64);
    const err = await expectCode(loadOne({ key, baseUrl: base, path: PATH, sha256: wrong, ...fast }), 'integrity_error');
    assert(err.message.includes(expected), 'the message names the sha256 that arrived');
    assertEqual(await keysOf(key), [], 'no chunk or record left');
  });

  it('accepts a file whose sha256 matches and records it in the manifest', async () => {
    const key = 'integrity:sha-ok';
    const bytes = await loadOne({ key, baseUrl: base, path: PATH, sha256: expected.toUpperCase(), ...fast });
    assertEqual(await sha256Hex(bytes), expected, 'bytes');
    const rec = (await records(key)).get(PATH);
    assertEqual([rec?.state, rec?.state === 'complete' ? rec.sha256 : ''], ['complete', expected], 'manifest');
  });

  it('catches bytes corrupted in transit with the caller\'s sha256 (server flips bytes)', async () => {
    await setFaults([{ match: PATH, corrupt: { offset: 5 * CHUNK + 17, length: 3 }, times: 1 }]);
    await expectCode(loadOne({ key: 'integrity:transit', baseUrl: base, path: PATH, sha256: expected, ...fast }), 'integrity_error');
    assertEqual(await keysOf('integrity:transit'), [], 'nothing stored');
  });

  it('re-downloads a cached file when the caller expects another sha256 than the stored one', async () => {
    const key = 'integrity:new-version';
    await loadOne({ key, baseUrl: base, path: PATH, ...fast });
    await expectCode(loadOne({ key, baseUrl: base, path: PATH, sha256: 'f'.repeat(64), ...fast }), 'integrity_error');
    assertEqual((await serverLog()).filter((e) => e.method === 'GET').length, 2, 'the stored copy was not served for another hash');
  });

  it('maps a 404 to `model_not_found`, and leaves a missing optional file out of the result', async () => {
    const root = `${MODEL_SERVER}/`;
    const err = await expectCode(loadOne({ key: 'integrity:404', baseUrl: root, path: 'shared/no-such-model/model.onnx' }), 'model_not_found');
    assert(err.message.includes('no-such-model') && /check/i.test(err.message), `message: ${err.message}`);
    assertEqual(err.details['status'], 404, 'status in details');
    const files = await loadModelFiles({
      key: 'integrity:optional', baseUrl: root,
      files: [{ path: 'gen/1000/config.json' }, { path: 'shared/no-such-model/extra.json', optional: true }, { path: 'gen/2000/b.bin' }],
    });
    assertEqual([...files.keys()], ['gen/1000/config.json', 'gen/2000/b.bin'], 'present files, in request order');
    assertEqual([...files.values()].map((b) => b.length), [1000, 2000], 'exact-size buffers');
    assertEqual([...(await records('integrity:optional')).keys()].sort(), ['gen/1000/config.json', 'gen/2000/b.bin'], 'nothing stored for the missing file');
  });

  it('maps a failing host (500 on every attempt) to `model_not_found` after the retries, and recovers from a single 500', async () => {
    await setFaults([{ match: PATH, status: 500, method: 'GET' }]);
    const err = await expectCode(loadOne({ key: 'integrity:500', baseUrl: base, path: PATH, ...fast, retries: 2 }), 'model_not_found');
    assertEqual(err.details['status'], 500, 'status in details');
    await setFaults([{ match: PATH, status: 503, method: 'GET', times: 1 }]);
    const bytes = await loadOne({ key: 'integrity:503-once', baseUrl: base, path: PATH, ...fast });
    assertEqual(await sha256Hex(bytes), expected, 'bytes after one retry');
  });

  it('rejects an HTML page served in place of weights or JSON with `not_a_model` (text/html, or HTML bytes under a binary type)', async () => {
    await setFaults([{ match: PATH, html: true }]);
    await expectCode(loadOne({ key: 'integrity:html', baseUrl: base, path: PATH, ...fast }), 'not_a_model');
    // A SPA fallback host answers every path with its index page.
    await expectCode(loadOne({ key: 'integrity:spa', baseUrl: `${MODEL_SERVER}/html/`, path: 'config.json' }), 'not_a_model');
    // A fake host that labels its fallback page as binary: only the body gives it away.
    const mislabel: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      const headers = new Headers(res.headers);
      headers.set('content-type', 'application/octet-stream');
      return new Response(res.body, { status: res.status, headers });
    };
    const err = await expectCode(loadOne({ key: 'integrity:sniff', baseUrl: `${MODEL_SERVER}/html/`, path: 'model.onnx', fetch: mislabel }), 'not_a_model');
    assert(/html/i.test(err.message) && /URL/.test(err.message), `message: ${err.message}`);
    for (const key of ['integrity:html', 'integrity:spa', 'integrity:sniff']) assertEqual(await keysOf(key), [], `${key} stored nothing`);
  });
});

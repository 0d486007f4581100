/**
 * Derived files written a piece at a time and read back by range (store/derived-stream.ts),
 * on the real IndexedDB: what the weight transform streams its output through, and what the
 * decoder kernel reads a stored form with.
 */
import { hasDerived, type DerivedSource } from '../../../src/store/derived.js';
import { openDerivedWriter, writeDerivedFile } from '../../../src/store/derived-stream.js';
import { storedRange } from '../../../src/store/stored-range.js';
import { defaultStore } from '../../../src/store/idb.js';
import { assert, assertEqual, corruptStoredChunk, expectCode, freshState, genBase, keysOf, loadOne, records, seeded, sha256Hex } from './helpers.js';

const CHUNK = 64 * 1024;
const SOURCE = 'source.bin';
const PATH = 'edgewise/test/derived.bin';

/** Bytes no two offsets of which are likely to agree by chance. */
function pattern(size: number): Uint8Array {
  const random = seeded(11);
  return Uint8Array.from({ length: size }, () => Math.floor(random() * 256));
}

describe('store: derived files streamed in and read by range', () => {
  const key = 'derived-stream:test';
  const base = genBase(5000);
  const src: DerivedSource = { key, baseUrl: base, path: SOURCE, maker: 'test/v1' };
  beforeEach(async () => {
    await freshState();
    await loadOne({ key, baseUrl: base, path: SOURCE });
  });

  it('pieces of any size become checked chunks; the file is complete, tagged and whole-file sha256 right only after finish()', async () => {
    const size = 5 * CHUNK + 123;
    const bytes = pattern(size);
    const w = await openDerivedWriter(defaultStore(), src, PATH, size, CHUNK);
    assert(w, 'the source is stored, so there is something to tag the file with');
    // Pieces smaller than, equal to and larger than a chunk, across chunk boundaries.
    const cuts = [0, 1000, 1000 + CHUNK, 3 * CHUNK + 7, 3 * CHUNK + 8, size];
    for (let i = 0; i + 1 < cuts.length; i++) {
      await w.write(bytes.subarray(cuts[i], cuts[i + 1]));
      if (i === 2) assertEqual((await records(key)).get(PATH)?.state, 'partial', 'a file being written is partial: nothing reads it as complete');
    }
    assert(!(await hasDerived(defaultStore(), src, [PATH])), 'not a derived file before finish()');
    await w.finish();
    const r = (await records(key)).get(PATH);
    assert(r?.state === 'complete', 'complete after finish()');
    assertEqual(r.size, size, 'its size');
    assertEqual(r.checksums.length, 6, 'six chunks, the last one short');
    assertEqual(r.sha256, await sha256Hex(bytes), 'the sha256 of what was written');
    assert(await hasDerived(defaultStore(), src, [PATH]), 'and it counts as derived from the stored source');

    const range = await storedRange(defaultStore(), key, PATH);
    assertEqual(range.size, size, 'the range knows the size');
    const random = seeded(3);
    const spans: [number, number][] = [[0, size], [0, 1], [size - 1, 1], [CHUNK - 5, 10], [CHUNK, CHUNK], [2 * CHUNK + 9, 2 * CHUNK + 1], [17, 0]];
    for (let i = 0; i < 20; i++) { const at = Math.floor(random() * size); spans.push([at, Math.floor(random() * (size - at))]); }
    for (const [at, n] of spans) {
      const got = await range.read(at, n);
      assertEqual(got.length, n, `length of ${at} + ${n}`);
      assert(got.every((b, i) => b === bytes[at + i]), `bytes of ${at} + ${n}`);
    }
    await expectCode(range.read(size - 10, 11), 'integrity_error');
  });

  it("readInto copies any span into the caller's buffer; a view read() lent stays intact after its chunk was evicted (a chunk is freed on eviction only if never lent)", async () => {
    const size = 20 * CHUNK + 5;
    const bytes = pattern(size);
    const w = (await openDerivedWriter(defaultStore(), src, PATH, size, CHUNK))!;
    await w.write(bytes);
    await w.finish();
    const range = await storedRange(defaultStore(), key, PATH);
    const lent = await range.read(100, 50);
    // The whole file through readInto, in pieces across chunk boundaries: every chunk is evicted at least once.
    const out = new Uint8Array(size);
    for (let at = 0; at < size; at += 10_007) await range.readInto(at, out.subarray(at, Math.min(size, at + 10_007)));
    assertEqual(await sha256Hex(out), await sha256Hex(bytes), 'readInto gives the file');
    assertEqual(lent.length, 50, 'the lent view is not detached');
    assert(lent.every((b, i) => b === bytes[100 + i]), 'and still holds its bytes');
    // After close() the range still reads (fetching again).
    range.close();
    const again = new Uint8Array(CHUNK);
    await range.readInto(3 * CHUNK - 7, again);
    assert(again.every((b, i) => b === bytes[3 * CHUNK - 7 + i]), 'a read after close()');
    await expectCode(range.readInto(size - 3, new Uint8Array(4)), 'integrity_error');
  });

  it('a damaged chunk fails the reads that touch it, typed; reads beside it still work', async () => {
    const size = 4 * CHUNK;
    const bytes = pattern(size);
    const w = (await openDerivedWriter(defaultStore(), src, PATH, size, CHUNK))!;
    await w.write(bytes);
    await w.finish();
    await corruptStoredChunk(key, PATH, 2, 77);
    const range = await storedRange(defaultStore(), key, PATH);
    const err = await expectCode(range.read(2 * CHUNK - 10, 20), 'integrity_error');
    assert(/damaged/.test(err.message) && /load the model again/.test(err.message), `the message says what happened and what follows: ${err.message}`);
    const before = await range.read(0, 2 * CHUNK);
    assert(before.every((b, i) => b === bytes[i]), 'the chunks before it read as written');
    const after = await range.read(3 * CHUNK, CHUNK);
    assert(after.every((b, i) => b === bytes[3 * CHUNK + i]), 'and the one after it');
  });

  it('too many or too few bytes fail; discard() leaves no chunk and no record', async () => {
    const w = (await openDerivedWriter(defaultStore(), src, PATH, 2 * CHUNK, CHUNK))!;
    await w.write(new Uint8Array(CHUNK + 5));
    let error: unknown;
    await w.write(new Uint8Array(CHUNK)).catch((e: unknown) => { error = e; });
    assert(error instanceof Error && /more than/.test(error.message), 'bytes past the announced size are refused');
    error = undefined;
    await w.finish().catch((e: unknown) => { error = e; });
    assert(error instanceof Error && /of 131072 bytes/.test(error.message), 'finish() with bytes missing fails');
    assert((await records(key)).get(PATH)?.state !== 'complete', 'and writes no manifest');
    await w.discard();
    const left = (await keysOf(key)).filter((k) => (k as unknown[])[2] === PATH);
    assertEqual(left, [], 'nothing of the file is left');
    await expectCode(storedRange(defaultStore(), key, PATH), 'cache_error');
  });

  it('stop() mid-write, then discard(): whatever was in flight, nothing of the file is left', async () => {
    for (let round = 0; round < 5; round++) {
      const w = (await openDerivedWriter(defaultStore(), src, PATH, 8 * CHUNK, CHUNK))!;
      // Three chunks fill: the third one's write is likely still in flight at stop().
      await w.write(pattern(3 * CHUNK));
      w.stop();
      await w.discard();
      const left = (await keysOf(key)).filter((k) => (k as unknown[])[2] === PATH);
      assertEqual(left, [], `round ${round}: no chunk and no record left`);
    }
  });

  it('no stored source, nothing to write: the caller keeps the file in memory', async () => {
    const orphan: DerivedSource = { ...src, path: 'not-stored.bin' };
    assertEqual(await openDerivedWriter(defaultStore(), orphan, PATH, 10, CHUNK), undefined, 'openDerivedWriter');
    assertEqual(await writeDerivedFile(defaultStore(), orphan, PATH, 10), undefined, 'writeDerivedFile');
  });
});

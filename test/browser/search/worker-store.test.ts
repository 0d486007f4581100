/**
 * The shipped search worker (dist/edgewise.search.worker.js) over real IndexedDB: writes,
 * search, remove/clear/count, generations (a document's new content shows only when its
 * last batch is done; abandon drops an unfinished one), persistence across workers,
 * model and name checks, readChunks paging, int8 and hybrid search.
 */
import { assert, assertEqual } from '../helpers.js';
import { allChunks, batch, failure, freshName, init, query, startWorker, stopWorkers, storedChunkKeys } from './worker-helpers.js';

const ids = (hits: { chunkId: string }[]): string[] => hits.map((h) => h.chunkId);

describe('search worker: storage and search', function () {
  this.timeout(60_000);
  afterEach(stopWorkers);

  it('writes, searches, counts, removes and clears', async () => {
    const { api } = startWorker();
    const name = freshName('basic');
    const created = await api.open(name, init());
    assertEqual([created?.docs, created?.chunks, created?.model, created?.dims], [0, 0, 'mini:fp32', 4], 'a new index');
    await api.write(name, batch('a', 'g1', ['alpha one', 'alpha two'], [[1, 0, 0, 0], [0.6, 0.8, 0, 0]], true, { metadata: { lang: 'en' } }));
    await api.write(name, batch('b', 'g1', ['beta'], [[0, 0, 1, 0]], true, { metadata: { lang: 'de' } }));
    assertEqual(await api.count(name), { docs: 2, chunks: 3 }, 'count after two documents');
    const hits = await api.search(name, query([2, 0, 0, 0], { k: 2 }));
    assertEqual(ids(hits), ['a#0', 'a#1'], 'ranked by cosine');
    assert(Math.abs(hits[0]!.score - 1) < 1e-6 && Math.abs(hits[1]!.score - 0.6) < 1e-6, `cosines: ${hits.map((h) => h.score).join()}`);
    assertEqual([hits[1]!.start, hits[1]!.end, hits[1]!.text, hits[1]!.metadata], [9, 18, 'alpha two', { lang: 'en' }], 'hit fields');
    assertEqual(ids(await api.search(name, query([1, 0, 0, 0], { filter: { lang: 'de' } }))), ['b#0'], 'filter');
    assertEqual(await api.remove(name, 'a'), true, 'remove an existing document');
    assertEqual(await api.remove(name, 'a'), false, 'remove it again');
    assertEqual(await api.count(name), { docs: 1, chunks: 1 }, 'count after remove');
    assertEqual(ids(await api.search(name, query([1, 0, 0, 0]))), ['b#0'], 'removed chunks are gone from search');
    const before = await api.info(name);
    await api.clear(name);
    const after = await api.info(name);
    assertEqual([after.docs, after.chunks, await api.search(name, query([1, 0, 0, 0]))], [0, 0, []], 'clear empties it; an empty index searches to []');
    assert(after.bytes < before.bytes && after.bytes > 0, `bytes fall on clear: ${before.bytes} → ${after.bytes}`);
  });

  it('generations: an unfinished batch stays invisible, abandon drops it, the done batch swaps the content and deletes the old chunks', async () => {
    const { api } = startWorker();
    const name = freshName('gen');
    await api.open(name, init());
    await api.write(name, batch('doc', 'g1', ['old text'], [[1, 0, 0, 0]], true));
    const settled = await api.info(name);
    await api.write(name, batch('doc', 'g2', ['new text part 1'], [[1, 0, 0, 0]], false));
    assertEqual((await api.search(name, query([1, 0, 0, 0]))).map((h) => h.text), ['old text'], 'searches see the old generation');
    assertEqual(await api.count(name), { docs: 1, chunks: 1 }, 'counts are of committed generations');
    assert((await api.info(name)).bytes > settled.bytes, 'the pending chunk is stored (and counted in bytes)');
    await api.abandon(name, 'doc', 'g2');
    assertEqual(await api.info(name).then((i) => i.bytes), settled.bytes, 'abandon frees exactly what the pending batch took');
    assertEqual(await storedChunkKeys(name), [['doc', 'g1', 0]], 'abandon deleted the pending chunk from IndexedDB');
    await api.abandon(name, 'doc', 'g1');
    assertEqual(await allChunks(api, name), ['doc#0:old text'], 'abandon of the committed generation does nothing');
    await api.write(name, batch('doc', 'g3', ['new one'], [[0, 1, 0, 0]], false));
    await api.write(name, batch('doc', 'g3', ['new two'], [[0, 0, 1, 0]], true, {}, 1));
    assertEqual(await allChunks(api, name), ['doc#0:new one', 'doc#1:new two'], 'the new generation, whole');
    assertEqual(await storedChunkKeys(name), [['doc', 'g3', 0], ['doc', 'g3', 1]], 'the old generation\'s chunks are deleted, not only hidden');
    assertEqual((await api.search(name, query([1, 0, 0, 0]))).map((h) => h.text).sort(), ['new one', 'new two'], 'old text is gone from search');
    assertEqual(await api.count(name), { docs: 1, chunks: 2 }, 'counts follow the swap');
    // The same batch sent twice (a retry) overwrites rather than duplicates.
    await api.write(name, batch('doc', 'g3', ['new two'], [[0, 0, 1, 0]], true, {}, 1));
    assertEqual([await api.count(name), (await api.info(name)).bytes > 0], [{ docs: 1, chunks: 2 }, true], 'a repeated batch');
  });

  it('persists: a new worker opens the index without init and finds the same hits', async () => {
    const name = freshName('persist');
    const first = startWorker();
    await first.api.open(name, init({ vectors: 'int8' }));
    await first.api.write(name, batch('p', 'g', ['kept across workers', 'another'], [[0, 1, 0, 0], [1, 0, 0, 0]], true));
    const expected = await first.api.search(name, query([0, 1, 0.1, 0]));
    first.worker.terminate();
    const second = startWorker();
    const info = await second.api.open(name);
    assertEqual([info?.docs, info?.chunks, info?.vectors], [1, 2, 'int8'], 'the stored index');
    assertEqual(await second.api.search(name, query([0, 1, 0.1, 0])), expected, 'the same hits');
    assertEqual(await second.api.open(freshName('absent')), undefined, 'an absent index without init');
  });

  it('checks models, dimensions and names with typed errors', async () => {
    const { api } = startWorker();
    const name = freshName('checks');
    await api.open(name, init());
    const other = await failure(api.open(name, init({ model: 'other:q8' })));
    assertEqual([other.code, other.details['index'], other.details['engine']], ['model_mismatch', 'mini:fp32', 'other:q8'], 'another model');
    assert(other.message.includes('reindex()'), `the message says what to do: ${other.message}`);
    assertEqual((await failure(api.search(name, query([1, 0, 0])))).code, 'model_mismatch', 'a 3-d query on a 4-d index');
    assertEqual((await failure(api.write(name, batch('x', 'g', ['t'], [[1, 0, 0]], true)))).code, 'model_mismatch', 'a 3-d vector written');
    const bad = await failure(api.open('no spaces allowed', init()));
    assertEqual([bad.code, bad.details['reason']], ['invalid_index', 'name'], 'an invalid name');
    assertEqual((await failure(api.open('x'.repeat(65), init()))).details['reason'], 'name', '65 characters');
    const gone = await failure(api.search(freshName('never'), query([1, 0, 0, 0])));
    assertEqual([gone.code, gone.details['reason']], ['invalid_index', 'not_found'], 'searching an absent index');
  });

  it('readChunks pages through committed chunks in one stable order', async () => {
    const { api } = startWorker();
    const name = freshName('pages');
    await api.open(name, init());
    for (let d = 0; d < 5; d++) await api.write(name, batch(`d${d}`, 'g', ['x', 'y', 'z'].map((t) => `${t}${d}`), [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]], true));
    await api.write(name, batch('d9', 'pending', ['hidden'], [[1, 1, 1, 1]], false));
    const paged = await allChunks(api, name, 4);
    assertEqual(paged.length, 15, 'every committed chunk once, none of the pending one');
    assertEqual(paged, await allChunks(api, name, 1000), 'the same order whatever the page size');
    assertEqual(paged.slice(0, 4), ['d0#0:x0', 'd0#1:y0', 'd0#2:z0', 'd1#0:x1'], 'by document, then seq');
  });

  it('hybrid: an exact number in the query lifts the chunk that has it', async () => {
    const { api } = startWorker();
    const name = freshName('hybrid');
    await api.open(name, init());
    await api.write(name, batch('h', 'g', ['invoice 4711 is overdue', 'billing questions in general', 'unrelated weather'], [[0.5, 0.5, 0, 0], [1, 0, 0, 0], [0, 0, 1, 0]], true));
    const q = [1, 0.05, 0, 0];
    assertEqual(ids(await api.search(name, query(q, { k: 1 }))), ['h#1'], 'vectors alone prefer the general chunk');
    const hybrid = await api.search(name, query(q, { k: 3, mode: 'hybrid', alpha: 0.3, text: 'invoice 4711' }));
    assertEqual(ids(hybrid), ['h#0', 'h#1', 'h#2'], 'the blend ranks the exact match first');
    assert(hybrid.every((h) => h.score >= 0 && h.score <= 1), `blended scores in [0, 1]: ${hybrid.map((h) => h.score).join()}`);
  });

  it('loads an index larger than one read page (1,024 records) whole and in order', async () => {
    const { api } = startWorker();
    const name = freshName('pages-load');
    await api.open(name, init({ dims: 16 }));
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
    const rows = Array.from({ length: 1300 }, () => Array.from({ length: 16 }, random));
    await api.write(name, batch('big', 'g', rows.map((_, i) => `chunk ${i}`), rows, true));
    for (const target of [0, 1023, 1024, 1299]) {
      const [top] = await api.search(name, query(rows[target]!, { k: 1 }));
      assertEqual([top?.chunkId, top?.text], [`big#${target}`, `chunk ${target}`], `row ${target} finds itself`);
      assert(Math.abs(top!.score - 1) < 1e-5, `cosine 1: ${top!.score}`);
    }
    assertEqual((await api.search(name, query(rows[5]!, { k: 100 }))).length, 100, 'k is capped at what was asked');
  });
});

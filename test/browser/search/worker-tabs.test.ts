/**
 * Two tabs: two workers writing one index at once lose and duplicate nothing, and a
 * worker's loaded vectors follow the other's writes. The catalog (engine.cache's
 * indexes()/deleteIndex(), run on the page) reads and deletes the same records.
 */
import { deleteIndex, listIndexes } from '../../../src/search/catalog.js';
import { assert, assertEqual } from '../helpers.js';
import { allChunks, batch, failure, freshName, init, query, startWorker, stopWorkers } from './worker-helpers.js';

describe('search worker: two workers, and the catalog', function () {
  this.timeout(60_000);
  afterEach(stopWorkers);

  it('two workers writing the same index concurrently: exact counts, no lost or duplicated chunk', async () => {
    const name = freshName('tabs');
    const one = startWorker();
    const two = startWorker();
    await Promise.all([one.api.open(name, init()), two.api.open(name, init())]);
    const v = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]];
    const writes = (api: typeof one.api, tab: string) => {
      const jobs: Promise<void>[] = [];
      for (let i = 0; i < 15; i++) jobs.push(api.write(name, batch(`${tab}-${i}`, 'g', ['a', 'b', 'c'].map((t) => `${tab}${i}${t}`), v, true)));
      // Both tabs also replace the same five documents (two chunks each): one generation must win whole.
      for (let i = 0; i < 5; i++) jobs.push(api.write(name, batch(`shared-${i}`, tab, [`${tab} s${i} a`, `${tab} s${i} b`], v.slice(0, 2), true)));
      return jobs;
    };
    await Promise.all([...writes(one.api, 'one'), ...writes(two.api, 'two')]);
    const expected = { docs: 15 + 15 + 5, chunks: 3 * 30 + 2 * 5 };
    assertEqual([await one.api.count(name), await two.api.count(name)], [expected, expected], 'both workers count every write once');
    const chunks = await allChunks(one.api, name);
    assertEqual(chunks.length, expected.chunks, 'stored chunks equal the count');
    for (let i = 0; i < 5; i++) {
      const shared = chunks.filter((c) => c.startsWith(`shared-${i}#`));
      const tabs = new Set(shared.map((c) => c.split(':')[1]!.split(' ')[0]));
      assert(shared.length === 2 && tabs.size === 1, `shared-${i} is one tab's generation, whole: ${shared.join(' | ')}`);
    }
    const hitsBefore = await one.api.search(name, query([0, 0, 0, 1], { k: 100 }));
    await two.api.write(name, batch('late', 'g', ['written by the other tab'], [[0, 0, 0, 1]], true));
    const hitsAfter = await one.api.search(name, query([0, 0, 0, 1], { k: 100 }));
    assertEqual([hitsBefore.length, hitsAfter.length, hitsAfter[0]?.text], [100, 100, 'written by the other tab'], 'the other worker reloaded after the version moved');
    await two.api.remove(name, 'late');
    assert(!(await one.api.search(name, query([0, 0, 0, 1], { k: 100 }))).some((h) => h.docId === 'late'), 'and after a remove there');
  });

  it('the catalog lists the index as the worker sees it and deletes it for every worker', async () => {
    const name = freshName('catalog');
    const { api } = startWorker();
    await api.open(name, init({ vectors: 'int8' }));
    await api.write(name, batch('d', 'g', ['one', 'two'], [[1, 0, 0, 0], [0, 1, 0, 0]], true));
    const listed = (await listIndexes()).find((i) => i.name === name);
    assertEqual(listed, await api.info(name), 'the same record as info()');
    assert((await api.list()).some((i) => i.name === name), 'the worker lists it too');
    await api.search(name, query([1, 0, 0, 0])); // the worker now holds its vectors
    assertEqual(await deleteIndex(name), true, 'deleted');
    assertEqual(await deleteIndex(name), false, 'already gone');
    assert(!(await listIndexes()).some((i) => i.name === name), 'no longer listed');
    assertEqual((await failure(api.search(name, query([1, 0, 0, 0])))).details['reason'], 'not_found', 'the worker notices at its next search');
    assertEqual((await failure(deleteIndex('../etc'))).details['reason'], 'name', 'names are checked on the page too');
    await api.open(name, init());
    assertEqual([await api.count(name), await allChunks(api, name)], [{ docs: 0, chunks: 0 }, []], 'recreated empty: nothing of the old one survived');
    assertEqual(await api.drop(name), true, 'drop from the worker');
  });
});

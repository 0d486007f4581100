/**
 * Export/import through the worker (the format itself is tested in Node), and reindex:
 * new vectors in a shadow set until commit swaps model, dims and vectors at once.
 */
import { assert, assertEqual } from '../helpers.js';
import { allChunks, batch, failure, freshName, init, query, startWorker, stopWorkers } from './worker-helpers.js';

describe('search worker: export, import and reindex', function () {
  this.timeout(60_000);
  afterEach(stopWorkers);

  for (const vectors of ['float32', 'int8'] as const) {
    it(`${vectors}: an export imports into another index with the same hits, replacing what was there`, async () => {
      const { api } = startWorker();
      const from = freshName('export');
      const to = freshName('import');
      await api.open(from, init({ vectors }));
      await api.write(from, batch('a', 'g', ['Grüße aus Köln', 'zweiter Teil'], [[1, 0, 0, 0], [0.2, 0.9, 0, 0]], true, { metadata: { tag: ['x', 1] } }));
      await api.write(from, batch('b', 'g', ['🙂 emoji'], [[0, 0, 1, 0.3]], true));
      await api.write(from, batch('b', 'pending', ['not exported'], [[0, 0, 0, 1]], false));
      await api.open(to, init({ vectors }));
      await api.write(to, batch('old', 'g', ['replaced'], [[1, 1, 1, 1]], true));
      const data = await api.exportIndex(from);
      assertEqual(new TextDecoder().decode(new Uint8Array(data, 0, 4)), 'EWIX', 'magic');
      const info = await api.importIndex(to, data, 'mini:fp32');
      assertEqual([info.name, info.docs, info.chunks, info.vectors], [to, 2, 3, vectors], 'the imported info');
      assertEqual(await allChunks(api, to), await allChunks(api, from), 'the same chunks, and nothing of the old content');
      const q = query([0.5, 0.5, 0.2, 0.1], { k: 10 });
      assertEqual(await api.search(to, q), await api.search(from, q), 'the same hits and scores');
    });
  }

  it('refuses another model and damaged data, leaving the target as it was', async () => {
    const { api } = startWorker();
    const name = freshName('refuse');
    await api.open(name, init());
    await api.write(name, batch('keep', 'g', ['kept'], [[1, 0, 0, 0]], true));
    const data = await api.exportIndex(name);
    const before = await api.info(name);
    const model = await failure(api.importIndex(name, data, 'other:q8'));
    assertEqual([model.code, model.details['index'], model.details['engine']], ['model_mismatch', 'mini:fp32', 'other:q8'], 'another model');
    assertEqual((await failure(api.importIndex(name, data.slice(0, data.byteLength - 3), 'mini:fp32'))).details['reason'], 'truncated', 'cut short');
    assertEqual((await failure(api.importIndex(name, new TextEncoder().encode('PK\u0003\u0004 a zip').buffer, 'mini:fp32'))).details['reason'], 'magic', 'not an export');
    assertEqual(await api.info(name), before, 'unchanged');
  });

  it('reindex: searches keep the old vectors until commit; commit swaps model and dims; an incomplete one is refused', async () => {
    const { api } = startWorker();
    const name = freshName('reindex');
    await api.open(name, init());
    await api.write(name, batch('a', 'g', ['first', 'second'], [[1, 0, 0, 0], [0, 1, 0, 0]], true));
    await api.write(name, batch('b', 'g', ['third'], [[0, 0, 1, 0]], true));
    const next = init({ model: 'next:fp32', dims: 2, vectors: 'int8' });
    await api.beginReindex(name, next);
    const stored = [];
    let cursor: string | undefined;
    do {
      const page = await api.readChunks(name, cursor, 2);
      stored.push(...page.chunks);
      cursor = page.next;
    } while (cursor !== undefined);
    assertEqual(stored.map((c) => `${c.docId}#${c.seq}`), ['a#0', 'a#1', 'b#0'], 'the chunks to re-embed');
    await api.writeVectors(name, stored.slice(0, 2).map(({ docId, seq }) => ({ docId, seq })), Float32Array.from([0, 1, 1, 0]));
    const incomplete = await failure(api.commitReindex(name));
    assertEqual([incomplete.code, incomplete.details['reason']], ['invalid_index', 'reindex_incomplete'], 'b#0 has no new vector');
    assertEqual((await api.search(name, query([1, 0, 0, 0], { k: 1 })))[0]?.chunkId, 'a#0', 'the old vectors still serve');
    assertEqual((await failure(api.open(name, next))).code, 'model_mismatch', 'the new model is not the index\'s yet');
    await api.writeVectors(name, [{ docId: 'b', seq: 0 }], Float32Array.from([-1, 0]));
    const info = await api.commitReindex(name);
    assertEqual([info.model, info.dims, info.vectors, info.docs, info.chunks], ['next:fp32', 2, 'int8', 2, 3], 'swapped');
    assertEqual((await api.search(name, query([1, 0], { k: 1 })))[0]?.chunkId, 'a#1', 'the new vectors serve');
    assert((await api.open(name, next))?.model === 'next:fp32', 'opens with the new model');
    assertEqual((await failure(api.open(name, init()))).code, 'model_mismatch', 'and refuses the old one');
    await api.beginReindex(name, init({ model: 'third:fp32' }));
    await api.abortReindex(name);
    assertEqual((await failure(api.commitReindex(name))).code, 'invalid_request', 'nothing to commit after abort');
  });
});

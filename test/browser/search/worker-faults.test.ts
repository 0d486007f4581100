/**
 * All or nothing: a write that fails at commit (a QuotaExceededError injected by the
 * test-only worker, fault-worker.ts) rejects with `quota_exceeded` and leaves every
 * record (chunks, documents, counts, bytes, version) as before, for each kind of write.
 */
import { wrap } from 'comlink';
import type { SearchWorkerApi } from '../../../src/search/worker/protocol.js';
import { assertEqual } from '../helpers.js';
import { allChunks, batch, failure, freshName, init, query, startWorker, stopWorkers } from './worker-helpers.js';

type FaultApi = SearchWorkerApi & { armFault(n: number, name?: string): void };

function faultWorker() {
  const { worker } = startWorker(new URL('./fault-worker.ts', import.meta.url));
  return wrap<FaultApi>(worker);
}

describe('search worker: a failed write changes nothing', function () {
  this.timeout(60_000);
  afterEach(stopWorkers);

  it('quota at commit: write, the done switch, remove, clear, import and reindex all leave the index as it was', async () => {
    const api = faultWorker();
    const name = freshName('quota');
    await api.open(name, init());
    await api.write(name, batch('a', 'g1', ['first', 'second'], [[1, 0, 0, 0], [0, 1, 0, 0]], true, { metadata: { v: 1 } }));
    await api.write(name, batch('b', 'g1', ['third'], [[0, 0, 1, 0]], true));
    await api.write(name, batch('a', 'g2', ['pending new'], [[0, 0, 0, 1]], false));
    const snapshot = async () => ({ info: await api.info(name), chunks: await allChunks(api, name), hits: await api.search(name, query([1, 1, 1, 1], { k: 10 })) });
    const before = await snapshot();
    const exported = await api.exportIndex(name);
    const attempts: [string, () => Promise<unknown>][] = [
      ['a new document', () => api.write(name, batch('c', 'g1', ['x'.repeat(5000)], [[1, 1, 0, 0]], true))],
      // add()'s path: one transaction for an embedding batch that ends one document, finishes another and starts a third.
      ['writeMany: three documents in one transaction', () => api.writeMany(name, [batch('c', 'g1', ['new c'], [[1, 1, 0, 0]], true), batch('a', 'g2', ['pending end'], [[1, 0, 1, 0]], true, {}, 1), batch('d', 'g1', ['d starts'], [[0, 1, 1, 0]], false)])],
      ['the done batch that swaps a generation and deletes the old one', () => api.write(name, batch('a', 'g2', ['pending end'], [[1, 0, 1, 0]], true, {}, 1))],
      ['remove', () => api.remove(name, 'a')],
      ['clear', () => api.clear(name)],
      ['import', () => api.importIndex(name, exported, 'mini:fp32')],
      ['abandon', () => api.abandon(name, 'a', 'g2')],
    ];
    for (const [what, attempt] of attempts) {
      await api.armFault(1);
      const e = await failure(attempt());
      assertEqual([e.code, e.details['index'], typeof e.details['quota']], ['quota_exceeded', name, 'number'], `${what}: typed, with the storage estimate`);
      const after = await snapshot();
      assertEqual(after, before, `${what}: the index is unchanged (records, counts, bytes, updatedAt, hits)`);
    }
    await api.beginReindex(name, init({ model: 'next:fp32', dims: 2 }));
    await api.writeVectors(name, [{ docId: 'a', seq: 0 }, { docId: 'a', seq: 1 }, { docId: 'b', seq: 0 }], Float32Array.from([1, 0, 0, 1, 1, 1]));
    await api.armFault(1);
    assertEqual((await failure(api.commitReindex(name))).code, 'quota_exceeded', 'commitReindex: typed');
    assertEqual(await snapshot(), before, 'commitReindex: still the old model and vectors');
    // Nothing was left half-done: the same calls succeed once there is room.
    await api.write(name, batch('a', 'g2', ['pending end'], [[1, 0, 1, 0]], true, {}, 1));
    assertEqual(await allChunks(api, name), ['a#0:pending new', 'a#1:pending end', 'b#0:third'], 'the swap, once it can commit');
  });

  it('any other IndexedDB failure is cache_error, with the same all-or-nothing', async () => {
    const api = faultWorker();
    const name = freshName('unknown');
    await api.open(name, init());
    await api.write(name, batch('a', 'g1', ['kept'], [[1, 0, 0, 0]], true));
    const before = await api.info(name);
    await api.armFault(1, 'UnknownError');
    const e = await failure(api.write(name, batch('a', 'g2', ['lost'], [[0, 1, 0, 0]], true)));
    assertEqual([e.code, e.details['name'], e.details['operation']], ['cache_error', 'UnknownError', 'write'], 'typed');
    assertEqual([await api.info(name), await allChunks(api, name)], [before, ['a#0:kept']], 'unchanged');
  });
});

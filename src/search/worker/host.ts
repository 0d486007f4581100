/**
 * The search worker's side of the contract: validates names, holds each index's packed
 * vectors between searches, and serialises writes per index with a Web Lock. The vectors
 * are reloaded when the stored `epoch:version` moved (a write here, in another tab's
 * worker, an import or a drop), checked by one small read before every search.
 */
import { transfer } from 'comlink';
import { EdgewiseError } from '../../errors.js';
import type { FaultsForTests } from './db.js';
import { exportIndex, importIndex } from './exchange.js';
import { checkName, notFound, withLock } from './names.js';
import type { SearchWorkerApi } from './protocol.js';
import { searchSnapshot } from './query.js';
import { toInfo } from './records.js';
import { abortReindex, beginReindex, commitReindex, writeVectors } from './reindex.js';
import { stampOf, type Snapshot } from './snapshot.js';
import { dropIndex, listAll, loadSnapshot, openIndex, readChunks, readMeta } from './store.js';
import { abandon, clearIndex, removeDoc, writeBatch, writeBatches } from './write.js';

export interface SearchHostOptions {
  /** TEST-ONLY (see db.ts): the shipped worker never passes it. */
  faultsForTests?: FaultsForTests;
}

export function createSearchHost(options: SearchHostOptions = {}): SearchWorkerApi {
  const faults = options.faultsForTests;
  const loaded = new Map<string, Promise<Snapshot>>();

  /** A write under the index's lock; this worker's copy of the vectors is stale after it. */
  async function locked<T>(name: string, fn: () => Promise<T>): Promise<T> {
    checkName(name);
    try {
      return await withLock(name, fn);
    } finally {
      loaded.delete(name);
    }
  }

  async function snapshot(name: string): Promise<Snapshot> {
    const meta = await readMeta(name);
    if (!meta) {
      loaded.delete(name);
      throw notFound(name);
    }
    const held = loaded.get(name);
    if (held) {
      const s = await held.catch(() => undefined);
      if (s?.stamp === stampOf(meta)) return s;
    }
    // Another search may have started the reload while this one waited.
    if (loaded.get(name) === held) {
      const next = loadSnapshot(name);
      loaded.set(name, next);
      next.catch(() => {
        if (loaded.get(name) === next) loaded.delete(name);
      });
    }
    return loaded.get(name)!;
  }

  async function meta(name: string) {
    const m = await readMeta(checkName(name));
    if (!m) throw notFound(name);
    return m;
  }

  return {
    open: (name, init) => (init ? locked(name, () => openIndex(name, init, faults)) : openIndex(checkName(name), undefined)),
    write: (name, batch) => locked(name, () => writeBatch(name, batch, faults)),
    writeMany: (name, batches) => locked(name, () => writeBatches(name, batches, faults)),
    abandon: (name, docId, generation) => locked(name, () => abandon(name, docId, generation, faults)),
    remove: (name, docId) => locked(name, () => removeDoc(name, docId, faults)),
    clear: (name) => locked(name, () => clearIndex(name, faults)),
    count: async (name) => {
      const m = await meta(name);
      return { docs: m.docs, chunks: m.chunks };
    },
    search: async (name, query) => {
      checkName(name);
      if (!(query?.vector instanceof Float32Array)) throw new EdgewiseError('invalid_request', 'search() needs the query embedding as a Float32Array.');
      return searchSnapshot(await snapshot(name), query);
    },
    info: async (name) => toInfo(await meta(name)),
    // The export is handed over, not copied: it can be as large as the index.
    exportIndex: async (name) => {
      const data = await exportIndex(checkName(name));
      return transfer(data, [data]);
    },
    importIndex: (name, data, model) => locked(name, () => importIndex(name, data, model, faults)),
    readChunks: (name, cursor, limit) => readChunks(checkName(name), cursor, limit),
    beginReindex: (name, init) => locked(name, () => beginReindex(name, init, faults)),
    writeVectors: (name, items, vectors) => locked(name, () => writeVectors(name, items, vectors, faults)),
    commitReindex: (name) => locked(name, () => commitReindex(name, faults)),
    abortReindex: (name) => locked(name, () => abortReindex(name, faults)),
    list: () => listAll(),
    drop: (name) => locked(name, () => dropIndex(name, faults)),
    close: async (name) => {
      loaded.delete(checkName(name));
    },
  };
}

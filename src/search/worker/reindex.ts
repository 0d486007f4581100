/**
 * Reindexing with another embedding model: the new vectors go to the `shadow` store
 * (keyed by docId and seq, so they outlive nothing but the chunk they belong to), and
 * commit swaps model, dims and every chunk's vector in one transaction. Until commit,
 * searches use the old vectors and open() with the new model still says model_mismatch.
 */
import { EdgewiseError } from '../../errors.js';
import { req, transact, type FaultsForTests } from './db.js';
import type { IndexInit } from './protocol.js';
import { chunkBytes, docBytes, metaBytes, prefix, shadowKey, toInfo, type ChunkRecord, type DocRecord, type MetaRecord, type ShadowRecord } from './records.js';
import { bump, checkInit, requireMeta, sweep } from './store.js';
import { allFinite, encodeVector } from './vectors.js';
import type { IndexInfo } from '../types.js';

function pending(meta: MetaRecord): IndexInit {
  if (!meta.reindex) throw new EdgewiseError('invalid_request', `Index "${meta.name}" has no reindex in progress: call beginReindex() first.`);
  return meta.reindex;
}

export function beginReindex(name: string, init: IndexInit, faults?: FaultsForTests): Promise<void> {
  checkInit(init);
  return transact(['meta', 'shadow'], 'readwrite', async (tx) => {
    const meta = await requireMeta(tx, name);
    tx.objectStore('shadow').delete(prefix(name));
    meta.reindex = { model: init.model, dims: init.dims, vectors: init.vectors, chunk: { size: init.chunk.size, overlap: init.chunk.overlap } };
    tx.objectStore('meta').put(meta, name);
  }, { index: name, operation: 'beginReindex', faults });
}

export function writeVectors(name: string, items: { docId: string; seq: number }[], vectors: Float32Array, faults?: FaultsForTests): Promise<void> {
  return transact(['meta', 'shadow'], 'readwrite', async (tx) => {
    const init = pending(await requireMeta(tx, name));
    if (!(vectors instanceof Float32Array) || vectors.length !== items.length * init.dims) {
      throw new EdgewiseError('model_mismatch', `The reindex of "${name}" expects ${init.dims}-dimensional vectors from ${init.model}, but ${items.length} chunks came with ${vectors.length} numbers.`, {
        details: { index: init.model, engine: 'unknown', dims: init.dims, received: vectors.length },
      });
    }
    if (!allFinite(vectors)) throw new EdgewiseError('invalid_input', `A reindex vector for index "${name}" has a NaN or infinite component.`);
    items.forEach((it, i) => {
      const e = encodeVector(vectors, i, init.dims, init.vectors);
      const rec: ShadowRecord = { vector: e.vector, scale: e.scale };
      tx.objectStore('shadow').put(rec, shadowKey(name, it.docId, it.seq));
    });
  }, { index: name, operation: 'writeVectors', faults });
}

export function commitReindex(name: string, faults?: FaultsForTests): Promise<IndexInfo> {
  return transact(['meta', 'docs', 'chunks', 'shadow'], 'readwrite', async (tx) => {
    const meta = await requireMeta(tx, name);
    const init = pending(meta);
    const docs = (await req(tx.objectStore('docs').getAll(prefix(name)))) as DocRecord[];
    const keys = (await req(tx.objectStore('shadow').getAllKeys(prefix(name)))) as [string, string, number][];
    const values = (await req(tx.objectStore('shadow').getAll(prefix(name)))) as ShadowRecord[];
    const shadow = new Map(keys.map((k, i) => [`${k[1]}\u0000${k[2]}`, values[i]!]));
    const committed = new Map(docs.map((d) => [d.id, d.generation]));
    const chunks = tx.objectStore('chunks');
    let bytes = metaBytes(name) + docs.reduce((n, d) => n + docBytes(d), 0);
    let missing: string | undefined;
    await sweep<ChunkRecord>(chunks, prefix(name), (c, key) => {
      // An unfinished generation still carries old-model vectors: it cannot survive the swap.
      if (committed.get(c.docId) !== c.generation) {
        chunks.delete(key);
        return false;
      }
      const s = shadow.get(`${c.docId}\u0000${c.seq}`);
      if (!s) return ((missing = `${c.docId}#${c.seq}`), true);
      const rec: ChunkRecord = { ...c, vector: s.vector, scale: s.scale };
      chunks.put(rec, key);
      bytes += chunkBytes(rec);
      return false;
    });
    if (missing !== undefined) {
      throw new EdgewiseError('invalid_index', `The reindex of "${name}" has no new vector for chunk ${missing}: write vectors for every chunk readChunks() lists, then commit; the index keeps its old model.`, {
        details: { reason: 'reindex_incomplete', chunk: missing },
      });
    }
    tx.objectStore('shadow').delete(prefix(name));
    meta.model = init.model;
    meta.dims = init.dims;
    meta.vectors = init.vectors;
    delete meta.reindex;
    meta.bytes = bytes;
    bump(tx, meta, 0);
    return toInfo(meta);
  }, { index: name, operation: 'commitReindex', faults });
}

export function abortReindex(name: string, faults?: FaultsForTests): Promise<void> {
  return transact(['meta', 'shadow'], 'readwrite', async (tx) => {
    const meta = await requireMeta(tx, name);
    tx.objectStore('shadow').delete(prefix(name));
    delete meta.reindex;
    tx.objectStore('meta').put(meta, name);
  }, { index: name, operation: 'abortReindex', faults });
}

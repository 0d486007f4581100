/**
 * The writes of documents, each one transaction over meta, docs and chunks (so a failed
 * or aborted call leaves every record as it was): a batch of chunks, the switch of a
 * document to its finished generation, dropping an unfinished one, remove and clear.
 */
import { EdgewiseError } from '../../errors.js';
import { req, transact, type FaultsForTests } from './db.js';
import type { WriteBatch } from './protocol.js';
import { chunkBytes, chunkKey, docBytes, docKey, metaBytes, prefix, type ChunkRecord, type DocRecord, type MetaRecord } from './records.js';
import { bump, deleteChunks, getMeta, requireMeta, sweep } from './store.js';
import { allFinite, encodeVector } from './vectors.js';

const isCount = (n: unknown): boolean => typeof n === 'number' && Number.isInteger(n) && n >= 0;

function checkBatch(meta: MetaRecord, b: WriteBatch): void {
  const ok = typeof b.docId === 'string' && b.docId.length > 0 && typeof b.generation === 'string' && b.generation.length > 0 &&
    Array.isArray(b.chunks) && b.vectors instanceof Float32Array && typeof b.done === 'boolean' &&
    b.chunks.every((c) => isCount(c.seq) && isCount(c.start) && isCount(c.end) && c.end >= c.start && typeof c.text === 'string');
  if (!ok) throw new EdgewiseError('invalid_request', `A write to index "${meta.name}" is malformed: it needs docId, generation, chunks of { seq, start, end, text }, a Float32Array of vectors and done.`);
  if (b.vectors.length !== b.chunks.length * meta.dims) {
    throw new EdgewiseError('model_mismatch', `Index "${meta.name}" holds ${meta.dims}-dimensional vectors, but ${b.chunks.length} chunks came with ${b.vectors.length} numbers: the engine embeds with another model. Call index.reindex().`, {
      details: { index: meta.model, engine: 'unknown', dims: meta.dims, received: b.vectors.length },
    });
  }
  if (!allFinite(b.vectors)) throw new EdgewiseError('invalid_input', `A vector for "${b.docId}" in index "${meta.name}" has a NaN or infinite component; the embedding model failed on that text.`);
}

/**
 * Several batches (of one or several documents) in one transaction: an add() of many small
 * documents pays one commit per embedding batch, not one per document. All or nothing.
 */
export function writeBatches(name: string, batches: readonly WriteBatch[], faults?: FaultsForTests): Promise<void> {
  return transact(['meta', 'docs', 'chunks'], 'readwrite', async (tx) => {
    const meta = await requireMeta(tx, name);
    for (const b of batches) checkBatch(meta, b);
    let delta = 0;
    // In order: a later batch of the same document sees the records an earlier one put.
    for (const b of batches) delta += await applyBatch(tx, name, meta, b);
    bump(tx, meta, delta);
  }, { index: name, operation: 'write', faults });
}

export const writeBatch = (name: string, b: WriteBatch, faults?: FaultsForTests): Promise<void> => writeBatches(name, [b], faults);

/** One batch's records; returns the change in stored bytes. */
async function applyBatch(tx: IDBTransaction, name: string, meta: MetaRecord, b: WriteBatch): Promise<number> {
    const chunks = tx.objectStore('chunks');
    let delta = 0;
    if (b.chunks.length > 0) {
      // A batch sent again (a retry after a lost reply) overwrites its chunks: count the old copies out.
      const seqs = new Set(b.chunks.map((c) => c.seq));
      const range = IDBKeyRange.bound([name, b.docId, b.generation, Math.min(...seqs)], [name, b.docId, b.generation, Math.max(...seqs)]);
      await sweep<ChunkRecord>(chunks, range, (c) => {
        if (seqs.has(c.seq)) delta -= chunkBytes(c);
      });
    }
    b.chunks.forEach((c, i) => {
      const e = encodeVector(b.vectors, i, meta.dims, meta.vectors);
      const rec: ChunkRecord = { docId: b.docId, generation: b.generation, seq: c.seq, start: c.start, end: c.end, text: c.text, vector: e.vector, scale: e.scale };
      delta += chunkBytes(rec);
      chunks.put(rec, chunkKey(name, b.docId, b.generation, c.seq));
    });
    if (b.done) {
      const docs = tx.objectStore('docs');
      const old = (await req(docs.get(docKey(name, b.docId)))) as DocRecord | undefined;
      if (old) {
        delta -= docBytes(old);
        if (old.generation !== b.generation) delta -= (await deleteChunks(tx, prefix(name, b.docId, old.generation))).bytes;
      }
      const count = await req(chunks.count(prefix(name, b.docId, b.generation)));
      const doc: DocRecord = { id: b.docId, generation: b.generation, length: b.length ?? 0, chunks: count };
      if (b.metadata) doc.metadata = b.metadata;
      docs.put(doc, docKey(name, b.docId));
      delta += docBytes(doc);
      meta.docs += old ? 0 : 1;
      meta.chunks += count - (old?.chunks ?? 0);
    }
    return delta;
}

/** Drops an unfinished generation's chunks; a committed generation is left alone. */
export function abandon(name: string, docId: string, generation: string, faults?: FaultsForTests): Promise<void> {
  return transact(['meta', 'docs', 'chunks'], 'readwrite', async (tx) => {
    const meta = await getMeta(tx, name);
    if (!meta) return;
    const doc = (await req(tx.objectStore('docs').get(docKey(name, docId)))) as DocRecord | undefined;
    if (doc?.generation === generation) return;
    const freed = await deleteChunks(tx, prefix(name, docId, generation));
    if (freed.count > 0) bump(tx, meta, -freed.bytes);
  }, { index: name, operation: 'abandon', faults });
}

/** Removes a document, every generation of its chunks and its reindex vectors. */
export function removeDoc(name: string, docId: string, faults?: FaultsForTests): Promise<boolean> {
  return transact(['meta', 'docs', 'chunks', 'shadow'], 'readwrite', async (tx) => {
    const meta = await requireMeta(tx, name);
    const docs = tx.objectStore('docs');
    const doc = (await req(docs.get(docKey(name, docId)))) as DocRecord | undefined;
    const freed = await deleteChunks(tx, prefix(name, docId));
    tx.objectStore('shadow').delete(prefix(name, docId));
    if (!doc && freed.count === 0) return false;
    let delta = -freed.bytes;
    if (doc) {
      docs.delete(docKey(name, docId));
      delta -= docBytes(doc);
      meta.docs -= 1;
      meta.chunks -= doc.chunks;
    }
    bump(tx, meta, delta);
    return doc !== undefined;
  }, { index: name, operation: 'remove', faults });
}

export function clearIndex(name: string, faults?: FaultsForTests): Promise<void> {
  return transact(['meta', 'docs', 'chunks', 'shadow'], 'readwrite', async (tx) => {
    const meta = await requireMeta(tx, name);
    for (const s of ['docs', 'chunks', 'shadow'] as const) tx.objectStore(s).delete(prefix(name));
    meta.docs = 0;
    meta.chunks = 0;
    meta.bytes = metaBytes(name);
    bump(tx, meta, 0);
  }, { index: name, operation: 'clear', faults });
}

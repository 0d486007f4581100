/**
 * Reads of the index database and the small steps every write shares: the meta record
 * (required, bumped), and deleting a key range of chunks while counting what it frees.
 * Each exported function is one transaction (see db.ts).
 */
import { EdgewiseError } from '../../errors.js';
import { req, transact, type FaultsForTests } from './db.js';
import { notFound } from './names.js';
import type { IndexInit, StoredChunk } from './protocol.js';
import { chunkBytes, dropRecords, metaBytes, newEpoch, prefix, toInfo, type ChunkRecord, type DocRecord, type MetaRecord } from './records.js';
import { Packer, type Snapshot } from './snapshot.js';
import type { IndexInfo } from '../types.js';

export async function getMeta(tx: IDBTransaction, name: string): Promise<MetaRecord | undefined> {
  return (await req(tx.objectStore('meta').get(name))) as MetaRecord | undefined;
}

export async function requireMeta(tx: IDBTransaction, name: string): Promise<MetaRecord> {
  const m = await getMeta(tx, name);
  if (!m) throw notFound(name);
  return m;
}

/** Writes `meta` back as a new version, `bytes` changed by `delta`. */
export function bump(tx: IDBTransaction, meta: MetaRecord, delta: number): void {
  meta.bytes = Math.max(metaBytes(meta.name), meta.bytes + delta);
  meta.version += 1;
  meta.updatedAt = Date.now();
  tx.objectStore('meta').put(meta, meta.name);
}

/** Visits every record of `range` in key order; `remove` deletes each after the visit. */
export function sweep<T>(store: IDBObjectStore, range: IDBKeyRange, visit: (value: T, key: IDBValidKey) => boolean | void, remove = false): Promise<void> {
  return new Promise((resolve, reject) => {
    const r = store.openCursor(range);
    r.onsuccess = () => {
      const c = r.result;
      if (!c) return resolve();
      // A visitor answering true has seen enough.
      if (visit(c.value as T, c.primaryKey) === true) return resolve();
      if (remove) c.delete();
      c.continue();
    };
    r.onerror = () => reject(r.error ?? new Error('IndexedDB cursor failed'));
  });
}

/** Deletes the chunks in `range`; what they counted. */
export async function deleteChunks(tx: IDBTransaction, range: IDBKeyRange): Promise<{ count: number; bytes: number }> {
  let count = 0;
  let bytes = 0;
  await sweep<ChunkRecord>(tx.objectStore('chunks'), range, (c) => {
    count++;
    bytes += chunkBytes(c);
  }, true);
  return { count, bytes };
}

export function mismatch(name: string, stored: string, engine: string): EdgewiseError {
  return new EdgewiseError('model_mismatch', `Index "${name}" was built with the embedding model ${stored}, but the engine embeds with ${engine}: call index.reindex() to re-embed it with the engine's model, or search it with an engine on ${stored}.`, {
    details: { index: stored, engine },
  });
}

export function checkInit(init: IndexInit): void {
  const ok = typeof init.model === 'string' && init.model.length > 0 && Number.isInteger(init.dims) && init.dims > 0 && init.dims <= 65_536 &&
    (init.vectors === 'float32' || init.vectors === 'int8') && Number.isInteger(init.chunk?.size) && Number.isInteger(init.chunk?.overlap);
  if (!ok) throw new EdgewiseError('invalid_request', `The index settings ${JSON.stringify(init)} are incomplete: a model id, integer dims > 0, vectors 'float32' or 'int8', and chunk { size, overlap }.`);
}

/** Opens, or creates with `init`; checks the model of an existing index. */
export function openIndex(name: string, init: IndexInit | undefined, faults?: FaultsForTests): Promise<IndexInfo | undefined> {
  if (init) checkInit(init);
  return transact(['meta'], init ? 'readwrite' : 'readonly', async (tx) => {
    const m = await getMeta(tx, name);
    if (m) {
      if (init && (init.model !== m.model || init.dims !== m.dims)) throw mismatch(name, m.model, init.model);
      return toInfo(m);
    }
    if (!init) return undefined;
    const now = Date.now();
    const meta: MetaRecord = {
      name, model: init.model, dims: init.dims, vectors: init.vectors, chunk: { size: init.chunk.size, overlap: init.chunk.overlap },
      docs: 0, chunks: 0, bytes: metaBytes(name), createdAt: now, updatedAt: now, version: 1, epoch: newEpoch(),
    };
    tx.objectStore('meta').put(meta, name);
    return toInfo(meta);
  }, { index: name, operation: 'open', faults });
}

export function readMeta(name: string): Promise<MetaRecord | undefined> {
  return transact(['meta'], 'readonly', (tx) => getMeta(tx, name), { index: name, operation: 'read' });
}

export function listAll(): Promise<IndexInfo[]> {
  return transact(['meta'], 'readonly', async (tx) => ((await req(tx.objectStore('meta').getAll())) as MetaRecord[]).map(toInfo), { index: '*', operation: 'list' });
}

/** Deletes an index and everything of it in one transaction; false when absent. */
export function dropIndex(name: string, faults?: FaultsForTests): Promise<boolean> {
  return transact(['meta', 'docs', 'chunks', 'shadow'], 'readwrite', (tx) => dropRecords(tx, name), { index: name, operation: 'drop', faults });
}

// Chunk records read per request while loading: ~2.5 MB of 384-d float32 vectors, so the
// records in flight stay small next to the packed copy.
const LOAD_PAGE = 1024;

/** Every record of an index read in one transaction (a consistent view), packed for search page by page. */
export function loadSnapshot(name: string): Promise<Snapshot> {
  return transact(['meta', 'docs', 'chunks'], 'readonly', async (tx) => {
    const meta = await requireMeta(tx, name);
    const docs = (await req(tx.objectStore('docs').getAll(prefix(name)))) as DocRecord[];
    const packer = new Packer(meta, docs, meta.chunks);
    let range = prefix(name);
    for (;;) {
      // Key order is (docId, generation, seq): the rows arrive in (docId, seq) order.
      const page = (await req(tx.objectStore('chunks').getAll(range, LOAD_PAGE))) as ChunkRecord[];
      for (const c of page) packer.add(c);
      const last = page.at(-1);
      if (page.length < LOAD_PAGE || !last) return packer.finish();
      range = IDBKeyRange.bound([name, last.docId, last.generation, last.seq], [name, []], true);
    }
  }, { index: name, operation: 'load' });
}

/** Committed chunks in key order (docId, generation, seq) after `cursor`. */
export function readChunks(name: string, cursor: string | undefined, limit: number): Promise<{ chunks: StoredChunk[]; next?: string }> {
  const after = cursor === undefined ? undefined : parseCursor(cursor);
  const max = Math.min(10_000, Math.max(1, Math.floor(limit) || 1));
  return transact(['meta', 'docs', 'chunks'], 'readonly', async (tx) => {
    await requireMeta(tx, name);
    const committed = new Map(((await req(tx.objectStore('docs').getAll(prefix(name)))) as DocRecord[]).map((d) => [d.id, d.generation]));
    const range = after ? IDBKeyRange.bound([name, ...after], [name, []], true) : prefix(name);
    const chunks: StoredChunk[] = [];
    let last: IDBValidKey | undefined;
    let more = false;
    await sweep<ChunkRecord>(tx.objectStore('chunks'), range, (c, key) => {
      if (committed.get(c.docId) !== c.generation) return false;
      if (chunks.length === max) return (more = true);
      chunks.push({ docId: c.docId, seq: c.seq, text: c.text });
      last = key;
      return false;
    });
    return more && last ? { chunks, next: JSON.stringify((last as unknown[]).slice(1)) } : { chunks };
  }, { index: name, operation: 'readChunks' });
}

function parseCursor(cursor: string): [string, string, number] {
  let v: unknown;
  try {
    v = JSON.parse(cursor);
  } catch {
    v = undefined;
  }
  if (Array.isArray(v) && v.length === 3 && typeof v[0] === 'string' && typeof v[1] === 'string' && typeof v[2] === 'number') return [v[0], v[1], v[2]];
  throw new EdgewiseError('invalid_request', `readChunks() cursor ${JSON.stringify(cursor)} is not one it returned: pass undefined to start, then each answer's next.`);
}

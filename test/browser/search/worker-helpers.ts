/** Shared pieces of the search-worker suites: a comlink-wrapped worker, tiny batches, typed-error checks. */
import { wrap, type Remote } from 'comlink';
import { isEdgewiseError } from '../../../src/errors.js';
import type { IndexInit, SearchQuery, SearchWorkerApi, WriteBatch } from '../../../src/search/worker/protocol.js';
import { installErrorTransfer } from '../../../src/worker/transfer.js';

installErrorTransfer();

export const SHIPPED_WORKER = '/dist/edgewise.search.worker.js';

export interface Started {
  api: Remote<SearchWorkerApi>;
  worker: Worker;
}

const started: Worker[] = [];

export function startWorker(url: string | URL = SHIPPED_WORKER): Started {
  const worker = new Worker(url, { type: 'module' });
  started.push(worker);
  return { api: wrap<SearchWorkerApi>(worker), worker };
}

/** Ends every worker the suite started (call in afterEach). */
export function stopWorkers(): void {
  for (const w of started.splice(0)) w.terminate();
}

let n = 0;
/** A name no earlier run used, so suites never see each other's indexes. */
export const freshName = (tag: string): string => `${tag}-${Date.now().toString(36)}-${n++}`;

export const init = (over: Partial<IndexInit> = {}): IndexInit => ({ model: 'mini:fp32', dims: 4, vectors: 'float32', chunk: { size: 800, overlap: 100 }, ...over });

/** One batch: chunk i of `texts` is seq `firstSeq + i` with vector `vectors[i]`. */
export function batch(docId: string, generation: string, texts: string[], vectors: number[][], done: boolean, extra: Partial<WriteBatch> = {}, firstSeq = 0): WriteBatch {
  let at = 0;
  const chunks = texts.map((text, i) => {
    const c = { seq: firstSeq + i, start: at, end: at + text.length, text };
    at += text.length;
    return c;
  });
  return { docId, generation, chunks, vectors: Float32Array.from(vectors.flat()), done, length: at, ...extra };
}

export const query = (vector: number[], over: Partial<SearchQuery> = {}): SearchQuery => ({ vector: Float32Array.from(vector), text: '', k: 5, mode: 'vector', alpha: 0.5, ...over });

/** The code (and details) of the EdgewiseError `p` rejects with; fails when it resolves or rejects untyped. */
export async function failure(p: Promise<unknown>): Promise<{ code: string; details: Readonly<Record<string, unknown>>; message: string }> {
  try {
    await p;
  } catch (e) {
    if (!isEdgewiseError(e)) throw new Error(`expected an EdgewiseError, got ${String(e)}`);
    return { code: e.code, details: e.details, message: e.message };
  }
  throw new Error('expected a rejection, but the call succeeded');
}

/** Every committed chunk as `docId#seq:text`, through readChunks() pages of `limit`. */
export async function allChunks(api: Remote<SearchWorkerApi>, name: string, limit = 1000): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.readChunks(name, cursor, limit);
    out.push(...page.chunks.map((c) => `${c.docId}#${c.seq}:${c.text}`));
    cursor = page.next;
  } while (cursor !== undefined);
  return out;
}

/** The raw chunk keys stored for `name` (read from IndexedDB on the page, as [docId, generation, seq]). */
export async function storedChunkKeys(name: string): Promise<unknown[][]> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const r = indexedDB.open('edgewise-indexes');
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  try {
    const keys = await new Promise<IDBValidKey[]>((resolve, reject) => {
      const r = db.transaction('chunks').objectStore('chunks').getAllKeys(IDBKeyRange.bound([name], [name, []]));
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    return keys.map((k) => (k as unknown[]).slice(1));
  } finally {
    db.close();
  }
}

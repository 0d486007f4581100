/**
 * The IndexedDB layout of the weight cache. One idb-keyval store holds everything, so a
 * chunk and the record that counts it are written in one transaction:
 *
 * - `['file', model, path]` → {@link FileRecord}: a `partial` record while a file
 *   downloads, replaced by its `complete` manifest as the very last write.
 * - `['chunk', model, path, index]` → `ArrayBuffer` of exactly `chunkSize` bytes (the last
 *   chunk may be shorter).
 *
 * Array keys sort by element, so every chunk of a file or model is one key range
 * (IndexedDB orders numbers < strings < arrays; `[]` is a safe upper bound).
 */
import { createStore, promisifyRequest, type UseStore } from 'idb-keyval';

export type { UseStore };

const DB_NAME = 'edgewise-weights';
const STORE_NAME = 'entries';

let shared: UseStore | undefined;

/** The store the SDK uses unless a caller injects another (tests wrap it to inject faults). */
export function defaultStore(): UseStore {
  shared ??= createStore(DB_NAME, STORE_NAME);
  return shared;
}

interface FileRecordBase {
  model: string;
  path: string;
  /** Absolute URL the bytes came from. */
  url: string;
  /** The model folder URL, reported by `listCachedModels`. */
  baseUrl: string;
  /** Size of the whole file in bytes. */
  size: number;
  chunkSize: number;
  /** Validator of the bytes stored so far; a resume only continues the same ETag. */
  etag: string | null;
  /** xxhash64 (hex) of each stored chunk, in order, checked on every read. */
  checksums: string[];
  lastUsed: number;
}

/** A download in progress: `bytes` (a multiple of `chunkSize`) are stored and checked. */
export interface PartialRecord extends FileRecordBase {
  state: 'partial';
  bytes: number;
}

/** A complete file. Written only after every chunk is stored and the sha256 is checked. */
export interface ManifestRecord extends FileRecordBase {
  state: 'complete';
  chunkCount: number;
  sha256: string;
  storedAt: number;
}

export type FileRecord = PartialRecord | ManifestRecord;

/** Key of a file's record. */
export function fileKey(model: string, path: string): IDBValidKey {
  return ['file', model, path];
}

/** Key of a file's chunk `index` (0-based). */
export function chunkKey(model: string, path: string, index: number): IDBValidKey {
  return ['chunk', model, path, index];
}

function prefixRange(...prefix: string[]): IDBKeyRange {
  return IDBKeyRange.bound(prefix, [...prefix, []]);
}

/** Bytes of a file that are stored and counted by its record. */
export function storedBytes(r: FileRecord): number {
  return r.state === 'complete' ? r.size : r.bytes;
}

/** Every file record, for all models. */
export function getAllRecords(store: UseStore): Promise<FileRecord[]> {
  return store('readonly', (s) => promisifyRequest(s.getAll(prefixRange('file')) as IDBRequest<FileRecord[]>));
}

/** The file records of one model, by path. */
export async function getModelRecords(store: UseStore, model: string): Promise<Map<string, FileRecord>> {
  const list = await store('readonly', (s) => promisifyRequest(s.getAll(prefixRange('file', model)) as IDBRequest<FileRecord[]>));
  return new Map(list.map((r) => [r.path, r]));
}

/**
 * Writes a chunk and the partial record that now counts it, atomically. `started` gets the
 * transaction, so a writer that is stopping can abort it (both writes are then undone).
 */
export function putChunk(store: UseStore, index: number, bytes: ArrayBuffer, record: FileRecord, started?: (tx: IDBTransaction) => void): Promise<void> {
  return store('readwrite', (s) => {
    started?.(s.transaction);
    s.put(bytes, chunkKey(record.model, record.path, index));
    s.put(record, fileKey(record.model, record.path));
    return promisifyRequest(s.transaction);
  });
}

/** Writes file records (a manifest, a partial record, or `lastUsed` updates). */
export function putRecords(store: UseStore, records: readonly FileRecord[]): Promise<void> {
  return store('readwrite', (s) => {
    for (const r of records) s.put(r, fileKey(r.model, r.path));
    return promisifyRequest(s.transaction);
  });
}

/** One stored chunk, or undefined when it is missing. */
export async function getChunk(store: UseStore, model: string, path: string, index: number): Promise<Uint8Array | undefined> {
  const value: unknown = await store('readonly', (s) => promisifyRequest(s.get(chunkKey(model, path, index))));
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (value instanceof Uint8Array) return value;
  return undefined;
}

/** Deletes a file's chunks and its record in one transaction. */
export function deleteFile(store: UseStore, model: string, path: string): Promise<void> {
  return deleteFiles(store, model, [path]);
}

/**
 * Deletes files' chunks and records in one transaction. IndexedDB runs it after every
 * write transaction created before it, so a chunk write still in flight cannot land after it.
 */
export function deleteFiles(store: UseStore, model: string, paths: readonly string[]): Promise<void> {
  return store('readwrite', (s) => {
    for (const path of paths) {
      s.delete(prefixRange('chunk', model, path));
      s.delete(fileKey(model, path));
    }
    return promisifyRequest(s.transaction);
  });
}

/** Deletes every chunk and record of a model in one transaction. */
export function deleteModel(store: UseStore, model: string): Promise<void> {
  return store('readwrite', (s) => {
    s.delete(prefixRange('chunk', model));
    s.delete(prefixRange('file', model));
    return promisifyRequest(s.transaction);
  });
}

/** Deletes everything in the store. */
export function clearAll(store: UseStore): Promise<void> {
  return store('readwrite', (s) => {
    s.clear();
    return promisifyRequest(s.transaction);
  });
}

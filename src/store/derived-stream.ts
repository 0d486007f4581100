/**
 * Derived files too large to hold whole next to what reads them: the weight transform
 * writes its output straight into the cache a chunk at a time (`openDerivedWriter`), and
 * the decoder kernel reads a stored form back tensor by tensor (`storedRange`). At
 * SmolLM2-1.7B's shape either one whole would be another 1.7 GB in the worker.
 *
 * Same chunked, checksummed format and tags as `derived.ts`; the manifest is still the very
 * last write, so a file interrupted half-way is a partial record nothing ever reads as complete.
 */
import { EdgewiseError, isEdgewiseError } from '../errors.js';
import { deleteFile, getChunk, getModelRecords, putChunk, putRecords, type ManifestRecord, type PartialRecord, type UseStore } from './idb.js';
import { chunkChecksum, chunkIntact, createFileHasher } from './integrity.js';
import type { DerivedSource } from './derived.js';
import { derivedTag } from './derived.js';
import { normalizeOptions } from './options.js';
import { ensureRoom, isQuotaError } from './quota.js';

export interface DerivedWriter {
  /** Appends bytes; full chunks are stored as they fill. */
  write(bytes: Uint8Array): Promise<void>;
  /** Stores the last chunk and then the manifest. Throws unless exactly `size` bytes were written. */
  finish(): Promise<void>;
  /** Removes whatever was stored (after a failure or an abort). */
  discard(): Promise<void>;
  /**
   * Aborts the chunk write in flight, if any (it is undone, not waited for), and refuses
   * any later one: a load being cancelled stops at once, and a write still pending in its
   * code cannot land after the caller's delete. Then only `discard()` is useful.
   */
  stop(): void;
}

/**
 * A writer for one derived file of known `size`, tagged with the source's stored sha256.
 * @returns undefined when the source is not stored complete (nothing to tag it with).
 */
export async function openDerivedWriter(store: UseStore, src: DerivedSource, path: string, size: number, chunkSize: number): Promise<DerivedWriter | undefined> {
  const source = (await getModelRecords(store, src.key)).get(src.path);
  if (source?.state !== 'complete') return undefined;
  const hasher = await createFileHasher();
  const base = { model: src.key, path, url: new URL(path, src.baseUrl).href, baseUrl: src.baseUrl, size, chunkSize, etag: derivedTag(source.sha256, src.maker) };
  const checksums: string[] = [];
  const chunk = new Uint8Array(Math.min(chunkSize, Math.max(size, 1)));
  let filled = 0;
  let stored = 0;
  // One chunk's write is in flight while the next fills: the transform does not wait for
  // IndexedDB to commit each one. A failed write surfaces at the next flush or at finish().
  let pending: Promise<void> = Promise.resolve();
  let inFlight: IDBTransaction | undefined;
  let stopped = false;
  const flush = async (): Promise<void> => {
    const bytes = chunk.slice(0, filled);
    hasher.update(bytes);
    checksums.push(await chunkChecksum(bytes));
    const record: PartialRecord = { ...base, state: 'partial', bytes: stored + filled, checksums: [...checksums], lastUsed: Date.now() };
    await pending;
    // Once stopped, no write may start: it could land after the caller's delete.
    if (stopped) throw new Error(`derived file ${path} was stopped`);
    pending = putChunk(store, checksums.length - 1, bytes.buffer, record, (tx) => { inFlight = tx; });
    pending.catch(() => undefined);
    stored += filled;
    filled = 0;
  };
  return {
    async write(bytes) {
      if (stored + filled + bytes.length > size) throw new Error(`derived file ${path} got more than its ${size} bytes`);
      for (let at = 0; at < bytes.length;) {
        const n = Math.min(chunk.length - filled, bytes.length - at);
        chunk.set(bytes.subarray(at, at + n), filled);
        filled += n;
        at += n;
        if (filled === chunk.length) await flush();
      }
    },
    async finish() {
      if (filled > 0) await flush();
      await pending;
      if (stored !== size) throw new Error(`derived file ${path}: ${stored} of ${size} bytes were written`);
      const now = Date.now();
      const manifest: ManifestRecord = { ...base, state: 'complete', checksums, lastUsed: now, chunkCount: checksums.length, sha256: hasher.digest('hex'), storedAt: now };
      await putRecords(store, [manifest]);
    },
    // IndexedDB orders it after the chunk write in flight (see deleteFiles).
    discard: () => deleteFile(store, src.key, path),
    stop() {
      stopped = true;
      // Throws once the transaction has finished: then there is nothing to stop.
      try { inFlight?.abort(); } catch { /* already committed */ }
    },
  };
}

/** Random access to a stored file without reading it whole. */
export interface StoredRange {
  readonly size: number;
  /** Bytes `offset … offset + length`, every chunk they touch checked against its checksum. */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** Chunks fetched ahead of the one read: IndexedDB works while the caller copies. */
const READ_AHEAD = 3;
/** Chunks kept (16 MB at the default size): the front of the file streams by while the small tensors at its end stay. */
const KEEP = 8;

/**
 * A stored complete file, read by range. The kernel reads a form in two places at once:
 * the weight matrices from the front to the back, and the small tensors (norms, scales)
 * at the end of the file between them. So the last `KEEP` chunks used stay, and each read
 * fetches the next chunks ahead; every chunk is checked as it arrives.
 * @throws EdgewiseError `integrity_error` when a chunk is missing or damaged (the caller
 *   deletes the derived file and makes it again), `cache_error` when the file is not stored.
 */
export async function storedRange(store: UseStore, key: string, path: string): Promise<StoredRange> {
  const record = (await getModelRecords(store, key)).get(path);
  if (record?.state !== 'complete') throw new EdgewiseError('cache_error', `${path} is not in the cache any more; load the model again.`, { details: { file: path } });
  const { size, chunkSize, checksums } = record;
  const count = checksums.length;
  // Insertion order is use order: the first key is the least recently used.
  const held = new Map<number, Promise<Uint8Array>>();
  const fetchChunk = async (index: number): Promise<Uint8Array> => {
    const bytes = await getChunk(store, key, path, index);
    const expected = Math.min(chunkSize, size - index * chunkSize);
    if (!bytes || !(await chunkIntact(bytes, expected, checksums[index]))) {
      throw new EdgewiseError('integrity_error', `Chunk ${index} of the stored ${path} is missing or damaged; it is made again on the next load.`, { details: { file: path } });
    }
    return bytes;
  };
  const use = (index: number): Promise<Uint8Array> => {
    let p = held.get(index);
    if (p) held.delete(index);
    else {
      p = fetchChunk(index);
      // A chunk read ahead and never asked for must not report its failure.
      p.catch(() => undefined);
    }
    held.set(index, p);
    while (held.size > KEEP) held.delete(held.keys().next().value as number);
    return p;
  };
  const chunk = (index: number): Promise<Uint8Array> => {
    for (let i = index + 1; i <= Math.min(count - 1, index + READ_AHEAD); i++) if (!held.has(i)) use(i);
    return use(index);
  };
  return {
    size,
    async read(offset, length) {
      if (offset < 0 || length < 0 || offset + length > size) throw new EdgewiseError('integrity_error', `${path} holds ${size} bytes; ${offset} + ${length} were asked for: the stored form is damaged.`, { details: { file: path } });
      const first = Math.floor(offset / chunkSize);
      const end = offset + length;
      // Within one chunk: a view, no copy.
      if (first === Math.floor(Math.max(offset, end - 1) / chunkSize)) {
        const c = await chunk(first);
        return c.subarray(offset - first * chunkSize, end - first * chunkSize);
      }
      const out = new Uint8Array(length);
      for (let i = first; i * chunkSize < end; i++) {
        const c = await chunk(i);
        const from = Math.max(offset, i * chunkSize);
        const to = Math.min(end, (i + 1) * chunkSize);
        out.set(c.subarray(from - i * chunkSize, to - i * chunkSize), from - offset);
      }
      return out;
    },
  };
}

/**
 * `openDerivedWriter` with the checks `storeDerived` makes first: room for `size` bytes
 * (never evicting other models for a derived file) and a stored source to tag it with.
 * @returns undefined when either is missing: the caller keeps the file in memory instead.
 */
export async function writeDerivedFile(store: UseStore, src: DerivedSource, path: string, size: number): Promise<DerivedWriter | undefined> {
  const plan = normalizeOptions({ key: src.key, baseUrl: src.baseUrl, files: [{ path }], store });
  try {
    await ensureRoom({ store, key: src.key, needed: size, estimate: plan.estimate, eviction: 'none' });
  } catch (e) {
    if (isQuotaError(e) || (isEdgewiseError(e) && e.code === 'quota_exceeded')) return undefined;
    throw e;
  }
  return openDerivedWriter(store, src, path, size, plan.chunkSize);
}

/**
 * Derived files too large to hold whole next to what reads them: the weight transform
 * writes its output straight into the cache a chunk at a time (`openDerivedWriter`), and
 * the decoder kernel reads a stored form back tensor by tensor (`stored-range.ts`). At
 * SmolLM2-1.7B's shape either one whole would be another 1.7 GB in the worker.
 *
 * Same chunked, checksummed format and tags as `derived.ts`; the manifest is still the very
 * last write, so a file interrupted half-way is a partial record nothing ever reads as complete.
 */
import { isEdgewiseError } from '../errors.js';
import { deleteFile, getModelRecords, putChunk, putRecords, type ManifestRecord, type PartialRecord, type UseStore } from './idb.js';
import { chunkChecksum, createFileHasher } from './integrity.js';
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

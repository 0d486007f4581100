/**
 * Random access to a stored file without reading it whole: the decoder kernel reads a
 * stored weight form tensor by tensor, and the weight transform reads a source it did not
 * keep in memory (see FileRequest.byRange) the same way.
 */
import { EdgewiseError } from '../errors.js';
import { getChunk, getModelRecords, type UseStore } from './idb.js';
import { chunkIntact } from './integrity.js';
import { freeBytes } from '../free-bytes.js';

/** Random access to a stored file without reading it whole. */
export interface StoredRange {
  readonly size: number;
  /** Bytes `offset … offset + length`, every chunk they touch checked against its checksum. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** The same bytes copied into `out` (its length): no chunk is lent, so each is freed when it leaves. */
  readInto(offset: number, out: Uint8Array): Promise<void>;
  /** Lets go of the chunks kept for later reads (the range still reads, fetching again). */
  close(): void;
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
  // Insertion order is use order: the first key is the least recently used. A chunk never
  // handed out as a view (`lent`) is freed when it leaves, not left to the collector: a kernel
  // reading a 1.7 GB form otherwise leaves tens of MB of read chunks waiting for a collection.
  const held = new Map<number, { p: Promise<Uint8Array>; lent: boolean }>();
  const fetchChunk = async (index: number): Promise<Uint8Array> => {
    const bytes = await getChunk(store, key, path, index);
    const expected = Math.min(chunkSize, size - index * chunkSize);
    if (!bytes || !(await chunkIntact(bytes, expected, checksums[index]))) {
      throw new EdgewiseError('integrity_error', `Chunk ${index} of the stored ${path} is missing or damaged; load the model again: the next load fetches or remakes it.`, { details: { file: path } });
    }
    return bytes;
  };
  const evict = (index: number): void => {
    const e = held.get(index);
    held.delete(index);
    if (e && !e.lent) e.p.then(freeBytes, () => undefined);
  };
  const use = (index: number): { p: Promise<Uint8Array>; lent: boolean } => {
    let e = held.get(index);
    if (e) held.delete(index);
    else {
      e = { p: fetchChunk(index), lent: false };
      // A chunk read ahead and never asked for must not report its failure.
      e.p.catch(() => undefined);
    }
    held.set(index, e);
    while (held.size > KEEP) evict(held.keys().next().value as number);
    return e;
  };
  const chunk = (index: number): { p: Promise<Uint8Array>; lent: boolean } => {
    for (let i = index + 1; i <= Math.min(count - 1, index + READ_AHEAD); i++) if (!held.has(i)) use(i);
    return use(index);
  };
  const check = (offset: number, length: number): void => {
    if (offset < 0 || length < 0 || offset + length > size) throw new EdgewiseError('integrity_error', `${path} holds ${size} bytes; ${offset} + ${length} were asked for: the stored form is damaged.`, { details: { file: path } });
  };
  // Reads are sequential (one caller, one read at a time): a chunk is copied from as soon
  // as it arrives, before any other read can evict (and free) it.
  const copyInto = async (offset: number, out: Uint8Array): Promise<void> => {
    const end = offset + out.length;
    for (let i = Math.floor(offset / chunkSize); i * chunkSize < end; i++) {
      const c = await chunk(i).p;
      const from = Math.max(offset, i * chunkSize);
      const to = Math.min(end, (i + 1) * chunkSize);
      out.set(c.subarray(from - i * chunkSize, to - i * chunkSize), from - offset);
    }
  };
  return {
    size,
    close: () => {
      for (const i of [...held.keys()]) evict(i);
    },
    async read(offset, length) {
      check(offset, length);
      const first = Math.floor(offset / chunkSize);
      const end = offset + length;
      // Within one chunk: a view, no copy (and the chunk is then the caller's as long as it likes).
      if (first === Math.floor(Math.max(offset, end - 1) / chunkSize)) {
        const e = chunk(first);
        e.lent = true;
        return (await e.p).subarray(offset - first * chunkSize, end - first * chunkSize);
      }
      const out = new Uint8Array(length);
      await copyInto(offset, out);
      return out;
    },
    async readInto(offset, out) {
      check(offset, out.length);
      await copyInto(offset, out);
    },
  };
}

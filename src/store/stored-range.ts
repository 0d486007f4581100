/**
 * Random access to a stored file without reading it whole: the decoder kernel reads a
 * stored weight form tensor by tensor, and the weight transform reads a source it did not
 * keep in memory (see FileRequest.byRange) the same way.
 */
import { EdgewiseError } from '../errors.js';
import { getChunk, getModelRecords, type UseStore } from './idb.js';
import { chunkIntact } from './integrity.js';

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

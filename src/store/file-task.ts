/**
 * One file of a load: read what is stored (checking every chunk), and fetch the rest.
 * A damaged stored chunk turns a complete file back into a partial one that resumes at
 * that chunk, so repairing costs a Range request instead of a full download.
 */
import { EdgewiseError, isEdgewiseError } from '../errors.js';
import { download, probe, type RemoteInfo } from './download.js';
import { deleteFile, getChunk, putRecords, type FileRecord, type UseStore } from './idb.js';
import { chunkIntact } from './integrity.js';
import type { ProgressTracker } from './progress.js';
import { FileSink } from './sink.js';
import { storedRange, type StoredRange } from './stored-range.js';

/** What the load knows about one requested file before its task runs. */
export interface FileJob {
  path: string;
  url: string;
  sha256: string | undefined;
  optional: boolean;
  /** The stored record, if any (a stale one is removed before the task runs). */
  record: FileRecord | undefined;
  /** Preflight answer; undefined for files expected to come from the cache. */
  remote: RemoteInfo | undefined;
  /** Stored and read back by range instead of returned whole (see FileRequest.byRange). */
  byRange: boolean;
}

/** Settings shared by the file tasks of one load. */
export interface TaskContext {
  key: string;
  baseUrl: string;
  store: UseStore | undefined;
  fetch: typeof fetch;
  signal: AbortSignal;
  chunkSize: number;
  retries: number;
  retryDelayMs: number;
  tracker: ProgressTracker;
}

/**
 * Loads one file into an exact-size buffer, from storage, the network, or both; a file
 * asked for by range (and cached) is stored, checked and answered as a stored range instead.
 */
export async function loadFile(job: FileJob, ctx: TaskContext): Promise<Uint8Array | StoredRange> {
  let { record, remote } = job;
  if (record && remote && !sameVersion(record, remote) && ctx.store) {
    // The stored bytes belong to another version of the file: start over.
    await deleteFile(ctx.store, ctx.key, job.path);
    record = undefined;
  }
  const chunkSize = record?.chunkSize ?? ctx.chunkSize;
  const file = { model: ctx.key, path: job.path, url: job.url, baseUrl: ctx.baseUrl, sha256: job.sha256 };
  const start: RemoteInfo = record ? { size: record.size, etag: record.etag } : remote ?? { size: undefined, etag: null };
  const sink = await FileSink.create(file, ctx.store, ctx.tracker, chunkSize, start, !job.byRange);
  const answer = async (bytes: Uint8Array): Promise<Uint8Array | StoredRange> => (sink.keeps || !ctx.store ? bytes : storedRange(ctx.store, ctx.key, job.path));

  if (record && ctx.store) {
    const good = await readStored(ctx.store, record, (chunk) => sink.takeStored(chunk), ctx);
    if (record.state === 'complete' && good === record.size) {
      // Last-use bookkeeping is not worth delaying the load for; LRU tolerates a lost update.
      putRecords(ctx.store, [{ ...record, lastUsed: Date.now() }]).catch(() => undefined);
      ctx.tracker.finish(job.path, record.size, 'cache');
      return answer(sink.buffer);
    }
    if (record.state === 'complete') {
      // Mark the damage at once, so the file no longer counts as cached if repair fails.
      const { chunkCount: _n, sha256: _h, storedAt: _t, ...base } = record;
      await putRecords(ctx.store, [{ ...base, state: 'partial', bytes: good, checksums: record.checksums.slice(0, good / chunkSize), lastUsed: Date.now() }]);
      remote = await repairProbe(job.url, ctx);
    }
    sink.resumeAfter(good, record.checksums);
    if (remote && !sameVersion(record, remote)) await sink.begin(remote, 0);
  }

  await download(job.url, sink, {
    fetch: ctx.fetch,
    signal: ctx.signal,
    retries: ctx.retries,
    retryDelayMs: ctx.retryDelayMs,
    progressUnit: chunkSize,
    hasStoredBytes: () => sink.storedBytes > 0,
  });
  const { bytes } = await sink.finish();
  ctx.tracker.finish(job.path, sink.size ?? bytes.length, 'network');
  return answer(bytes);
}

/** True when the server's size and ETag (where known) match the stored bytes. */
export function sameVersion(record: FileRecord, remote: RemoteInfo): boolean {
  return (remote.etag === null || remote.etag === record.etag) && (remote.size === undefined || remote.size === record.size);
}

/**
 * Hands the stored chunks counted by `record` to `take` in order, checking each length
 * and checksum. Stops at the first missing or damaged chunk.
 * @returns how many leading bytes are intact.
 */
const READ_AHEAD = 3;

async function readStored(store: UseStore, record: FileRecord, take: (chunk: Uint8Array) => void, ctx: TaskContext): Promise<number> {
  const counted = record.state === 'complete' ? record.size : record.bytes;
  const chunks = Math.ceil(counted / record.chunkSize);
  let good = 0;
  const fetchChunk = (i: number): Promise<Uint8Array | undefined> | undefined => {
    if (i >= chunks) return undefined;
    const p = getChunk(store, record.model, record.path, i);
    p.catch(() => undefined);
    return p;
  };
  // Reads ahead: IndexedDB fetches the next chunks while this one is checked and copied
  // (measured: ~60% of raw read speed with none in flight).
  const ahead = Array.from({ length: READ_AHEAD }, (_, i) => fetchChunk(i));
  for (let i = 0; i < chunks; i++) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    const expected = Math.min(record.chunkSize, counted - good);
    const bytes = await ahead.shift();
    ahead.push(fetchChunk(i + READ_AHEAD));
    if (!bytes || !(await chunkIntact(bytes, expected, record.checksums[i]))) break;
    take(bytes);
    good += expected;
    ctx.tracker.update(record.path, good, 'cache');
  }
  return good;
}

/** Preflight for a cached file found damaged: no network here means `offline`, not garbage. */
async function repairProbe(url: string, ctx: TaskContext): Promise<RemoteInfo> {
  let info: RemoteInfo | 'missing';
  try {
    info = await probe(url, ctx.fetch, ctx.signal, true);
  } catch (e) {
    if (!isEdgewiseError(e) || e.code !== 'offline') throw e;
    throw new EdgewiseError('offline', `The cached copy of ${url} is damaged and the network is unavailable to repair it. Reconnect and load again: only the damaged part is downloaded.`, { cause: e, details: { url } });
  }
  if (info === 'missing') {
    throw new EdgewiseError('model_not_found', `The cached copy of ${url} is damaged and the server no longer has the file (404). Check the model URL.`, { details: { url } });
  }
  return info;
}

/**
 * Files the SDK makes from a model's files (the WASM weight transform's output), stored
 * next to them under the same model key, in the same chunked, checksummed format. A
 * derived file is tagged with the identity it was made from: the source file's sha256 and
 * the maker's version. A tag that no longer matches (the source was re-downloaded in
 * another version, or the SDK changed the transform) means the file is rebuilt.
 *
 * Reading goes through `loadModelFiles` like any cached file (checksums, progress, no
 * network). Storing is best effort: a full disk costs the next load a transform, never
 * this load its model.
 */
import { isEdgewiseError } from '../errors.js';
import { deleteFile, deleteFiles, getModelRecords, type UseStore } from './idb.js';
import { withModelLock } from './lock.js';
import { normalizeOptions } from './options.js';
import { ProgressTracker } from './progress.js';
import { ensureRoom, isQuotaError } from './quota.js';
import { FileSink } from './sink.js';

export interface DerivedSource {
  key: string;
  baseUrl: string;
  /** The file the derived ones are made from. */
  path: string;
  /** What made them and how (e.g. `wasm-int8/v1`): part of the tag. */
  maker: string;
}

/** The tag a derived file carries, kept in its record's `etag` (derived files have no HTTP one). */
export const derivedTag = (sha256: string, maker: string): string => `derived:${maker}:${sha256}`;

/** The source file's sha256 when it is stored complete; undefined otherwise. */
export async function storedSha256(store: UseStore, key: string, path: string): Promise<string | undefined> {
  const r = (await getModelRecords(store, key)).get(path);
  return r?.state === 'complete' ? r.sha256 : undefined;
}

/**
 * True when every derived path is stored complete with the tag of the source as it is
 * stored now. Derived files with another tag are deleted on the way (they can never be
 * used again).
 */
export async function hasDerived(store: UseStore, src: DerivedSource, paths: readonly string[]): Promise<boolean> {
  const records = await getModelRecords(store, src.key);
  const source = records.get(src.path);
  const tag = source?.state === 'complete' ? derivedTag(source.sha256, src.maker) : undefined;
  let all = true;
  for (const p of paths) {
    const r = records.get(p);
    if (r && r.etag !== tag) await deleteFile(store, src.key, p);
    if (!r || r.etag !== tag || r.state !== 'complete') all = false;
  }
  return all && tag !== undefined;
}

/** Forgets derived files (a damaged one, or one the runtime would not open). */
export function deleteDerived(store: UseStore, key: string, paths: readonly string[]): Promise<void> {
  return deleteFiles(store, key, paths);
}

/**
 * Stores derived files tagged with the source's current sha256.
 * @returns true when stored; false when there was no room or the source is not stored
 *   (partial files are removed either way).
 */
export async function storeDerived(store: UseStore, src: DerivedSource, files: ReadonlyMap<string, Uint8Array>, signal?: AbortSignal): Promise<boolean> {
  const plan = normalizeOptions({ key: src.key, baseUrl: src.baseUrl, files: [...files.keys()].map((path) => ({ path })), store });
  return withModelLock(src.key, signal, async () => {
    const sha = await storedSha256(store, src.key, src.path);
    if (!sha) return false;
    const tracker = new ProgressTracker(undefined);
    try {
      const needed = [...files.values()].reduce((a, b) => a + b.length, 0);
      await ensureRoom({ store, key: src.key, needed, estimate: plan.estimate, eviction: 'none' });
      for (const [path, bytes] of files) {
        const url = new URL(path, src.baseUrl).href;
        const sink = await FileSink.of({ model: src.key, path, url, baseUrl: src.baseUrl, sha256: undefined }, store, tracker, plan.chunkSize, bytes, derivedTag(sha, src.maker));
        await sink.finish(signal);
      }
      return true;
    } catch (e) {
      await deleteDerived(store, src.key, [...files.keys()]).catch(() => undefined);
      if (isQuotaError(e) || (isEdgewiseError(e) && e.code === 'quota_exceeded')) return false;
      throw e;
    }
  });
}

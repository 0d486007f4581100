/**
 * `loadModelFiles`: plan from the stored records, preflight what must come over the
 * network, check the quota, then run the file tasks with bounded parallelism.
 */
import { EdgewiseError, isEdgewiseError } from '../errors.js';
import { probe } from './download.js';
import { loadFile, sameVersion, type FileJob, type TaskContext } from './file-task.js';
import { deleteFile, getModelRecords, storedBytes, type FileRecord, type UseStore } from './idb.js';
import { withModelLock } from './lock.js';
import { normalizeOptions, type LoadFilesOptions, type LoadPlan } from './options.js';
import { runPool } from './pool.js';
import type { StoredRange } from './stored-range.js';
import { ProgressTracker } from './progress.js';
import { requestPersistenceOnce } from './persist.js';
import { availableBytes, ensureRoom, isQuotaError, quotaError } from './quota.js';

/**
 * Loads the files of a model, from IndexedDB when they are stored complete and intact
 * (no network request at all), otherwise over the network with resume, integrity checks
 * and chunked storage. Optional files that answer 404 are absent from the result.
 *
 * @returns one exact-size buffer per file, by path, in request order.
 * @throws EdgewiseError `model_not_found`, `not_a_model`, `integrity_error`,
 *   `quota_exceeded`, `offline`, `aborted`, `cache_error` or `invalid_request`.
 * @example
 * const files = await loadModelFiles({
 *   key: 'stories260K:q4',
 *   baseUrl: 'https://example.com/stories260K/',
 *   files: [{ path: 'onnx/model_q4.onnx' }],
 *   onProgress: (p) => console.log(`${p.totalLoaded}/${p.totalBytes} from ${p.source}`),
 * });
 * const graph = files.get('onnx/model_q4.onnx');
 */
export async function loadModelFiles(options: LoadFilesOptions): Promise<Map<string, Uint8Array>> {
  const files = await loadModelFilesByRange({ ...options, files: options.files.map(({ byRange: _r, ...f }) => f) });
  return files as Map<string, Uint8Array>;
}

/**
 * The same, where files asked for `byRange` are stored without being held whole and come
 * back as a {@link StoredRange} (only when caching: with `cache: false` they come whole).
 */
export async function loadModelFilesByRange(options: LoadFilesOptions): Promise<Map<string, Uint8Array | StoredRange>> {
  const plan = normalizeOptions(options);
  try {
    return await withModelLock(plan.key, plan.signal, () => run(plan));
  } catch (e) {
    if (plan.signal?.aborted) throw aborted(plan.signal.reason);
    throw e;
  }
}

async function run(plan: LoadPlan): Promise<Map<string, Uint8Array | StoredRange>> {
  const internal = new AbortController();
  const signal = plan.signal ? AbortSignal.any([plan.signal, internal.signal]) : internal.signal;
  const tracker = new ProgressTracker(plan.onProgress);
  const jobs: FileJob[] = [];
  let needed = 0;
  try {
    jobs.push(...(await planJobs(plan)));
    const network = jobs.filter((j) => j.record?.state !== 'complete');
    await runPool(network, plan.concurrency, internal, async (job) => {
      const answer = await probe(job.url, plan.fetch, signal, job.record !== undefined && storedBytes(job.record) > 0);
      if (answer !== 'missing') job.remote = answer;
      else if (!job.optional) throw missing(job.url);
      // A partial download of a file the server no longer has can never complete.
      else if (job.record && plan.store) await deleteFile(plan.store, plan.key, job.path);
    });
    const present = jobs.filter((j) => j.record?.state === 'complete' || j.remote !== undefined);
    for (const j of present) tracker.setTotal(j.path, j.remote?.size ?? j.record?.size ?? 0);
    needed = network.reduce((sum, j) => sum + stillNeeded(j), 0);
    if (plan.store && network.length > 0) {
      await ensureRoom({ store: plan.store, key: plan.key, needed, estimate: plan.estimate, eviction: plan.eviction });
      void requestPersistenceOnce();
    }

    const ctx: TaskContext = {
      key: plan.key, baseUrl: plan.baseUrl, store: plan.store, fetch: plan.fetch, signal,
      chunkSize: plan.chunkSize, retries: plan.retries, retryDelayMs: plan.retryDelayMs, tracker,
    };
    const results = new Map<string, Uint8Array | StoredRange>();
    await runPool(present, plan.concurrency, internal, async (job) => {
      results.set(job.path, await loadFile(job, ctx));
    });
    return new Map(present.map((j) => [j.path, results.get(j.path) ?? new Uint8Array(0)]));
  } catch (e) {
    if (plan.signal?.aborted) throw aborted(plan.signal.reason);
    if (plan.store && (isQuotaError(e) || (isEdgewiseError(e) && e.code === 'quota_exceeded'))) {
      // Best effort: the quota error matters more than a failed cleanup.
      await removeIncomplete(plan.store, plan.key, jobs).catch(() => undefined);
      if (isEdgewiseError(e)) throw e;
      throw quotaError(needed, await availableBytes(plan.estimate), e);
    }
    if (isEdgewiseError(e)) throw e;
    throw new EdgewiseError('cache_error', `The model cache (IndexedDB) failed: ${e instanceof Error ? e.message : String(e)}. Try again; if it persists, clear this site's storage or load with cache: false.`, { cause: e });
  }
}

/** One job per distinct path, with its stored record; records the caller's sha256 rules out are deleted. */
async function planJobs(plan: LoadPlan): Promise<FileJob[]> {
  const records = plan.store ? await getModelRecords(plan.store, plan.key) : new Map<string, FileRecord>();
  const jobs = new Map<string, FileJob>();
  for (const f of plan.files) {
    if (jobs.has(f.path)) continue;
    let record = records.get(f.path);
    if (record?.state === 'complete' && f.sha256 !== undefined && record.sha256 !== f.sha256.toLowerCase() && plan.store) {
      // The caller expects another version than the one stored.
      await deleteFile(plan.store, plan.key, f.path);
      record = undefined;
    }
    const url = new URL(f.path, plan.baseUrl).href;
    jobs.set(f.path, { path: f.path, url, sha256: f.sha256, optional: f.optional ?? false, record, remote: undefined, byRange: f.byRange === true });
  }
  return [...jobs.values()];
}

/** Bytes a network job still has to store: a matching partial download counts as done. */
function stillNeeded(job: FileJob): number {
  const size = job.remote?.size ?? 0;
  const r = job.record;
  return r?.state === 'partial' && job.remote && sameVersion(r, job.remote) ? Math.max(0, size - r.bytes) : size;
}

/** After a quota failure: delete everything of this load that is not a complete file. */
async function removeIncomplete(store: UseStore, key: string, jobs: readonly FileJob[]): Promise<void> {
  const records = await getModelRecords(store, key);
  for (const j of jobs) {
    if (records.get(j.path)?.state !== 'complete') await deleteFile(store, key, j.path);
  }
}

function missing(url: string): EdgewiseError {
  return new EdgewiseError('model_not_found', `${url} was not found (404): check the model URL and the file name.`, { details: { url, status: 404 } });
}

function aborted(reason: unknown): EdgewiseError {
  return new EdgewiseError('aborted', 'Loading was aborted. What was downloaded is kept: the next load resumes from it.', { cause: reason });
}

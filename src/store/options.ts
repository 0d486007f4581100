/** Options of `loadModelFiles`, their defaults and their validation. */
import { EdgewiseError } from '../errors.js';
import type { Progress } from '../types.js';
import { defaultStore, type UseStore } from './idb.js';
import { defaultEstimate, type EstimateFn } from './quota.js';

/** One file of a model, relative to the model folder. */
export interface FileRequest {
  path: string;
  /** Expected sha256 (hex). When set, a mismatch fails with `integrity_error` and nothing is kept. */
  sha256?: string;
  /** When true, a 404 leaves the file out of the result instead of failing the load. */
  optional?: boolean;
  /**
   * When true (and caching), the file is stored without ever being whole in memory and is
   * read back by range (`loadModelFilesByRange`): weights that a transform reads tensor by tensor.
   */
  byRange?: boolean;
}

export interface LoadFilesOptions {
  /** Cache key of the model, e.g. `'stories260K:q4'`. */
  key: string;
  /** Model folder URL ending in `/`; a file's URL is `new URL(path, baseUrl)`. */
  baseUrl: string;
  files: readonly FileRequest[];
  /** Default true; false downloads into memory only and touches no storage. */
  cache?: boolean;
  /** Default `'none'`: fail with `quota_exceeded`. `'lru'` deletes least recently used other models to make room. */
  eviction?: 'none' | 'lru';
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  /** Files fetched in parallel; default 3. */
  concurrency?: number;
  /** Bytes per stored chunk; default 4 MiB, at least 4 KiB. A partly stored file keeps its own. */
  chunkSize?: number;
  /** Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Attempts per file after a cut stream or a 5xx, counted in a row; default 3. */
  retries?: number;
  /** Wait before retry n is n times this; default 500 ms. */
  retryDelayMs?: number;
  /** Storage estimate used for the quota preflight; default `navigator.storage.estimate`. */
  estimate?: EstimateFn;
  /** The idb-keyval store; default the SDK's own (`edgewise-weights`). */
  store?: UseStore;
}

/** Options with every default applied. */
export interface LoadPlan {
  key: string;
  baseUrl: string;
  files: readonly FileRequest[];
  store: UseStore | undefined;
  eviction: 'none' | 'lru';
  onProgress: ((p: Progress) => void) | undefined;
  signal: AbortSignal | undefined;
  concurrency: number;
  chunkSize: number;
  fetch: typeof fetch;
  retries: number;
  retryDelayMs: number;
  estimate: EstimateFn | undefined;
}

const MIN_CHUNK = 4096;

function invalid(message: string): EdgewiseError {
  return new EdgewiseError('invalid_request', message);
}

function positiveInt(value: number | undefined, fallback: number, name: string, min = 1): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) throw invalid(`${name} must be an integer >= ${min}, got ${value}.`);
  return value;
}

/**
 * Applies defaults and rejects malformed options early, with a message that names the option.
 * @throws EdgewiseError `invalid_request`.
 */
export function normalizeOptions(o: LoadFilesOptions): LoadPlan {
  if (typeof o.key !== 'string' || o.key === '') throw invalid('loadModelFiles needs a non-empty `key` (e.g. "model-id:dtype").');
  try {
    new URL(o.baseUrl);
  } catch {
    throw invalid(`baseUrl must be an absolute URL ending in "/", got ${JSON.stringify(o.baseUrl)}.`);
  }
  for (const f of o.files) {
    if (typeof f.path !== 'string' || f.path === '') throw invalid('Every file needs a non-empty `path`.');
    if (f.sha256 !== undefined && !/^[0-9a-fA-F]{64}$/.test(f.sha256)) throw invalid(`sha256 of ${f.path} must be 64 hex digits.`);
  }
  const fetchFn = o.fetch ?? globalThis.fetch.bind(globalThis);
  return {
    key: o.key,
    baseUrl: o.baseUrl,
    files: o.files,
    store: o.cache === false ? undefined : o.store ?? defaultStore(),
    eviction: o.eviction ?? 'none',
    onProgress: o.onProgress,
    signal: o.signal,
    concurrency: positiveInt(o.concurrency, 3, 'concurrency'),
    chunkSize: positiveInt(o.chunkSize, 4 * 1024 * 1024, 'chunkSize', MIN_CHUNK),
    fetch: fetchFn,
    retries: positiveInt(o.retries, 3, 'retries', 0),
    retryDelayMs: positiveInt(o.retryDelayMs, 500, 'retryDelayMs', 0),
    estimate: o.estimate ?? defaultEstimate(),
  };
}

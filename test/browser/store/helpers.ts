/** Shared pieces of the store suites: assertions, server control, IDB peeking. */
import { isEdgewiseError, type EdgewiseError, type EdgewiseErrorCode } from '../../../src/errors.js';
import { clearCache, loadModelFiles, type LoadFilesOptions } from '../../../src/store/index.js';
import { chunkKey, defaultStore, getModelRecords, type FileRecord } from '../../../src/store/idb.js';
import { promisifyRequest } from 'idb-keyval';

export { MODEL_SERVER, assert, assertEqual } from '../helpers.js';
import { MODEL_SERVER, assert } from '../helpers.js';

/** Awaits a call that must fail with an EdgewiseError of `code`; returns the error. */
export async function expectCode(call: Promise<unknown>, code: EdgewiseErrorCode): Promise<EdgewiseError> {
  let error: unknown;
  try {
    await call;
  } catch (e) {
    error = e;
  }
  assert(error !== undefined, `expected ${code}, but the call succeeded`);
  assert(isEdgewiseError(error), `expected an EdgewiseError ${code}, got ${String(error)}`);
  assert(error.code === code, `expected ${code}, got ${error.code}: ${error.message}`);
  return error;
}

export interface LogEntry {
  method: string;
  path: string;
  range: string | null;
  status: number;
  bytesSent: number;
  fault: string | null;
}

export interface FaultRule {
  match: string;
  times?: number;
  method?: string;
  status?: number;
  html?: boolean;
  cutAfter?: number;
  corrupt?: { offset: number; length?: number };
  ignoreRange?: boolean;
  etag?: string;
  bytesPerSecond?: number;
  delayMs?: number;
}

async function control(path: string, body?: unknown): Promise<void> {
  const res = await fetch(`${MODEL_SERVER}/__ctl/${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  assert(res.ok, `control ${path} answered ${res.status}: ${await res.text()}`);
}

export const setFaults = (rules: FaultRule[]): Promise<void> => control('faults', rules);
export const setOffline = (on: boolean): Promise<void> => control('offline', { on });
export const resetServer = (): Promise<void> => control('reset');

/** GET/HEAD requests the model server saw (CORS preflights left out). */
export async function serverLog(): Promise<LogEntry[]> {
  const all = (await (await fetch(`${MODEL_SERVER}/__ctl/log`)).json()) as LogEntry[];
  return all.filter((e) => e.method !== 'OPTIONS');
}

/** Fresh server state and an empty cache, for `beforeEach`. */
export async function freshState(): Promise<void> {
  await resetServer();
  await clearCache();
}

/** Base URL of the generated blobs of the model server. */
export const genBase = (size: number): string => `${MODEL_SERVER}/gen/${size}/`;

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The sha256 of a file as the server sends it (call before resetting the server log). */
export async function sourceSha(url: string): Promise<string> {
  const res = await fetch(url, { cache: 'no-store' });
  return sha256Hex(new Uint8Array(await res.arrayBuffer()));
}

/** Loads and returns the single requested file; fails if it is missing. */
export async function loadOne(o: Omit<LoadFilesOptions, 'files'> & { path: string; sha256?: string }): Promise<Uint8Array> {
  const { path, sha256, ...rest } = o;
  const files = await loadModelFiles({ ...rest, files: [sha256 === undefined ? { path } : { path, sha256 }] });
  const bytes = files.get(path);
  assert(bytes, `${path} missing from the result`);
  return bytes;
}

/** Seeded PRNG, so "random" offsets are the same on every run: the sampler's own. */
export { createRng as seeded } from '../../../src/backends/onnx/sampling.js';

export async function records(key: string): Promise<Map<string, FileRecord>> {
  return getModelRecords(defaultStore(), key);
}

/** Every IDB key of a model (chunks and records), straight from the store's layout. */
export async function keysOf(key: string): Promise<IDBValidKey[]> {
  const all = await defaultStore()('readonly', (s) => promisifyRequest(s.getAllKeys()));
  return all.filter((k) => Array.isArray(k) && k[1] === key);
}

/** Flips one byte of a stored chunk in place, through the store's own key layout. */
export async function corruptStoredChunk(key: string, path: string, index: number, at = 0): Promise<void> {
  const k = chunkKey(key, path, index);
  await defaultStore()('readwrite', async (s) => {
    const value = (await promisifyRequest(s.get(k))) as ArrayBuffer | undefined;
    assert(value instanceof ArrayBuffer, `chunk ${index} of ${path} is not stored`);
    const bytes = new Uint8Array(value);
    bytes[at % bytes.length] = (bytes[at % bytes.length] ?? 0) ^ 0x5a;
    s.put(value, k);
    return promisifyRequest(s.transaction);
  });
}

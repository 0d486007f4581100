/**
 * Abort and dispose in the middle of the weight transform (issue 19): a cold load (cache
 * cleared) runs until every byte has arrived, waits `delayMs` more so the transform is
 * running, then (a) aborts the load's AbortSignal or (b) calls `engine.dispose()`.
 * `settleMs` is the time from that call to the load's promise settling (target ≤ 100 ms).
 * Then IndexedDB is read directly for what the load left under `edgewise/` (the derived
 * forms' paths), and a fresh engine loads and generates, to show the next load works.
 *
 * Without `delayMs` a reference load (not aborted) comes first: the delay is 40% of its
 * transform time, so the abort lands in the middle of the transform, not before or after it.
 */
import type { Engine } from '/dist/edgewise.js';
import { engineFor, weightsOf, type ScaleConfig } from './scale-util.js';
import { log, now, round } from './util.js';

interface StoredFile { path: string; state: string; size: number; etag: string | null }

/** The weight store's file records for one model, read as the worker writes them. */
function storedFiles(key: string): Promise<StoredFile[]> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('edgewise-weights');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('entries')) { db.close(); resolve([]); return; }
      const req = db.transaction('entries', 'readonly').objectStore('entries').getAll(IDBKeyRange.bound(['file', key], ['file', key, []]));
      req.onsuccess = () => { db.close(); resolve((req.result as StoredFile[]).map(({ path, state, size, etag }) => ({ path, state, size, etag }))); };
      req.onerror = () => { db.close(); reject(req.error); };
    };
  });
}

/** Chunks stored under the derived paths: a partial write leaves chunks even where it has no record. */
function derivedChunks(key: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('edgewise-weights');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('entries')) { db.close(); resolve(0); return; }
      const req = db.transaction('entries', 'readonly').objectStore('entries').count(IDBKeyRange.bound(['chunk', key, 'edgewise/'], ['chunk', key, 'edgewise/\uffff']));
      req.onsuccess = () => { db.close(); resolve(req.result); };
      req.onerror = () => { db.close(); reject(req.error); };
    };
  });
}

const sleep = (ms: number): Promise<void> => new Promise((ok) => setTimeout(ok, ms));
const codeOf = (e: unknown): string => (typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : `${e instanceof Error ? e.name : 'thrown'}: ${String(e)}`);

async function reference(cfg: ScaleConfig): Promise<{ loadMs: number; bytesMs: number | null; transformMs: number | null }> {
  const e = engineFor(cfg);
  try {
    await e.cache.clear();
    let bytesAt: number | undefined;
    const t0 = now();
    await e.load({ onProgress: (p) => { if (bytesAt === undefined && p.totalLoaded >= p.totalBytes) bytesAt = now(); } });
    const loadMs = now() - t0;
    const w = await weightsOf(e);
    await e.cache.clear();
    return { loadMs: round(loadMs) as number, bytesMs: bytesAt === undefined ? null : round(bytesAt - t0), transformMs: round(w?.transformMs) };
  } finally {
    await e.dispose();
  }
}

async function nextLoad(cfg: ScaleConfig, key: string): Promise<Record<string, unknown>> {
  const e: Engine = engineFor(cfg);
  try {
    const t0 = now();
    await e.load();
    const loadMs = round(now() - t0);
    const weights = await weightsOf(e);
    const text = await e.text({ prompt: cfg.prompt, maxTokens: 4, temperature: 0 });
    const stored = (await storedFiles(key)).filter((f) => f.path.startsWith('edgewise/'));
    return { ok: true, loadMs, weights, generatedChars: text.length, derivedAfter: stored.map((f) => `${f.path} (${f.state})`) };
  } catch (err) {
    return { ok: false, error: codeOf(err) };
  } finally {
    await e.cache.clear().catch(() => undefined);
    await e.dispose();
  }
}

export async function runScaleAbort(cfg: ScaleConfig, mode: 'abort' | 'dispose', delayMs: number | null): Promise<Record<string, unknown>> {
  const key = `${cfg.model}:${cfg.dtype}`;
  const ref = delayMs === null ? await reference(cfg) : undefined;
  const delay = delayMs ?? Math.max(0, Math.round((ref?.transformMs ?? 0) * 0.4));
  const e = engineFor(cfg);
  await e.cache.clear();
  const ac = new AbortController();
  let bytesAt: number | undefined;
  let allBytes: () => void = () => undefined;
  const bytes = new Promise<void>((ok) => { allBytes = ok; });
  let settled: { at: number; outcome: string } | undefined;
  const t0 = now();
  const load = e.load({ signal: ac.signal, onProgress: (p) => { if (bytesAt === undefined && p.totalLoaded >= p.totalBytes) { bytesAt = now(); allBytes(); } } }).then(
    () => { settled = { at: now(), outcome: 'resolved' }; },
    (err: unknown) => { settled = { at: now(), outcome: codeOf(err) }; },
  );
  await Promise.race([bytes, load]);
  if (settled === undefined) await sleep(delay);
  const before = settled;
  log(`scale abort ${cfg.model}: ${mode} ${round((bytesAt ?? now()) - t0)} ms + ${delay} ms after the load began`);
  const tCall = now();
  let disposedAt: number | undefined;
  const disposed = mode === 'dispose' ? e.dispose().then(() => { disposedAt = now(); }) : undefined;
  if (mode === 'abort') ac.abort();
  await load;
  await disposed;
  const s = settled as unknown as { at: number; outcome: string };
  const settleMs = round(s.at - tCall);
  // The page's promise leaves at once on its own signal; the worker stops at its next
  // check. A call the worker answers shows when it is free again (a transform that never
  // yields would hold it to the end).
  let workerAnswerMs: number | null = null;
  if (mode === 'abort') {
    await e.cache.usage();
    workerAnswerMs = round(now() - tCall);
    await e.dispose();
  }
  const left = await storedFiles(key);
  const derived = left.filter((f) => f.path.startsWith('edgewise/'));
  const result = {
    mode, delayAfterBytesMs: delay, bytesMs: bytesAt === undefined ? null : round(bytesAt - t0),
    settledBeforeTheCall: before !== undefined, outcome: s.outcome, settleMs, workerAnswerMs,
    disposeResolvedMs: disposedAt === undefined ? null : round(disposedAt - tCall),
    derivedRecordsLeft: derived.map((f) => `${f.path} (${f.state})`), derivedChunksLeft: await derivedChunks(key),
    sourceRecordsLeft: left.filter((f) => !f.path.startsWith('edgewise/')).map((f) => `${f.path} (${f.state})`),
    ...(ref ? { reference: ref } : {}),
    next: await nextLoad(cfg, key),
  };
  log(`scale abort ${cfg.model}: ${mode} settled in ${settleMs} ms as ${s.outcome} (worker answers after ${workerAnswerMs ?? '–'} ms, dispose resolved after ${result.disposeResolvedMs ?? '–'} ms); derived left: ${result.derivedRecordsLeft.length} records, ${result.derivedChunksLeft} chunks; next load ${(result.next as { ok: boolean }).ok ? 'works' : 'FAILS'}`);
  return result;
}

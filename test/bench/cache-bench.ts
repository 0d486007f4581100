/** Loads and the weight cache (issue #3): cold over HTTP, warm from IndexedDB, raw IDB reads. */
import { createEngine } from '/dist/edgewise.js';
import { MB, type BenchConfig, log, median, modelSpec, now, range, round, type Progress } from './util.js';

const MBIT100 = 12_500_000;

interface ProgressEvent extends Progress {
  t: number;
}

interface LoadRun {
  kind: 'cold-cache' | 'cold-cache-100mbit' | 'warm' | 'cold-nocache' | 'warmup';
  /** load() call to resolve. */
  loadMs: number;
  /** load() call to the last progress event: every byte fetched/read, checked (and stored). */
  bytesMs: number | null;
  /** The rest: runtime import and ORT session creation (approximate: see README). */
  afterBytesMs: number | null;
  networkBytes: number;
  cacheBytes: number;
  progressEvents: number;
  /** IndexedDB read rate of the weight file: bytes between its first and last `cache` event over that time. */
  idbReadMBps: number | null;
  /** All `cache` bytes over load() call → last `cache` event (includes JSON parsing and the tokenizer between files). */
  idbEffectiveMBps: number | null;
  /** All `cache` bytes over first → last `cache` event, whatever the file (the first event comes after the first chunk is read). */
  idbSpanMBps: number | null;
  /** Network rate of the weight file between its first and last `network` event (cold loads). */
  networkMBps: number | null;
  /** Per file: progress events seen, the source and `loaded` of the last one. */
  files: Record<string, { events: number; source: string; loaded: number; total: number }>;
  /** What the model server saw during load(): requests by method, and body bytes it sent. */
  server: { requests: Record<string, number>; bytesSent: number } | null;
}

/** Per-file rate between the first and the last event of one source, for the largest file. */
function fileRate(events: readonly ProgressEvent[], source: Progress['source']): number | null {
  const mine = events.filter((e) => e.source === source);
  if (mine.length === 0) return null;
  const biggest = mine.reduce((a, e) => (e.total > a.total ? e : a));
  const ev = mine.filter((e) => e.file === biggest.file);
  const first = ev[0] as ProgressEvent;
  const last = ev[ev.length - 1] as ProgressEvent;
  const dt = last.t - first.t;
  // Needs a few chunks between the events (a one-chunk file has no rate to speak of).
  return ev.length > 1 && dt > 0 && last.loaded - first.loaded >= MB ? (last.loaded - first.loaded) / MB / (dt / 1000) : null;
}

/** Bytes per source: each file's final size, attributed to the source of its last event. */
function bytesBySource(events: readonly ProgressEvent[]): { network: number; cache: number } {
  const last = new Map<string, ProgressEvent>();
  for (const e of events) last.set(e.file, e);
  const out = { network: 0, cache: 0 };
  for (const e of last.values()) out[e.source] += e.total || e.loaded;
  return out;
}

function perFile(events: readonly ProgressEvent[]): LoadRun['files'] {
  const out: LoadRun['files'] = {};
  for (const e of events) {
    const f = (out[e.file] ??= { events: 0, source: e.source, loaded: 0, total: 0 });
    f.events++;
    f.source = e.source;
    f.loaded = e.loaded;
    f.total = e.total;
  }
  return out;
}

async function serverLog(cfg: BenchConfig): Promise<LoadRun['server']> {
  try {
    const entries = (await (await fetch(`${cfg.modelsUrl}/__ctl/log`)).json()) as { method: string; bytesSent: number }[];
    const requests: Record<string, number> = {};
    let bytesSent = 0;
    for (const e of entries) {
      requests[e.method] = (requests[e.method] ?? 0) + 1;
      bytesSent += e.bytesSent ?? 0;
    }
    return { requests, bytesSent };
  } catch {
    return null;
  }
}

async function timedLoad(cfg: BenchConfig, kind: LoadRun['kind']): Promise<LoadRun> {
  const cache = kind !== 'cold-nocache' && kind !== 'warmup';
  const engine = createEngine({ model: modelSpec(cfg), cache, numThreads: cfg.numThreads });
  try {
    // Start the worker before the clock (both kinds pay the same), and set up the state.
    if (kind === 'cold-cache' || kind === 'cold-cache-100mbit') {
      await engine.cache.clear();
      if (await engine.cache.has()) throw new Error('cache.clear() left the model cached');
    } else if (kind === 'warm') {
      if (!(await engine.cache.has())) throw new Error('warm load: the model is not fully cached after a cold load with cache: true');
    } else {
      await engine.cache.usage();
    }
    const events: ProgressEvent[] = [];
    await fetch(`${cfg.modelsUrl}/__ctl/reset`, { method: 'POST' });
    if (kind === 'cold-cache-100mbit') {
      // A realistic home connection (100 Mbit/s) instead of loopback's ~300 MB/s.
      await fetch(`${cfg.modelsUrl}/__ctl/faults`, { method: 'POST', body: JSON.stringify([{ match: `/fixtures/${cfg.model}/`, bytesPerSecond: MBIT100 }]) });
    }
    const t0 = now();
    await engine.load({ onProgress: (p) => events.push({ ...p, t: now() }) });
    const loadMs = now() - t0;
    const server = await serverLog(cfg);
    const lastT = events.length ? (events[events.length - 1] as ProgressEvent).t - t0 : null;
    const bytes = bytesBySource(events);
    const cacheEvents = events.filter((e) => e.source === 'cache');
    const lastCache = cacheEvents[cacheEvents.length - 1];
    const firstCache = cacheEvents[0];
    const run: LoadRun = {
      kind,
      loadMs: round(loadMs) as number,
      bytesMs: round(lastT),
      afterBytesMs: lastT === null ? null : round(loadMs - lastT),
      networkBytes: bytes.network,
      cacheBytes: bytes.cache,
      progressEvents: events.length,
      idbReadMBps: round(fileRate(events, 'cache')),
      idbEffectiveMBps: lastCache && lastCache.t > t0 ? round(bytes.cache / MB / ((lastCache.t - t0) / 1000)) : null,
      idbSpanMBps: firstCache && lastCache && lastCache.t > firstCache.t ? round(bytes.cache / MB / ((lastCache.t - firstCache.t) / 1000)) : null,
      networkMBps: round(fileRate(events, 'network')),
      files: perFile(events),
      server,
    };
    if (kind === 'warm' && bytes.network > 0) throw new Error(`warm load fetched ${bytes.network} bytes over the network`);
    if (kind === 'cold-cache' && bytes.cache > 0) throw new Error(`cold load read ${bytes.cache} bytes from the cache`);
    return run;
  } finally {
    await engine.dispose();
  }
}

/**
 * Reads the cached chunks straight from IndexedDB on the page, bypassing the SDK (no
 * checksums, no worker, no copies into ORT): the ceiling for the SDK's read path. Knows
 * the SDK's store layout (`src/store/idb.ts`); returns null if that layout changed.
 */
async function rawIdbRead(modelKey: string): Promise<{ bytes: number; chunks: number; getAllMs: number; getAllMBps: number | null; perChunkMs: number; perChunkMBps: number | null } | null> {
  const req = <T>(r: IDBRequest<T>): Promise<T> => new Promise((ok, fail) => { r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
  const db = await new Promise<IDBDatabase>((ok, fail) => {
    const r = indexedDB.open('edgewise-weights');
    r.onsuccess = () => ok(r.result);
    r.onerror = () => fail(r.error);
  });
  try {
    if (!db.objectStoreNames.contains('entries')) return null;
    const range = IDBKeyRange.bound(['chunk', modelKey], ['chunk', modelKey, []]);
    const size = (v: unknown): number => (v instanceof ArrayBuffer ? v.byteLength : ArrayBuffer.isView(v) ? v.byteLength : v instanceof Blob ? v.size : 0);

    let t0 = now();
    const all = await req(db.transaction('entries', 'readonly').objectStore('entries').getAll(range));
    const getAllMs = now() - t0;
    const bytes = all.reduce((a: number, v) => a + size(v), 0);
    const chunks = all.length;
    all.length = 0;
    if (chunks === 0) return null;

    const keys = await req(db.transaction('entries', 'readonly').objectStore('entries').getAllKeys(range));
    t0 = now();
    let perChunkBytes = 0;
    for (const k of keys) {
      // One transaction per chunk, as a streaming reader would do it.
      perChunkBytes += size(await req(db.transaction('entries', 'readonly').objectStore('entries').get(k)));
    }
    const perChunkMs = now() - t0;
    return {
      bytes, chunks,
      getAllMs: round(getAllMs) as number, getAllMBps: round(bytes / MB / (getAllMs / 1000)),
      perChunkMs: round(perChunkMs) as number, perChunkMBps: round(perChunkBytes / MB / (perChunkMs / 1000)),
    };
  } finally {
    db.close();
  }
}

export async function cacheBench(cfg: BenchConfig): Promise<unknown> {
  log('loads: warm-up (primes the runtime .wasm in the HTTP cache)');
  const warmup = await timedLoad(cfg, 'warmup');
  const runs: LoadRun[] = [];
  for (let i = 0; i < cfg.loadRuns; i++) {
    for (const kind of ['cold-cache', 'warm', 'cold-nocache'] as const) {
      const r = await timedLoad(cfg, kind);
      log(`load ${i + 1}/${cfg.loadRuns} ${kind}: ${r.loadMs} ms (bytes ${r.bytesMs} ms + after ${r.afterBytesMs} ms)${kind === 'warm' ? `, IDB ${r.idbReadMBps} MB/s` : ''}`);
      runs.push(r);
    }
  }
  log('load: cold over a throttled 100 Mbit/s link');
  runs.push(await timedLoad(cfg, 'cold-cache-100mbit'));
  const of = (kind: LoadRun['kind']): LoadRun[] => runs.filter((r) => r.kind === kind);
  const summary = (rs: LoadRun[]): Record<string, number | null | (number | null)[]> => ({
    loadMs: round(median(rs.map((r) => r.loadMs))),
    loadMsRange: range(rs.map((r) => r.loadMs)),
    bytesMs: round(median(rs.map((r) => r.bytesMs))),
    afterBytesMs: round(median(rs.map((r) => r.afterBytesMs))),
  });
  const cold = summary(of('cold-cache'));
  const warm = summary(of('warm'));
  const nocache = summary(of('cold-nocache'));
  const throttled = summary(of('cold-cache-100mbit'));
  const ratio = (a: unknown, b: unknown): number | null => (typeof a === 'number' && typeof b === 'number' && a && b ? round(a / b, 2) : null);

  log('IndexedDB: raw read of the cached chunks from the page');
  const probe = createEngine({ model: modelSpec(cfg), cache: true, numThreads: cfg.numThreads });
  const key = probe.model?.key ?? '';
  await probe.dispose();
  let raw: Awaited<ReturnType<typeof rawIdbRead>> = null;
  try { raw = await rawIdbRead(key); } catch (e) { log(`raw IndexedDB read failed: ${String(e)}`); }

  return {
    coldCache: { ...cold, networkMBps: round(median(of('cold-cache').map((r) => r.networkMBps))) },
    warm: {
      ...warm,
      idbReadMBps: round(median(of('warm').map((r) => r.idbReadMBps))),
      idbEffectiveMBps: round(median(of('warm').map((r) => r.idbEffectiveMBps))),
      idbSpanMBps: round(median(of('warm').map((r) => r.idbSpanMBps))),
    },
    coldCache100Mbit: throttled,
    coldNoCache: { ...nocache, networkMBps: round(median(of('cold-nocache').map((r) => r.networkMBps))) },
    ratio: {
      coldOverWarm: ratio(cold.loadMs, warm.loadMs),
      coldNoCacheOverWarm: ratio(nocache.loadMs, warm.loadMs),
      cold100MbitOverWarm: ratio(throttled.loadMs, warm.loadMs),
      coldOverWarmBytesOnly: ratio(cold.bytesMs, warm.bytesMs),
      target: 'coldOverWarm >= 5',
    },
    rawIndexedDbRead: raw,
    warmupLoad: warmup,
    runs,
  };
}

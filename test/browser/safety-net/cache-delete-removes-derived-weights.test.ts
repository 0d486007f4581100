/**
 * Safety net (public API, built package, real worker, IndexedDB on disk): the WASM
 * weight transform stores its output (`edgewise/wasm-<form>/v<version>/…`) next to the
 * model's own files. `engine.cache.delete()` removes those derived files with the rest,
 * so the next load transforms again; a derived file whose tag names another transform
 * version is never used, it is rebuilt. Every engine here runs in a worker of its own
 * (`share: false`), so each starts as a fresh worker would, with the same device signature
 * for the remembered form choice. The database is read the way the worker writes
 * it (same origin, database `edgewise-weights`, store `entries`), as cpu-weights.test.ts does.
 */
import { createEngine, type Engine, type ModelSpec } from '/dist/edgewise.js';
import { FIXTURE_URL, assert, assertEqual } from '../helpers.js';

const spec = (id: string): ModelSpec => ({ id, url: FIXTURE_URL, dtype: 'q4' });
const DERIVED = 'edgewise/wasm-';

function withStore<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T> | void): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('edgewise-weights');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction('entries', mode);
      const req = fn(tx.objectStore('entries'));
      tx.oncomplete = () => { open.result.close(); resolve(req ? req.result : undefined); };
      tx.onerror = () => reject(tx.error);
    };
  });
}

/** Every key in the store that mentions `model` (records and chunks alike). */
async function keysOf(model: string): Promise<IDBValidKey[][]> {
  const all = ((await withStore('readonly', (s) => s.getAllKeys())) ?? []) as IDBValidKey[];
  return all.filter((k): k is IDBValidKey[] => Array.isArray(k) && k.includes(model));
}

const derivedKeys = async (model: string): Promise<IDBValidKey[][]> =>
  (await keysOf(model)).filter((k) => k.some((x) => typeof x === 'string' && x.startsWith(DERIVED)));

async function transformOf(engine: Engine): Promise<string | undefined> {
  await engine.load();
  return (await engine.info()).model?.weights?.transform;
}

/** A fresh engine in a fresh worker of its own on the model: nothing in memory, only what IndexedDB holds. */
async function freshTransform(id: string): Promise<string | undefined> {
  const e = createEngine({ model: spec(id), device: 'wasm', share: false });
  try {
    return await transformOf(e);
  } finally {
    await e.dispose();
  }
}

describe('safety net: derived weight forms in the cache', () => {
  it("cache.delete() removes the derived files with the source: IndexedDB holds none of them, and the next load transforms again ('ran', not 'stored')", async () => {
    const id = 'safety-net-derived-delete';
    const key = `${id}:q4`;
    const e = createEngine({ model: spec(id), device: 'wasm', share: false });
    try {
      await e.cache.delete();
      assertEqual(await transformOf(e), 'ran', 'the first load transforms');
      assert((await derivedKeys(key)).length >= 2, 'the derived graph and its data are stored');
      assertEqual(await freshTransform(id), 'stored', 'a fresh worker reads the stored form');

      await e.cache.delete();
      assertEqual(await derivedKeys(key), [], 'no record or chunk of a derived file is left');
      assertEqual(await keysOf(key), [], 'nothing of the model is left');
      assertEqual(await freshTransform(id), 'ran', 'the next load transforms again');
    } finally {
      await e.cache.delete();
      await e.dispose();
    }
  });

  it("a derived file tagged by another transform version is rebuilt ('ran'), and carries the current tag again", async () => {
    const id = 'safety-net-derived-version';
    const key = `${id}:q4`;
    const e = createEngine({ model: spec(id), device: 'wasm', share: false });
    try {
      await e.cache.delete();
      assertEqual(await transformOf(e), 'ran', 'the first load transforms');
      await e.dispose();
      const files = (await derivedKeys(key)).filter((k) => k[0] === 'file');
      assert(files.length >= 2, 'derived file records are stored');
      const tags = new Map<string, string>();
      for (const k of files) {
        const r = (await withStore('readonly', (s) => s.get(k))) as { etag: string };
        tags.set(String(k[2]), r.etag);
        // The tag names the maker and its version (`…/v<n>`): the same file made by another version.
        const older = r.etag.replace(/\/v(\d+)/, (_, v: string) => `/v${Number(v) + 1000}`);
        assert(older !== r.etag, `the tag names a version: ${r.etag}`);
        await withStore('readwrite', (s) => { s.put({ ...r, etag: older }, k); });
      }
      assertEqual(await freshTransform(id), 'ran', 'the other version\'s form is not used: the transform runs again');
      const stale = new Set([...tags.values()].map((t) => t.replace(/\/v(\d+)/, (_, v: string) => `/v${Number(v) + 1000}`)));
      for (const k of (await derivedKeys(key)).filter((x) => x[0] === 'file')) {
        const r = (await withStore('readonly', (s) => s.get(k))) as { etag: string };
        const before = tags.get(String(k[2]));
        // 'auto' times the forms again, and the faster one on a busy machine may be the other form:
        // a file the first load did not keep is new, and must carry a current tag all the same.
        if (before !== undefined) assertEqual(r.etag, before, `${String(k[2])} was rebuilt with the current tag`);
        else assert(!stale.has(r.etag) && /\/v\d+/.test(r.etag), `${String(k[2])} is new, with a current tag: ${r.etag}`);
      }
      assertEqual(await freshTransform(id), 'stored', 'and the rebuilt form is used by the next load');
    } finally {
      const c = createEngine({ model: spec(id), share: false });
      await c.cache.delete();
      await c.dispose();
    }
  });

  it('cache.delete() also removes derived files an older transform version left under its own path', async () => {
    const id = 'safety-net-derived-orphans';
    const key = `${id}:q4`;
    const e = createEngine({ model: spec(id), device: 'wasm', share: false });
    try {
      await e.cache.delete();
      await transformOf(e);
      // Copy every derived record and chunk under a path of version 0, as an older SDK would have left them.
      const keys = await derivedKeys(key);
      for (const k of keys) {
        const value = await withStore('readonly', (s) => s.get(k));
        const moved = k.map((x) => (typeof x === 'string' && x.startsWith(DERIVED) ? x.replace(/\/v\d+\//, '/v0/') : x));
        assert(JSON.stringify(moved) !== JSON.stringify(k), `the path names a version: ${String(k[2])}`);
        const v = k[0] === 'file' ? { ...(value as object), path: moved[2] } : value;
        await withStore('readwrite', (s) => { s.put(v, moved); });
      }
      assertEqual((await derivedKeys(key)).length, keys.length * 2, 'the older copies are stored beside the current ones');
      await e.cache.delete();
      assertEqual(await keysOf(key), [], 'nothing of the model is left, older derived files included');
    } finally {
      await e.cache.delete();
      await e.dispose();
    }
  });
});

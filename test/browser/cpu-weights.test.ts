/**
 * The WASM weight transform through the engine: a q4 file is rewritten in the worker on
 * the first load, stored next to the source in IndexedDB, read back on the next load
 * without the network, rebuilt when the source changes, and never stored with cache:false.
 */
import { createEngine } from '/dist/edgewise.js';
import type { Engine, ModelSpec } from '/dist/edgewise.js';
import { FIXTURE_URL, MODEL_SERVER, STORIES_URL, assert, assertEqual, resetServer, serverLog, sharedModelsAvailable } from './helpers.js';

const PROMPT = 'The small model';

async function run(engine: Engine): Promise<{ ids: number[]; weights: string | undefined }> {
  let ids: number[] = [];
  let weights: string | undefined;
  for await (const p of engine.generate({ prompt: PROMPT, maxTokens: 16, temperature: 0, includeTokenIds: true })) {
    if (p.type === 'finish') {
      ids = p.tokenIds ?? [];
      weights = p.metadata?.onnx?.weights;
    }
  }
  return { ids, weights };
}

/** The weight store's records, read the way the worker writes them (same origin, same database). */
function idb<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T> | undefined): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('edgewise-weights');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction('entries', mode);
      const req = fn(tx.objectStore('entries'));
      tx.oncomplete = () => { open.result.close(); resolve(req?.result); };
      tx.onerror = () => reject(tx.error);
    };
  });
}

const records = async (model: string): Promise<{ path: string; etag: string | null; sha256?: string; state: string }[]> =>
  (await idb('readonly', (s) => s.getAll(IDBKeyRange.bound(['file', model], ['file', model, []])))) as { path: string; etag: string | null; sha256?: string; state: string }[];

describe('WASM weight transform through the engine', () => {
  const spec = (id: string): ModelSpec => ({ id, url: FIXTURE_URL, dtype: 'q4' });

  it('rewrites a q4 file once, stores it beside the source, and reads it back offline on the next load', async () => {
    const id = 'cpu-weights-fp32';
    const baseline = createEngine({ model: spec(id), cache: false, wasmWeights: 'source', device: 'wasm' });
    const asIs = await run(baseline);
    assertEqual(asIs.weights, 'source', "wasmWeights 'source' runs the file as it is");
    await baseline.dispose();

    // 'auto' would time both forms first (auto-weights.test.ts): here the form is fixed.
    const first = createEngine({ model: spec(id), device: 'wasm', wasmWeights: 'fp32' });
    await first.cache.delete();
    await first.load();
    const info = (await first.info()).model;
    assertEqual(info?.weights?.form, 'fp32', 'the exact float32 form');
    assertEqual(info?.weights?.transform, 'ran', 'the first load rewrites the file');
    assert((info?.weights?.transformMs ?? -1) >= 0, 'the rewrite time is reported');
    const firstRun = await run(first);
    assertEqual(firstRun.weights, 'fp32', 'the finish part names the form');
    assertEqual(firstRun.ids, asIs.ids, 'the float32 form gives the q4 file its own greedy ids');
    await first.dispose();
    const stored = (await records(`${id}:q4`)).filter((r) => r.path.startsWith('edgewise/'));
    assertEqual(stored.map((r) => r.path).sort(), ['edgewise/wasm-fp32/v4/onnx/model_q4.onnx', 'edgewise/wasm-fp32/v4/onnx/model_q4.onnx.data'], 'the graph and its data are stored under the model');
    const source = (await records(`${id}:q4`)).find((r) => r.path === 'onnx/model_q4.onnx');
    assert(stored.every((r) => r.state === 'complete' && r.etag === `derived:wasm-fp32/v4:${source?.sha256}`), 'tagged with the source file sha256 and the transform version');

    await resetServer();
    const second = createEngine({ model: spec(id), device: 'wasm', wasmWeights: 'fp32' });
    await second.load();
    assertEqual((await second.info()).model?.weights?.transform, 'stored', 'the next load reads the stored rewrite');
    assertEqual((await run(second)).ids, asIs.ids, 'same ids from the stored form');
    assertEqual(await serverLog(), [], 'no request reached the model server');
    await second.cache.delete();
    await second.dispose();
  });

  it("int8 form: stored once, rebuilt when the source file's identity changes", async () => {
    const id = 'cpu-weights-int8';
    const key = `${id}:q4`;
    const a = createEngine({ model: spec(id), device: 'wasm', wasmWeights: 'int8' });
    await a.cache.delete();
    const r = await run(a);
    assertEqual(r.weights, 'int8', 'the int8 form runs');
    assert(r.ids.length > 0, 'and generates');
    const w = (await a.info()).model?.weights;
    assert(w?.form === 'int8' && w.transform === 'ran' && (w.bytes ?? 0) > 0, 'info reports the rewrite and its size');
    await a.dispose();

    // A new version of the source file (as a re-download would store) makes the rewrite stale.
    const src = ['file', key, 'onnx/model_q4.onnx'];
    const record = (await idb('readonly', (s) => s.get(src))) as { sha256: string };
    await idb('readwrite', (s) => { s.put({ ...record, sha256: 'f'.repeat(64) }, src); return undefined; });
    const b = createEngine({ model: spec(id), device: 'wasm', wasmWeights: 'int8' });
    await b.load();
    assertEqual((await b.info()).model?.weights?.transform, 'ran', 'a changed source is rewritten again');
    const derived = (await records(key)).filter((x) => x.path.startsWith('edgewise/'));
    assert(derived.length === 2 && derived.every((x) => x.etag === `derived:wasm-int8/v4:${'f'.repeat(64)}`), 'and the new rewrite carries the new identity');
    await b.cache.delete();
    await b.dispose();
  });

  it('the stored int8 form is read by range on the decoder kernel: a damaged chunk fails typed and removes the form, and the next load makes it again with the same output', async () => {
    const id = 'cpu-weights-damaged';
    const key = `${id}:q4`;
    const data = 'edgewise/wasm-int8/v4/onnx/model_q4.onnx.data';
    const a = createEngine({ model: spec(id), device: 'wasm', wasmWeights: 'int8' });
    await a.cache.delete();
    const first = await run(a);
    const w = (await a.info()).model?.weights;
    assert(w?.runner === 'kernel' && w.transform === 'ran', `the first load streams the rewrite into the cache and runs it on the kernel: ${JSON.stringify(w)}`);
    await a.dispose();
    const stored = (await records(key)).find((x) => x.path === data);
    assertEqual(stored?.state, 'complete', 'the streamed data file is stored complete');

    const warm = createEngine({ model: spec(id), device: 'wasm', wasmWeights: 'int8' });
    const again = await run(warm);
    assertEqual((await warm.info()).model?.weights?.transform, 'stored', 'the next load reads it back');
    assertEqual(again.ids, first.ids, 'and generates the same ids from it');
    await warm.dispose();

    const chunk = ['chunk', key, data, 0];
    const value = (await idb('readonly', (s) => s.get(chunk))) as ArrayBuffer;
    const bytes = new Uint8Array(value);
    bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] ?? 0) ^ 0x5a;
    await idb('readwrite', (s) => { s.put(value, chunk); return undefined; });
    const damaged = createEngine({ model: spec(id), device: 'wasm', wasmWeights: 'int8' });
    let error: { code?: string; message?: string } | undefined;
    await damaged.load().catch((e: unknown) => { error = e as typeof error; });
    assert(error?.code === 'integrity_error' && /load the model again/.test(error.message ?? ''), `a damaged stored form fails typed and says what to do: ${error?.code} ${error?.message}`);
    assertEqual((await records(key)).filter((x) => x.path.startsWith('edgewise/wasm-int8/')), [], 'and is removed');
    await damaged.dispose();

    const rebuilt = createEngine({ model: spec(id), device: 'wasm', wasmWeights: 'int8' });
    const third = await run(rebuilt);
    assertEqual((await rebuilt.info()).model?.weights?.transform, 'ran', 'the next load makes it again from the cached source');
    assertEqual(third.ids, first.ids, 'with the same output');
    await rebuilt.cache.delete();
    await rebuilt.dispose();
  });

  it('a source with an external-data file is stored and rewritten from the cache by range: same ids as in memory; a cached source with no form, even damaged, is rewritten again', async () => {
    const url = `${MODEL_SERVER}/fixtures/tiny-llama-extdata/`;
    const id = 'cpu-weights-extdata';
    const key = `${id}:q4`;
    const m: ModelSpec = { id, url, dtype: 'q4' };
    const memory = createEngine({ model: m, device: 'wasm', wasmWeights: 'int8', cache: false });
    const want = await run(memory);
    await memory.dispose();
    const first = createEngine({ model: m, device: 'wasm', wasmWeights: 'int8' });
    await first.cache.delete();
    const a = await run(first);
    assertEqual((await first.info()).model?.weights?.transform, 'ran', 'the first load rewrites');
    assertEqual(a.ids, want.ids, 'the rewrite read by range from the cache gives the ids of the one made in memory');
    await first.dispose();
    assertEqual((await records(key)).find((r) => r.path === 'onnx/model_q4.onnx_data')?.state, 'complete', 'the source data file is stored');

    // Only the form goes (as after a transform version change); then also a damaged source chunk.
    for (const damage of [false, true]) {
      for (const r of (await records(key)).filter((x) => x.path.startsWith('edgewise/'))) await idb('readwrite', (s) => s.delete(['file', key, r.path]));
      if (damage) {
        const chunk = ['chunk', key, 'onnx/model_q4.onnx_data', 0];
        const value = (await idb('readonly', (s) => s.get(chunk))) as ArrayBuffer;
        const v = new Uint8Array(value);
        v[100] = (v[100] ?? 0) ^ 0x5a;
        await idb('readwrite', (s) => { s.put(value, chunk); return undefined; });
      }
      await resetServer();
      const again = createEngine({ model: m, device: 'wasm', wasmWeights: 'int8' });
      const b = await run(again);
      assertEqual((await again.info()).model?.weights?.transform, 'ran', `the form is made again${damage ? ' after the repair' : ''}`);
      assertEqual(b.ids, want.ids, 'with the same ids');
      const gets = (await serverLog()).filter((e) => e.method === 'GET' && e.path.endsWith('model_q4.onnx_data'));
      assertEqual(gets.length, damage ? 1 : 0, damage ? 'the damaged source is fetched again' : 'the source comes from the cache');
      await again.dispose();
    }
  });

  it('cache:false rewrites on every load, stores nothing, and times nothing (no place to remember it)', async () => {
    const id = 'cpu-weights-nocache';
    for (let i = 0; i < 2; i++) {
      const e = createEngine({ model: spec(id), device: 'wasm', cache: false });
      await e.load();
      const w = (await e.info()).model?.weights;
      assertEqual(w?.transform, 'ran', `load ${i + 1} rewrites`);
      assert(w?.form === 'fp32' && w.choice === undefined && w.reason.includes('no cache'), `load ${i + 1}: the size rule, not a measurement: ${w?.reason}`);
      await e.dispose();
    }
    assertEqual(await records(`${id}:q4`), [], 'nothing was written to IndexedDB');
  });

  it('engine.info() says how many WASM threads run, and why', async () => {
    const e = createEngine({ model: spec('cpu-weights-threads'), device: 'wasm', cache: false, numThreads: 2 });
    await e.load();
    const m = (await e.info()).model;
    assertEqual(m?.threads, globalThis.crossOriginIsolated ? 2 : 1, 'threads only with cross-origin isolation');
    assert(m?.detail?.includes(globalThis.crossOriginIsolated ? 'cross-origin isolated' : 'COOP/COEP'), `the detail says why: ${m?.detail}`);
    await e.dispose();
  });

  it('stories260K q4: the float32 form (the default without a cache) tells the documented-quality story the q4 file tells', async function () {
    if (!(await sharedModelsAvailable())) {
      console.warn('stories260K is not beside the project (../shared/models): skipped');
      this.skip();
    }
    const model: ModelSpec = { id: 'cpu-weights-stories', url: STORIES_URL, dtype: 'q4' };
    const text = async (e: Engine): Promise<string> => e.text({ prompt: 'Once upon a time', maxTokens: 64, temperature: 0 });
    const asIs = createEngine({ model, cache: false, device: 'wasm', wasmWeights: 'source' });
    const fp32 = createEngine({ model, cache: false, device: 'wasm' });
    const int8 = createEngine({ model, cache: false, device: 'wasm', wasmWeights: 'int8' });
    const [a, b, c] = [await text(asIs), await text(fp32), await text(int8)];
    assertEqual(b, a, 'the float32 form continues exactly as the q4 file does');
    assert(/\b(she|he|they|was|the)\b/.test(c) && c.length > 100, `the int8 form stays fluent: ${c.slice(0, 80)}`);
    await Promise.all([asIs.dispose(), fp32.dispose(), int8.dispose()]);
  });
});

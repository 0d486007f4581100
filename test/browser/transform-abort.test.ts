/**
 * An abort that lands while a first load rewrites its weights (the WASM weight transform,
 * issue 19): the load rejects with the typed `aborted` error, no transformed form is left in
 * the cache, and the next load transforms again and works.
 *
 * The abort has to land after the last byte and before the rewrite is stored, whatever the
 * machine's speed, so the test orders it with the store's own Web Lock
 * (`edgewise-store:<key>`, src/store/lock.ts) rather than with a timer: the page queues for
 * the lock while the worker still holds it to download (the weight file is throttled, and
 * the test checks that its request really is queued). The worker then releases it once every
 * byte is stored, the page is next in line, and aborts as soon as it holds it; the worker is
 * at that moment checking its signal, transforming, or queued behind the page to store the
 * rewrite, and each of those ends the load with `aborted`. The page keeps the lock until the
 * load has settled, so the rewrite can never be stored behind the abort's back.
 */
import { createEngine, isEdgewiseError } from '/dist/edgewise.js';
import type { Engine, ModelSpec } from '/dist/edgewise.js';
import { FIXTURE_URL, MODEL_SERVER, assert, assertEqual, resetServer } from './helpers.js';

interface StoredFile { path: string; state: string }

/** Every file record of one model in the weight store, read as the worker writes them. */
function storedFiles(key: string): Promise<StoredFile[]> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('edgewise-weights');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const req = open.result.transaction('entries', 'readonly').objectStore('entries').getAll(IDBKeyRange.bound(['file', key], ['file', key, []]));
      req.onsuccess = () => { open.result.close(); resolve(req.result as StoredFile[]); };
      req.onerror = () => { open.result.close(); reject(req.error); };
    };
  });
}

/** Chunks stored under derived paths: a cut-short write could leave chunks without a record. */
function derivedChunks(key: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('edgewise-weights');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const req = open.result.transaction('entries', 'readonly').objectStore('entries').count(IDBKeyRange.bound(['chunk', key, 'edgewise/'], ['chunk', key, 'edgewise/\uffff']));
      req.onsuccess = () => { open.result.close(); resolve(req.result); };
      req.onerror = () => { open.result.close(); reject(req.error); };
    };
  });
}

const derived = async (key: string): Promise<StoredFile[]> => (await storedFiles(key)).filter((f) => f.path.startsWith('edgewise/'));

/**
 * Starts `engine.load()` and aborts it once every byte is stored, before the rewrite can be.
 * Resolves with how the load settled: 'resolved' or the error's code.
 */
async function loadAbortedAtTheTransform(engine: Engine, key: string, weightFile: string): Promise<string> {
  const controller = new AbortController();
  /** Whether the page's lock request was queued behind the worker's (checked once it is made). */
  let queued: Promise<boolean> | undefined;
  let settled: () => void = () => undefined;
  const loadSettled = new Promise<void>((r) => { settled = r; });
  const lockName = `edgewise-store:${key}`;
  const load = engine.load({
    signal: controller.signal,
    onProgress: (p) => {
      if (queued || !p.file.endsWith(weightFile) || p.loaded >= p.total) return;
      // Mid-download of the weight file: the worker holds the store lock, so this request queues behind it.
      void navigator.locks.request(lockName, async () => {
        controller.abort();
        await loadSettled;
      });
      queued = navigator.locks.query().then((s) => s.pending?.some((l) => l.name === lockName) === true);
    },
  });
  let outcome = 'resolved';
  try {
    await load;
  } catch (e) {
    outcome = isEdgewiseError(e) ? e.code : `untyped: ${String(e)}`;
  }
  settled();
  assert(await queued, 'the page queued for the store lock while the worker was still downloading (the order this test relies on)');
  return outcome;
}

describe('abort while the weights are being rewritten', () => {
  const id = 'transform-abort';
  const key = `${id}:q4`;
  const spec: ModelSpec = { id, url: FIXTURE_URL, dtype: 'q4' };

  afterEach(async () => {
    await resetServer();
  });

  for (const wasmWeights of ['auto', 'int8'] as const) {
    it(`${wasmWeights === 'auto' ? 'default form' : 'int8 form'}: rejects with "aborted", stores no rewrite, and the next load rewrites and runs`, async () => {
      await resetServer();
      // Slow enough that the page's progress handler runs long before the download ends.
      await fetch(`${MODEL_SERVER}/__ctl/faults`, { method: 'POST', body: JSON.stringify([{ match: 'tiny-llama/onnx/model_q4.onnx', method: 'GET', bytesPerSecond: 100_000, times: 1 }]) });
      const engine = createEngine({ model: spec, device: 'wasm', wasmWeights });
      await engine.cache.delete();
      const outcome = await loadAbortedAtTheTransform(engine, key, 'onnx/model_q4.onnx');
      assertEqual(outcome, 'aborted', 'the load rejects with the typed aborted error');
      await engine.dispose();

      assertEqual(await derived(key), [], 'no transformed form (complete or partial) is stored');
      assertEqual(await derivedChunks(key), 0, 'and no chunk of one');
      const source = (await storedFiles(key)).find((f) => f.path === 'onnx/model_q4.onnx');
      assertEqual(source?.state, 'complete', 'the source file itself was stored before the abort');

      await resetServer();
      const next = createEngine({ model: spec, device: 'wasm', wasmWeights });
      try {
        await next.load();
        const w = (await next.info()).model?.weights;
        assert(w?.transform === 'ran' && w.form !== 'source', `the next load rewrites the weights again (${JSON.stringify(w)})`);
        assert((await next.text({ prompt: 'The small model', maxTokens: 4, temperature: 0 })).length > 0, 'and generates');
        const stored = await derived(key);
        const ran = stored.filter((f) => f.path.startsWith(`edgewise/wasm-${w.form}/`));
        assertEqual(ran.map((f) => f.state), ['complete', 'complete'], 'the rewrite it runs (graph and data) is stored, complete');
      } finally {
        await next.cache.delete();
        await next.dispose();
      }
    });
  }
});

/**
 * `wasmWeights: 'auto'` decided by measurement (issue 19): the first load on a device
 * builds both forms, times their decode, runs the faster one and remembers it in the cache
 * beside the forms; a new engine reuses that without timing; a cleared cache times again.
 * Nothing here depends on which form wins: the machine is shared and the fixture is tiny.
 */
import { createEngine } from '/dist/edgewise.js';
import type { Engine, ModelSpec, WeightsInfo } from '/dist/edgewise.js';
import { FIXTURE_URL, assert, assertEqual } from './helpers.js';

const spec = (id: string): ModelSpec => ({ id, url: FIXTURE_URL, dtype: 'q4' });

/** Paths of the derived files IndexedDB holds for a model (read as the worker writes them). */
function derivedPaths(key: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('edgewise-weights');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const req = open.result.transaction('entries', 'readonly').objectStore('entries').getAll(IDBKeyRange.bound(['file', key], ['file', key, []]));
      req.onsuccess = () => {
        open.result.close();
        resolve((req.result as { path: string }[]).map((r) => r.path).filter((p) => p.startsWith('edgewise/')).sort());
      };
      req.onerror = () => reject(req.error);
    };
  });
}

async function weightsOf(e: Engine): Promise<WeightsInfo> {
  await e.load();
  const w = (await e.info()).model?.weights;
  assert(w, 'info() reports the weights');
  return w;
}

async function fresh<T>(id: string, fn: (e: Engine) => Promise<T>, wasmWeights?: 'int8'): Promise<T> {
  const e = createEngine({ model: spec(id), device: 'wasm', ...(wasmWeights ? { wasmWeights } : {}) });
  try {
    return await fn(e);
  } finally {
    await e.dispose();
  }
}

function assertMeasured(w: WeightsInfo, when: string): void {
  assertEqual(w.choice?.by, 'measured', `${when}: the forms were timed`);
  const t = w.choice?.tokensPerSecond;
  assert((t?.int8 ?? 0) > 0 && (t?.fp32 ?? 0) > 0, `${when}: both candidates timed: ${JSON.stringify(t)}`);
  assert((w.choice?.measureMs ?? -1) >= 0, `${when}: the cost of measuring is reported`);
  assert(w.form === 'int8' || w.form === 'fp32', `${when}: a winner runs (${w.form})`);
  assert(w.reason.startsWith('measured on this device:') && w.reason.includes('int8') && w.reason.includes('fp32'), `${when}: the reason says what was measured: ${w.reason}`);
}

describe("wasmWeights 'auto' picks the weight form by measurement", () => {
  it('measures on the first load, reuses the remembered winner on the next, and measures again after the cache is cleared', async () => {
    const id = 'auto-weights';
    const key = `${id}:q4`;
    const first = createEngine({ model: spec(id), device: 'wasm' });
    await first.cache.delete();
    const w1 = await weightsOf(first);
    assertMeasured(w1, 'first load');
    assertEqual(w1.transform, 'ran', 'the winner was rewritten on this load');
    await first.dispose();

    const stored = await derivedPaths(key);
    const records = stored.filter((p) => p.startsWith('edgewise/wasm-choice/'));
    assertEqual(records.length, 1, `one record of the choice is stored: ${JSON.stringify(stored)}`);
    assert(/^edgewise\/wasm-choice\/v\d+\/\d+t-(coi|nocoi)-\d+c-[a-z]+\d*(-kernel)?\.json$/.test(records[0] ?? ''), `named by transform version and device: ${records[0]}`);
    const forms = stored.filter((p) => !p.startsWith('edgewise/wasm-choice/'));
    assert(forms.length === 2 && forms.every((p) => p.startsWith(`edgewise/wasm-${w1.form}/`)), `only the winner's form stays in the cache: ${JSON.stringify(forms)}`);

    const w2 = await fresh(id, weightsOf);
    assertEqual(w2.form, w1.form, 'a new engine runs the remembered winner');
    assertEqual(w2.choice?.by, 'remembered', 'without measuring');
    assertEqual(w2.choice?.measureMs, undefined, 'no time spent measuring');
    assertEqual(w2.choice?.tokensPerSecond, w1.choice?.tokensPerSecond, 'the figures are the first load\'s');
    assertEqual(w2.transform, 'stored', 'read back from the cache');
    assert(w2.reason.startsWith('measured on this device by an earlier load:'), `the reason says so: ${w2.reason}`);

    const third = createEngine({ model: spec(id), device: 'wasm' });
    await third.cache.delete();
    assertEqual(await derivedPaths(key), [], 'cache.delete() removes the record with the forms');
    assertMeasured(await weightsOf(third), 'after the cache was cleared');
    await third.cache.delete();
    await third.dispose();
  });

  it('an explicit form is not measured', async () => {
    const id = 'auto-weights-explicit';
    const w = await fresh(id, async (e) => {
      await e.cache.delete();
      return weightsOf(e);
    }, 'int8');
    assertEqual(w.form, 'int8', 'the form asked for');
    assertEqual(w.choice, undefined, 'nothing timed');
    assert(!(await derivedPaths(`${id}:q4`)).some((p) => p.startsWith('edgewise/wasm-choice/')), 'and no record');
    await fresh(id, (e) => e.cache.delete());
  });
});

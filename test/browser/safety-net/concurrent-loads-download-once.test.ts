/**
 * Safety net (public API, built package, real workers, real model server): two engines
 * (two workers of the page's own, `share: false`, as in two tabs whose engines differ)
 * loading the same model at the same time, with the cache on and nothing stored yet,
 * download each file once. The store serializes loads of one model with a Web Lock, so the
 * second load waits and then reads what the first one stored. (Engines that share a host
 * load the model once: test/browser/shared-host/.)
 */
import { createEngine, type Progress } from '/dist/edgewise.js';
import { FIXTURE_URL, assert, assertEqual, resetServer, serverLog } from '../helpers.js';

const model = { id: 'safety-net-concurrent', url: FIXTURE_URL, dtype: 'q4' } as const;
const FOLDER = new URL(FIXTURE_URL).pathname;

describe('safety net: two engines load one model at once', () => {
  it('both loads succeed and the model server sends each model file exactly once', async () => {
    const a = createEngine({ model, share: false });
    const b = createEngine({ model, share: false });
    try {
      await a.cache.delete();
      assertEqual(await b.cache.has(), false, 'nothing is stored before the loads');
      await resetServer();

      const sources: Set<string>[] = [new Set(), new Set()];
      const [ia, ib] = await Promise.all([
        a.load({ onProgress: (p: Progress) => sources[0]?.add(p.source) }),
        b.load({ onProgress: (p: Progress) => sources[1]?.add(p.source) }),
      ]);
      assertEqual([ia.contextLength, ib.contextLength], [256, 256], 'both engines loaded the model');

      const gets = (await serverLog()).filter((e) => e.method === 'GET' && e.path.startsWith(FOLDER) && e.status >= 200 && e.status < 300);
      const perFile = new Map<string, number>();
      for (const e of gets) perFile.set(e.path, (perFile.get(e.path) ?? 0) + 1);
      assert(perFile.has(`${FOLDER}onnx/model_q4.onnx`) && perFile.has(`${FOLDER}tokenizer.json`), `the model files were fetched: ${[...perFile.keys()].join(', ')}`);
      const twice = [...perFile].filter(([, n]) => n !== 1);
      assertEqual(twice, [], 'no file was downloaded more than once');
      // The one that downloaded may read derived files (the weight forms) the other stored first: 'cache' too.
      const got = sources.map((s) => [...s].sort().join('+'));
      assertEqual(sources.filter((s) => s.has('network')).length, 1, `one engine downloaded (${got.join(', ')})`);
      assert(sources.some((s) => !s.has('network') && s.has('cache')), `the other read what it stored (${got.join(', ')})`);

      assertEqual(await b.cache.has(), true, 'the model is stored');
      const [ta, tb] = await Promise.all([a.text({ prompt: 'Once upon a time', maxTokens: 8 }), b.text({ prompt: 'Once upon a time', maxTokens: 8 })]);
      assert(ta.length > 0, 'the first engine generates');
      assertEqual(tb, ta, 'both engines run the same weights');
    } finally {
      await a.cache.delete();
      await Promise.all([a.dispose(), b.dispose()]);
    }
  });
});

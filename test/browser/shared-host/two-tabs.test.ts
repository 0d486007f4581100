/**
 * Issue 20, acceptance 1: one model host per origin. Real top-level tabs (`window.open`)
 * of the test's origin run the built SDK; what the browser runs is read through the
 * DevTools protocol (`sdk-workers`), what crosses the network from the model server's log.
 * The model is stories260K when ../shared/models is there (its greedy text is an exact
 * oracle), else the generated tiny Llama; `cache: false`, so every load would download.
 */
import { createEngine, type EngineOptions } from '/dist/edgewise.js';
import { FIXTURE_URL, STORIES_URL, assert, assertEqual, resetServer, serverLog, sharedModelsAvailable } from '../helpers.js';
import { hookWasmMemory, killSharedWorker, openTab, sdkWorkers, stream, until, type Tab } from './tabs.js';

const P1 = 'Once upon a time';
const P2 = 'The little dog';
let options: EngineOptions;
const reference = new Map<string, string>();
const tabs: Tab[] = [];
const tab = async (query = ''): Promise<Tab> => {
  const t = await openTab(query);
  tabs.push(t);
  return t;
};
const sharedOnly = async (): Promise<void> => {
  const w = await sdkWorkers();
  assertEqual(w.map((x) => x.type), ['shared_worker'], 'one shared worker, no worker of a page\'s own');
};

describe('one engine per origin: tabs share one model host', function () {
  this.timeout(180_000);

  before(async () => {
    const stories = await sharedModelsAvailable();
    if (!stories) console.warn('stories260K is not beside the project (../shared/models): the generated tiny Llama stands in');
    options = { model: { id: 'shared-host-tabs', url: stories ? STORIES_URL : FIXTURE_URL, dtype: stories ? 'fp32' : 'q4' }, cache: false };
    // The single-tab texts, from a worker of this page's own.
    const solo = createEngine({ ...options, share: false });
    for (const p of [P1, P2]) reference.set(p, (await stream(solo, p, 120)).text);
    await solo.dispose();
    assert(reference.get(P1) !== reference.get(P2) && (reference.get(P1)?.length ?? 0) > 40, 'two distinct reference texts');
    await until('the page\'s own worker to go', async () => (await sdkWorkers()).length === 0);
  });

  afterEach(async () => {
    for (const t of tabs.splice(0)) t.close();
    // The last tab gone, the shared worker ends.
    await until('no SDK worker left', async () => (await sdkWorkers()).length === 0);
  });

  it('two tabs: one shared worker, the weights fetched once, both stream at once with their own single-tab texts, in less than 1.2x the memory of one', async () => {
    const [a, b] = [await tab(), await tab()];
    await resetServer();
    const ea = a.engine(options);
    const eb = b.engine(options);
    // The worker is up once a cache call ran, its runtime not yet: count its WebAssembly memory from here.
    await ea.cache.has();
    assertEqual(await hookWasmMemory(), 1, 'the shared worker is up');
    await ea.load();
    assertEqual((await ea.info()).host?.kind, 'shared-worker', 'the engine says it is served by the shared worker');
    await stream(ea, P1, 120);
    const one = (await sdkWorkers(true))[0];
    const [ta, tb] = await Promise.all([stream(ea, P1, 120), stream(eb, P2, 120)]);
    assertEqual([ta.text, tb.text], [reference.get(P1), reference.get(P2)], 'each tab streamed its own text, as a single tab does');
    await sharedOnly();
    const two = (await sdkWorkers(true))[0];

    const gets = (await serverLog()).filter((e) => e.method === 'GET' && /\.(onnx|onnx_data)$/.test(e.path) && e.status < 300);
    const files = new Set(gets.map((e) => e.path));
    assertEqual(gets.length, files.size, `each weight file fetched once for both tabs (${gets.map((e) => e.path).join(', ')})`);
    assert(one && two && (one.wasm ?? 0) > 1e6, `the shared worker was measured, its WebAssembly memory too (${one?.wasm} bytes)`);
    const [m1, m2] = [(one?.heap ?? 0) + (one?.wasm ?? 0), (two?.heap ?? 0) + (two?.wasm ?? 0)];
    console.log(`shared host memory: one tab ${(m1 / 1e6).toFixed(1)} MB (WASM ${((one?.wasm ?? 0) / 1e6).toFixed(1)} MB), two tabs ${(m2 / 1e6).toFixed(1)} MB: ${(m2 / m1).toFixed(2)}x`);
    assert(m2 <= 1.2 * m1, `two tabs take ${(m2 / m1).toFixed(2)}x the worker memory of one (at most 1.2x)`);
  });

  it('an abort in one tab ends its own request only; closing a tab mid-request leaves the other\'s intact', async () => {
    const [a, b] = [await tab(), await tab()];
    const ea = a.engine(options);
    const eb = b.engine(options);
    await Promise.all([ea.load(), eb.load()]);

    const stop = a.controller();
    const pa = stream(ea, P1, 120, stop.signal);
    const pb = stream(eb, P2, 120);
    stop.abort();
    const [ra, rb] = await Promise.all([pa, pb]);
    assertEqual(ra.reason, 'abort', 'the aborted tab\'s request ended as aborted');
    assertEqual(rb.text, reference.get(P2), 'the other tab\'s text is whole');

    // Tab a starts a request and goes away while it runs; tab b's request, queued behind it, runs whole.
    const it = ea.generate({ prompt: P1, maxTokens: 120, temperature: 0 })[Symbol.asyncIterator]();
    await it.next();
    const pb2 = stream(eb, P2, 120);
    a.close();
    assertEqual((await pb2).text, reference.get(P2), 'the remaining tab\'s text is whole after the other tab closed');
    await sharedOnly();
  });

  it('a killed shared worker fails each tab\'s request typed, and the next call recovers in a fresh one', async () => {
    const [a, b] = [await tab(), await tab()];
    const ea = a.engine(options);
    const eb = b.engine(options);
    await Promise.all([ea.load(), eb.load()]);
    const errors = Promise.all([ea, eb].map(async (e) => {
      try {
        for await (const p of e.generate({ prompt: P1, maxTokens: 100_000, temperature: 0 })) if (p.type === 'finish') return `finished: ${p.reason}`;
      } catch (err) {
        return (err as { code?: string }).code;
      }
      return 'no finish';
    }));
    await new Promise((r) => setTimeout(r, 100));
    assertEqual(await killSharedWorker(), 1, 'the shared worker was killed');
    assertEqual(await errors, ['worker_crashed', 'worker_crashed'], 'both tabs\' requests failed typed');
    const [ta, tb] = await Promise.all([stream(ea, P1, 120), stream(eb, P2, 120)]);
    assertEqual([ta.text, tb.text], [reference.get(P1), reference.get(P2)], 'both tabs work again');
    await sharedOnly();
  });

  it('without SharedWorker a tab runs a worker of its own and says so', async () => {
    const t = await tab('?no-shared-worker');
    const e = t.engine(options);
    assertEqual((await stream(e, P1, 120)).text, reference.get(P1), 'it generates');
    const host = (await e.info()).host;
    assertEqual(host?.kind, 'dedicated-worker', 'a worker of its own');
    assert(host?.reason.includes('no SharedWorker'), `and why: ${host?.reason}`);
    assertEqual((await sdkWorkers()).map((w) => w.type), ['worker'], 'the browser runs a dedicated SDK worker, no shared one');
  });
});

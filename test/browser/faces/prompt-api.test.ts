/**
 * edgewise/prompt-api, the class and its statics through the built package in Chromium:
 * params(), availability() through a cold load (downloadprogress from the model server,
 * then the cache), create()'s option checks and abort, install() and the default engine.
 */
import { createEngine } from '/dist/edgewise.js';
import { FIXTURE_URL, assert, assertEqual, rejection, resetServer, serverLog } from '../helpers.js';
import { LanguageModel, LanguageModelSession, configureLanguageModel, createLanguageModel, fixtureEngine, install, nameOf, remoteEngine } from './prompt-api-face.js';

describe('prompt-api: LanguageModel statics', function () {
  this.timeout(120_000);

  it('availability() says unavailable for what the engine cannot serve, per the explainer: image/audio in, non-text out, other languages', async () => {
    const engine = remoteEngine();
    try {
      const LM = createLanguageModel(engine);
      assertEqual(await LM.availability(), 'available', 'a remote-only engine has nothing to download');
      assertEqual(await LM.availability({ expectedInputs: [{ type: 'text', languages: ['en-GB'] }], expectedOutputs: [{ type: 'text', languages: ['en'] }] }), 'available', 'en-GB matches en');
      assertEqual(await LM.availability({ expectedInputs: [{ type: 'image' }] }), 'unavailable', 'image inputs');
      assertEqual(await LM.availability({ expectedInputs: [{ type: 'audio' }] }), 'unavailable', 'audio inputs');
      assertEqual(await LM.availability({ expectedOutputs: [{ type: 'image' }] }), 'unavailable', 'image outputs');
      assertEqual(await LM.availability({ expectedInputs: [{ type: 'text', languages: ['ja'] }] }), 'unavailable', 'a language the model does not serve');
      assertEqual(await createLanguageModel(engine, { languages: ['en', 'ja'] }).availability({ expectedOutputs: [{ type: 'text', languages: ['ja'] }] }), 'available', 'a face that declares ja serves it');
      assertEqual(nameOf(await rejection(LM.availability({ expectedInputs: [{ type: 'text', languages: ['not a tag!'] }] }))), 'RangeError/RangeError', 'a malformed language tag');
      assertEqual(nameOf(await rejection(LM.availability({ expectedInputs: [{ type: 'video' as 'text' }] }))), 'TypeError/TypeError', 'an unknown type');
      assertEqual(nameOf(await rejection(LM.create({ expectedInputs: [{ type: 'audio' }] }))), 'DOMException/NotSupportedError', 'create() with unavailable options');
    } finally {
      await engine.dispose();
    }
  });

  it('params() and the sampling options: defaults, RangeError below range, clamping above, TypeError when mixed with samplingMode', async () => {
    const engine = remoteEngine();
    try {
      const LM = createLanguageModel(engine);
      const p = await LM.params();
      assert(p !== null && p.maxTemperature >= p.defaultTemperature && p.maxTopK >= p.defaultTopK && p.defaultTopK >= 1, `params: ${JSON.stringify(p)}`);
      const clamped = await LM.create({ temperature: 1e9, topK: 2.7 });
      assertEqual([clamped.temperature, clamped.topK, clamped.samplingMode], [p?.maxTemperature, 2, null], 'temperature clamped, topK floored, no samplingMode with raw parameters');
      const preset = await LM.create({ samplingMode: 'most-predictable' });
      assertEqual(preset.samplingMode, 'most-predictable', 'the resolved mode is exposed');
      assertEqual((await LM.create()).samplingMode, 'balanced', 'balanced is the default mode');
      assertEqual(nameOf(await rejection(LM.create({ temperature: -1 }))), 'RangeError/RangeError', 'negative temperature');
      assertEqual(nameOf(await rejection(LM.create({ topK: 0 }))), 'RangeError/RangeError', 'topK below 1');
      assertEqual(nameOf(await rejection(LM.create({ topK: 3, samplingMode: 'creative' }))), 'TypeError/TypeError', 'samplingMode with a raw parameter');
      assertEqual(nameOf(await rejection(LM.create({ tools: [{ name: 'x', description: 'no execute' } as never] }))), 'TypeError/TypeError', 'a tool without execute');
      assert(preset instanceof LM && preset instanceof LanguageModelSession && preset instanceof EventTarget, 'sessions are instances of the bound class and EventTargets');
      assertEqual(nameOf(await rejection(async () => new (LM as unknown as new () => unknown)())), 'TypeError/TypeError', 'new LanguageModel() is an illegal constructor');
    } finally {
      await engine.dispose();
    }
  });

  it('a cold create() from the model server: downloading while it loads, downloadprogress from 0 to 1 with total 1, then available; a second engine reads the cache', async () => {
    const id = `tiny-llama-prompt-api-${Date.now()}`;
    const engine = createEngine({ model: { id, url: FIXTURE_URL, dtype: 'q4' } });
    let second: ReturnType<typeof createEngine> | undefined;
    try {
      await engine.cache.delete();
      await resetServer();
      const LM = createLanguageModel(engine);
      assertEqual(await LM.availability(), 'downloadable', 'not cached, not loaded');
      const events: { loaded: number; total: number; isProgress: boolean }[] = [];
      let handlerCalls = 0;
      const creating = LM.create({
        monitor(m) {
          m.addEventListener('downloadprogress', (e) => events.push({ loaded: (e as ProgressEvent).loaded, total: (e as ProgressEvent).total, isProgress: e instanceof ProgressEvent }));
          m.ondownloadprogress = () => { handlerCalls++; };
        },
      });
      assertEqual(await LM.availability(), 'downloading', 'while create() loads');
      const session = await creating;
      assert(events.length >= 3, `at least 0, a step of the download and 1 (${events.length} events)`);
      assertEqual(events[0]?.loaded, 0, 'loaded 0 first');
      assertEqual(events.at(-1)?.loaded, 1, 'loaded 1 last');
      assert(events.every((e) => e.total === 1 && e.isProgress), 'ProgressEvents with total 1');
      assert(events.every((e, i) => i === 0 || e.loaded > (events[i - 1]?.loaded ?? 0)), `rising: ${events.map((e) => e.loaded.toFixed(3)).join(' ')}`);
      assert(events.slice(1, -1).some((e) => e.loaded > 0 && e.loaded < 1), 'a fraction in between, from the bytes');
      assertEqual(handlerCalls, events.length, 'the ondownloadprogress handler attribute fires too');
      const fetched = (await serverLog()).filter((r) => r.path.includes(`/fixtures/tiny-llama/onnx/`) && r.status < 300);
      assert(fetched.length > 0, 'the weights came from the model server');
      assertEqual(await LM.availability(), 'available', 'loaded');
      assert(session.contextWindow === 256, `the fixture's context length is the window (${session.contextWindow})`);

      second = createEngine({ model: { id, url: FIXTURE_URL, dtype: 'q4' } });
      const LM2 = createLanguageModel(second);
      assertEqual(await LM2.availability(), 'available', 'stored in the cache: available before any load');
      const again: number[] = [];
      await LM2.create({ monitor: (m) => m.addEventListener('downloadprogress', (e) => again.push((e as ProgressEvent).loaded)) });
      assertEqual([again[0], again.at(-1)], [0, 1], 'a cache read still fires 0 first and 1 last');
    } finally {
      await second?.dispose();
      await engine.cache.delete().catch(() => undefined);
      await engine.dispose();
    }
  });

  it('create() with a signal: an aborted one rejects with its reason; aborting during the load rejects with the reason; aborting later destroys the session', async () => {
    const engine = fixtureEngine('tiny-llama-prompt-api-abort');
    try {
      const LM = createLanguageModel(engine);
      const reason = new Error('not now');
      assertEqual(await rejection(LM.create({ signal: AbortSignal.abort(reason) })), reason, 'already aborted: the reason itself');
      const during = new AbortController();
      const late: number[] = [];
      const p = LM.create({ signal: during.signal, monitor: (m) => m.addEventListener('downloadprogress', (e) => late.push((e as ProgressEvent).loaded)) });
      const why = new DOMException('user left', 'AbortError');
      during.abort(why);
      assertEqual(await rejection(p), why, 'aborted while loading: the reason');
      assert(!late.includes(1), 'no loaded 1 after an abort');
      const c = new AbortController();
      const session = await LM.create({ signal: c.signal });
      c.abort();
      assertEqual(nameOf(await rejection(session.prompt('hi'))), 'DOMException/InvalidStateError', 'the create signal destroyed the session');
    } finally {
      await engine.dispose();
    }
  });

  it('install() puts LanguageModel on globalThis only where there is none, or when forced', () => {
    const g = globalThis as { LanguageModel?: unknown };
    const before = Object.getOwnPropertyDescriptor(globalThis, 'LanguageModel');
    try {
      const browsers = { availability: async () => 'available', create: async () => ({}) };
      g.LanguageModel = browsers;
      assertEqual(install(), false, 'not over an existing one');
      assert(g.LanguageModel === browsers, 'the existing one is untouched');
      assertEqual(install({ force: true }), true, 'forced');
      assert(g.LanguageModel === LanguageModel, 'ours when forced');
      delete g.LanguageModel;
      assertEqual(install(), true, 'where there is none');
      assert(g.LanguageModel === LanguageModel, 'ours');
    } finally {
      delete g.LanguageModel;
      if (before) Object.defineProperty(globalThis, 'LanguageModel', before);
    }
  });

  it('the default LanguageModel: the catalog default until configured (downloadable, nothing fetched yet), then the configured engine', async () => {
    assertEqual(await LanguageModel.availability(), 'downloadable', 'SmolLM2-135M-Instruct from the hub, not cached in this profile');
    const engine = remoteEngine();
    try {
      configureLanguageModel(engine);
      const session = await LanguageModel.create();
      assertEqual(await session.prompt('hello there'), 'Echo: hello there', 'the configured engine answered');
      configureLanguageModel({ model: { id: 'tiny-llama', url: FIXTURE_URL, dtype: 'q4' }, cache: false });
      const local = await LanguageModel.create({ samplingMode: 'most-predictable' });
      assertEqual(local.contextWindow, 256, 'options make a new default engine: the fixture');
      assert(session.contextWindow === Infinity, 'the earlier session keeps its engine (a remote: unknown window)');
    } finally {
      await engine.dispose();
    }
  });
});

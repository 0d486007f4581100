/**
 * Acceptance (issue 6.4): every bad option gets its own typed error, whose message says
 * what to pass instead; async methods reject rather than throw; nothing hangs.
 */
import { createEngine, isEdgewiseError, type EngineOptions, type GenerateRequest } from '/dist/edgewise.js';
import { FIXTURE_URL, assert, assertEqual } from '../helpers.js';

const model = { id: 'tiny-llama', url: FIXTURE_URL, dtype: 'q4' } as const;

/** Runs `f`, which must fail; reports how (sync throw vs rejection) and with what. */
async function failure(f: () => unknown): Promise<{ how: 'threw' | 'rejected'; code: string; message: string }> {
  let result: unknown;
  try {
    result = f();
  } catch (e) {
    return { how: 'threw', code: isEdgewiseError(e) ? e.code : `untyped ${String(e)}`, message: String((e as Error).message) };
  }
  const t0 = performance.now();
  try {
    await Promise.race([result, new Promise((_, reject) => setTimeout(() => reject(new Error('hung for 1 s')), 1000))]);
  } catch (e) {
    assert(performance.now() - t0 < 1000, 'settled within a second');
    return { how: 'rejected', code: isEdgewiseError(e) ? e.code : `untyped ${String(e)}`, message: String((e as Error).message) };
  }
  throw new Error('expected a failure, but it succeeded');
}

const engineWith = (extra: Record<string, unknown>) => () => createEngine({ model, cache: false, ...extra } as unknown as EngineOptions);

describe('reliability: every bad option gets a typed error', () => {
  const engine = createEngine({ model, cache: false });
  after(() => engine.dispose());

  const createCases: [string, () => unknown, string][] = [
    ['numThreads -3', engineWith({ numThreads: -3 }), 'invalid_option'],
    ["numThreads 'many'", engineWith({ numThreads: 'many' }), 'invalid_option'],
    ["eviction 'sometimes'", engineWith({ eviction: 'sometimes' }), 'invalid_option'],
    ["wasmWeights 'int4'", engineWith({ wasmWeights: 'int4' }), 'invalid_option'],
    ["cache 'yes'", engineWith({ cache: 'yes' }), 'invalid_option'],
    ['assetsUrl javascript:', engineWith({ assetsUrl: 'javascript:alert(1)' }), 'invalid_option'],
    ['assetsUrl not a string', engineWith({ assetsUrl: 42 }), 'invalid_option'],
    ["policy 'sometimes'", engineWith({ policy: 'sometimes' }), 'invalid_policy'],
    ['model url javascript:', () => createEngine({ model: { id: 'x', url: 'javascript:alert(1)' } }), 'invalid_model_spec'],
    ['model url data:', () => createEngine({ model: { id: 'x', url: 'data:text/plain,hello' } }), 'invalid_model_spec'],
    ['model url blob:', () => createEngine({ model: { id: 'x', url: 'blob:http://x/1' } }), 'invalid_model_spec'],
    ['sha256 not hex', () => createEngine({ model: { ...model, sha256: { 'onnx/model_q4.onnx': 'abc' } } }), 'invalid_model_spec'],
    ['sha256 not an object', () => createEngine({ model: { ...model, sha256: 'abc' as unknown as Record<string, string> } }), 'invalid_model_spec'],
    ['options not an object', () => createEngine(undefined as unknown as EngineOptions), 'invalid_option'],
  ];
  for (const [name, f, code] of createCases) {
    it(`createEngine: ${name} → ${code}`, async () => {
      const r = await failure(f);
      assertEqual(r.code, code, `code (message: ${r.message})`);
      assert(r.message.length > 30 && /pass|use/i.test(r.message), `the message says what to pass instead: ${r.message}`);
    });
  }

  const requestCases: [string, GenerateRequest, string][] = [
    ['signal {}', { prompt: 'x', signal: {} as AbortSignal }, 'invalid_signal'],
    ["signal 'stop'", { prompt: 'x', signal: 'stop' as unknown as AbortSignal }, 'invalid_signal'],
    ["policy 'sometimes'", { prompt: 'x', policy: 'sometimes' as 'local-only' }, 'invalid_policy'],
    ['maxLocalLatencyMs -1', { prompt: 'x', maxLocalLatencyMs: -1 }, 'invalid_option'],
  ];
  for (const [name, req, code] of requestCases) {
    it(`text(): ${name} → ${code}, rejected`, async () => {
      const r = await failure(() => engine.text(req));
      assertEqual(r.how, 'rejected', 'an async method rejects');
      assertEqual(r.code, code, `code (message: ${r.message})`);
    });
    it(`generate(): ${name} → ${code}, thrown at the call (documented: invalid requests throw at once)`, async () => {
      const r = await failure(() => engine.generate(req));
      assertEqual(r.code, code, `code (message: ${r.message})`);
    });
  }

  it("load({ onProgress: 'x' }) → invalid_callback, rejected", async () => {
    const r = await failure(() => engine.load({ onProgress: 'x' as unknown as () => void }));
    assertEqual([r.how, r.code], ['rejected', 'invalid_callback'], r.message);
  });

  it('load({ signal: {} }) → invalid_signal, rejected', async () => {
    const r = await failure(() => engine.load({ signal: {} as AbortSignal }));
    assertEqual([r.how, r.code], ['rejected', 'invalid_signal'], r.message);
  });

  it("load('fast') → invalid_option, rejected", async () => {
    const r = await failure(() => engine.load('fast' as unknown as undefined));
    assertEqual([r.how, r.code], ['rejected', 'invalid_option'], r.message);
  });

  it("cache.has({ id: '' }) and cache.delete({ id: '' }) reject with invalid_model_spec instead of throwing", async () => {
    for (const f of [() => engine.cache.has({ id: '' }), () => engine.cache.delete({ id: '' })]) {
      const r = await failure(f);
      assertEqual([r.how, r.code], ['rejected', 'invalid_model_spec'], r.message);
    }
  });

  it('load() and cache calls after dispose() reject with disposed', async () => {
    const e = createEngine({ model, cache: false });
    await e.dispose();
    for (const f of [() => e.load(), () => e.cache.list(), () => e.text({ prompt: 'x' })]) {
      const r = await failure(f);
      assertEqual([r.how, r.code], ['rejected', 'disposed'], r.message);
    }
  });

  it('the engine still works after all of the above', async () => {
    assert((await engine.text({ prompt: 'hello', maxTokens: 3 })).length > 0, 'text');
  });
});

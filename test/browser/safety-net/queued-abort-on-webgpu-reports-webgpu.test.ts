/**
 * Safety net (public API, built package, real worker, WebGPU on Dawn's SwiftShader
 * adapter through --enable-unsafe-webgpu): a request aborted while it waits in the
 * queue behind another one on a WebGPU engine ends with an `'abort'` finish that says
 * where it would have run: `ranOn: 'webgpu'`, the device the engine's model runs on.
 * (Before the redesign the worker stamped 'wasm' on such a finish.)
 */
import { createEngine, type Engine, type FinishPart } from '/dist/edgewise.js';
import { FIXTURE_URL, assert, assertEqual } from '../helpers.js';

async function hasWebGPU(): Promise<boolean> {
  return (await (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu?.requestAdapter()) != null;
}

/** Drains a stream in the background, noting when its first text part and its finish came. */
function drain(engine: Engine, prompt: string, maxTokens: number, signal?: AbortSignal) {
  const state: { firstText?: number; finish?: FinishPart; finishedAt?: number; error?: unknown } = {};
  const done = (async () => {
    try {
      for await (const p of engine.generate({ prompt, maxTokens, temperature: 0, ...(signal ? { signal } : {}) })) {
        if (p.type === 'text') state.firstText ??= performance.now();
        else if (p.type === 'finish') {
          state.finish = p;
          state.finishedAt = performance.now();
        }
      }
    } catch (e) {
      state.error = e;
    }
  })();
  return { state, done };
}

const until = async (cond: () => boolean, ms: number): Promise<boolean> => {
  const end = performance.now() + ms;
  while (!cond() && performance.now() < end) await new Promise((r) => setTimeout(r, 10));
  return cond();
};

describe('safety net: an abort while queued on a WebGPU engine', function () {
  this.timeout(240_000);
  before(async function () {
    if (!(await hasWebGPU())) {
      console.warn('SKIP: this browser has no WebGPU adapter (run Chromium with --enable-unsafe-webgpu)');
      this.skip();
    }
  });

  it("a request aborted in the queue behind a running one ends 'abort' with ranOn 'webgpu'", async () => {
    const engine = createEngine({ model: { id: 'safety-net-webgpu-queue', url: FIXTURE_URL, dtype: 'fp32' }, device: 'webgpu', cache: false });
    try {
      const info = await engine.load();
      assertEqual(info.ranOn, 'webgpu', 'the model runs on WebGPU');

      // The long request: software WebGPU decodes slowly, so it runs for seconds.
      const stop = new AbortController();
      const long = drain(engine, 'Once upon a time', 256, stop.signal);
      assert(await until(() => long.state.firstText !== undefined, 60_000), 'the long request started producing text');

      const queued = new AbortController();
      const waiting = drain(engine, 'Hello', 8, queued.signal);
      // Time for the second request to reach the worker's queue while the first decodes.
      await new Promise((r) => setTimeout(r, 1000));
      const running = (): boolean => long.state.finish === undefined;
      assert(running() && waiting.state.finish === undefined, 'the first still runs and the second still waits');
      queued.abort();
      assert(await until(() => waiting.state.finish !== undefined || waiting.state.error !== undefined, 10_000), 'the queued request ended');
      assertEqual(waiting.state.error, undefined, 'no error: an abort ends with a finish part');
      assert(running(), 'it ended while the first request was still running: it never ran');
      const aborted = waiting.state.finish as FinishPart | undefined;
      assertEqual(aborted?.reason, 'abort', 'finish reason');
      assertEqual(aborted?.usage.completionTokens, 0, 'no token was generated for it');
      stop.abort();
      await long.done;
      assertEqual((long.state.finish as FinishPart | undefined)?.ranOn, 'webgpu', 'the running request ran on WebGPU');
      assertEqual(aborted?.ranOn, 'webgpu', 'the queued request reports the device it waited for');
    } finally {
      await engine.dispose();
    }
  });
});

/**
 * Issue 9, ONNX on WebGPU in headless Chromium with --enable-unsafe-webgpu (Dawn's
 * SwiftShader adapter: real WebGPU, no GPU; ~70× slower than WASM, so tiny models only).
 * Greedy tokens match WASM; the KV cache stays on the GPU without leaking; `auto` passes
 * over a software adapter; fp16 without shader-f16 is refused typed; a lost device falls
 * back to WASM before the first token and is a typed error after it. The device loss goes
 * through the worker's TEST-ONLY hook, reached with the test-only worker capture.
 */
import { wrap } from 'comlink';
import { createEngine, isEdgewiseError, type Engine, type FinishPart } from '/dist/edgewise.js';
import { FIXTURE_URL, STORIES_URL, assert, assertEqual, rejection, sharedModelsAvailable } from '../helpers.js';
import { lastWorker } from '../reliability/capture-worker.js';

const fixture = { id: 'tiny-llama', url: FIXTURE_URL, dtype: 'fp32' } as const;
const codeOf = (e: unknown): string => (isEdgewiseError(e) ? e.code : `untyped: ${String(e)}`);
const loseDevice = (): Promise<boolean> => wrap<{ loseDeviceForTests(): Promise<boolean> }>(lastWorker()).loseDeviceForTests();

async function greedy(engine: Engine, prompt: string, maxTokens: number): Promise<{ ids: number[]; finish: FinishPart }> {
  let finish: FinishPart | undefined;
  for await (const p of engine.generate({ prompt, maxTokens, includeTokenIds: true })) if (p.type === 'finish') finish = p;
  if (!finish) throw new Error('no finish');
  return { ids: finish.tokenIds ?? [], finish };
}

async function hasWebGPU(): Promise<boolean> {
  return (await (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu?.requestAdapter()) != null;
}

describe('webgpu: ONNX on the WebGPU execution provider', function () {
  this.timeout(300_000);
  before(async function () {
    if (!(await hasWebGPU())) {
      console.warn('SKIP WebGPU suite: this browser has no WebGPU adapter (run Chromium with --enable-unsafe-webgpu)');
      this.skip();
    }
  });

  it('structured output on WebGPU: the grammar masks the logits the GPU computed; the output validates, and a tool call is made', async () => {
    const engine = createEngine({ model: fixture, device: 'webgpu', cache: false });
    try {
      const schema = { type: 'object', properties: { ok: { type: 'boolean' }, n: { type: 'integer', minimum: 0, maximum: 9 } }, required: ['ok', 'n'], additionalProperties: false };
      const value = await engine.object<{ ok: boolean; n: number }>({ prompt: 'Answer:', schema, maxTokens: 40 });
      assert(typeof value.ok === 'boolean' && Number.isInteger(value.n), `validated: ${JSON.stringify(value)}`);
      const tools = [{ name: 'ping', parameters: { type: 'object', properties: { n: { type: 'integer', minimum: 0, maximum: 9 } }, required: ['n'] } }];
      let call = '';
      let ranOn = '';
      for await (const p of engine.generate({ prompt: 'Ping', tools, toolChoice: 'required', maxTokens: 40 })) {
        if (p.type === 'tool-call') call = p.name;
        if (p.type === 'finish') ranOn = p.ranOn;
      }
      assertEqual([call, ranOn], ['ping', 'webgpu'], 'the call, on WebGPU');
    } finally {
      await engine.dispose();
    }
  });

  it('the fixture: greedy tokens on WebGPU equal those on WASM (3 prompts × 24 tokens)', async () => {
    const gpu = createEngine({ model: fixture, device: 'webgpu', cache: false });
    const cpu = createEngine({ model: fixture, device: 'wasm', cache: false });
    try {
      for (const prompt of ['The quick brown fox', 'Once upon a time', 'Hello']) {
        const a = await greedy(gpu, prompt, 24);
        const b = await greedy(cpu, prompt, 24);
        assertEqual(a.finish.ranOn, 'webgpu', 'ran on WebGPU');
        assertEqual(b.finish.ranOn, 'wasm', 'ran on WASM');
        assertEqual(a.ids, b.ids, `same greedy ids for ${JSON.stringify(prompt)}`);
      }
      const info = await gpu.info();
      assertEqual(info.model?.ranOn, 'webgpu', 'engine.info() says WebGPU');
      assert((info.model?.detail ?? '').includes("'webgpu'"), `and why: ${info.model?.detail}`);
    } finally {
      await gpu.dispose();
      await cpu.dispose();
    }
  });

  it('stories260K fp32: greedy tokens on WebGPU equal those on WASM', async function () {
    if (!(await sharedModelsAvailable())) {
      console.warn('SKIP stories260K on WebGPU: ../shared/models is absent');
      this.skip();
    }
    const model = { id: 'stories260K', url: STORIES_URL, dtype: 'fp32' } as const;
    const gpu = createEngine({ model, device: 'webgpu', cache: false });
    const cpu = createEngine({ model, device: 'wasm', cache: false });
    try {
      const a = await greedy(gpu, 'Once upon a time', 48);
      const b = await greedy(cpu, 'Once upon a time', 48);
      assertEqual(a.finish.ranOn, 'webgpu', 'ran on WebGPU');
      assertEqual(a.ids, b.ids, 'same greedy ids');
    } finally {
      await gpu.dispose();
      await cpu.dispose();
    }
  });

  it('200 generations: the GPU holds the same number of KV-cache tensors after as before (no leak)', async () => {
    const engine = createEngine({ model: fixture, device: 'webgpu', cache: false });
    try {
      await greedy(engine, 'Hi', 3);
      const before = (await engine.info()).liveGpuTensors;
      assertEqual(before, 4, 'one key and one value per layer (2 layers) live between requests');
      for (let i = 0; i < 200; i++) await greedy(engine, i % 2 ? 'Hi' : 'The cat', 3);
      const after = (await engine.info()).liveGpuTensors;
      console.log(`webgpu: live GPU cache tensors ${before} before, ${after} after 200 generations`);
      assertEqual(after, before, 'no GPU tensor growth');
    } finally {
      await engine.dispose();
    }
  });

  it("device 'auto' passes over a software fallback adapter and says why", async () => {
    const engine = createEngine({ model: fixture, cache: false });
    try {
      const { finish } = await greedy(engine, 'Hi', 3);
      assertEqual(finish.ranOn, 'wasm', 'WASM');
      const info = await engine.info();
      assert(/fallback|no adapter|no WebGPU/i.test(info.model?.detail ?? ''), `info says why: ${info.model?.detail}`);
    } finally {
      await engine.dispose();
    }
  });

  it("fp16 weights on an adapter without shader-f16: 'webgpu' → missing_shader_f16; 'auto' → WASM", async () => {
    const fp16 = { id: 'tiny-llama', url: FIXTURE_URL, dtype: 'fp16' } as const;
    const strict = createEngine({ model: fp16, device: 'webgpu', cache: false });
    const auto = createEngine({ model: fp16, cache: false });
    try {
      assertEqual(codeOf(await rejection(strict.load())), 'missing_shader_f16', 'typed refusal');
      assertEqual((await greedy(auto, 'Hi', 3)).finish.ranOn, 'wasm', 'auto runs it on WASM');
    } finally {
      await strict.dispose();
      await auto.dispose();
    }
  });

  it('the device lost before the first token: the request continues on WASM in a fresh worker; the route says so; the next call works', async () => {
    const engine = createEngine({ model: fixture, device: 'webgpu', cache: false });
    try {
      assertEqual((await greedy(engine, 'Hi', 3)).finish.ranOn, 'webgpu', 'first on WebGPU');
      assert(await loseDevice(), 'the device was destroyed');
      const r = await greedy(engine, 'The quick brown fox', 8);
      assertEqual(r.finish.ranOn, 'wasm', 'continued on WASM');
      assertEqual(r.finish.route.failover?.code, 'device_lost', `route.failover says what failed (${r.finish.route.detail})`);
      assert(r.finish.route.skipped?.some((s) => s.ranOn === 'webgpu' && s.reason === 'unsupported_device'), 'route.skipped lists WebGPU');
      const next = await greedy(engine, 'Hi', 3);
      assertEqual(next.finish.ranOn, 'wasm', 'the next call works, on WASM');
    } finally {
      await engine.dispose();
    }
  });

  it('the device lost while the model (re)loads: load falls back to WASM', async () => {
    const engine = createEngine({ model: { ...fixture, id: 'tiny-llama-gpu-reload' }, device: 'webgpu' });
    try {
      await engine.load();
      assert(await loseDevice(), 'the device was destroyed');
      await engine.cache.delete();
      const info = await engine.load();
      assertEqual(info.ranOn, 'wasm', 'the reload ran on WASM');
      assertEqual((await greedy(engine, 'Hi', 3)).finish.ranOn, 'wasm', 'and generates there');
    } finally {
      await engine.cache.delete();
      await engine.dispose();
    }
  });

  it('the device lost after the first token: a typed device_lost error, never a splice; the next call works', async () => {
    const engine = createEngine({ model: fixture, device: 'webgpu', cache: false });
    try {
      await engine.load();
      let text = 0;
      let code = 'no error';
      try {
        for await (const p of engine.generate({ prompt: 'Once upon a time', maxTokens: 60 })) {
          if (p.type === 'text' && ++text === 1) await loseDevice();
        }
      } catch (e) {
        code = codeOf(e);
      }
      assertEqual(code, 'device_lost', 'typed error after the first token');
      assertEqual((await greedy(engine, 'Hi', 3)).finish.ranOn, 'wasm', 'the next call continues on WASM');
    } finally {
      await engine.dispose();
    }
  });
});

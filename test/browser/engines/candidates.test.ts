/**
 * Issue 9 in Chromium, through the built package: an ordered list of local candidates
 * (built-in → web-llm → ONNX) and a fallback chain that never leaves a user stuck.
 * Headless Chromium has no built-in model and no MLC weights can be fetched here, so:
 * the built-in model runs against a RECORDING FAKE of the Prompt API (`LanguageModel`)
 * installed on this test page; web-llm runs for real up to the point where it needs the
 * model hub, which exercises its real error paths through our API.
 */
import { createEngine, isEdgewiseError, type FinishPart, type LocalModelSpec } from '/dist/edgewise.js';
import { createFakeLanguageModel } from '../../fakes/fake-language-model.js';
import { FIXTURE_URL, assert, assertEqual } from '../helpers.js';
import { remoteReset, testRemote } from '../edge-cloud/remote-helpers.js';

const onnx = { id: 'tiny-llama', url: FIXTURE_URL, dtype: 'q4' } as const;
const builtin = { engine: 'builtin' } as const;
// q4f16: needs shader-f16, which the SwiftShader adapter lacks; q4f32 runs on any adapter.
const webllmF16 = { engine: 'webllm', id: 'SmolLM2-360M-Instruct-q4f16_1-MLC' } as const;
const webllmF32 = { engine: 'webllm', id: 'SmolLM2-360M-Instruct-q4f32_1-MLC' } as const;

async function finishOf(model: LocalModelSpec | LocalModelSpec[], extra: Record<string, unknown> = {}): Promise<{ finish?: FinishPart; code?: string; text: string }> {
  const engine = createEngine({ model, cache: false, ...extra });
  let text = '';
  try {
    for await (const p of engine.generate({ prompt: 'Hi', maxTokens: 4 })) {
      if (p.type === 'text') text += p.text;
      else if (p.type === 'finish') return { finish: p, text };
    }
    return { text };
  } catch (e) {
    return { code: isEdgewiseError(e) ? e.code : `untyped ${String(e)}`, text };
  } finally {
    await engine.dispose();
  }
}

describe('engines: candidate lists and the fallback chain', function () {
  this.timeout(120_000);
  afterEach(() => { delete (globalThis as { LanguageModel?: unknown }).LanguageModel; });

  it('built-in (absent) → web-llm q4f16 (no shader-f16) → ONNX: ONNX runs, and route.skipped says why the others did not', async () => {
    const r = await finishOf([builtin, webllmF16, onnx]);
    assertEqual(r.finish?.ranOn, 'wasm', `ONNX served (${r.code ?? ''})`);
    const skipped = r.finish?.route.skipped ?? [];
    assertEqual(skipped.map((s) => `${s.ranOn}:${s.reason}`), ['builtin:unsupported_device', 'webllm:unsupported_device'], JSON.stringify(skipped));
    assert(/shader-f16/.test(skipped[1]?.detail ?? ''), `the web-llm skip names shader-f16: ${skipped[1]?.detail}`);
  });

  it('the built-in model (RECORDING FAKE of the Prompt API on this page) serves when available; finish.ranOn is builtin', async () => {
    const fake = createFakeLanguageModel({ availability: 'available', chunks: ['Hel', 'lo'] });
    (globalThis as { LanguageModel?: unknown }).LanguageModel = fake.LanguageModel;
    const r = await finishOf([builtin, onnx]);
    assertEqual([r.finish?.ranOn, r.text], ['builtin', 'Hello'], 'built-in answered');
    assert(fake.callsOf('create').length >= 1, 'the fake saw create()');
  });

  it("the built-in model 'downloadable' without allowDownload → skipped as unsupported; with allowDownload → downloading in the background, ONNX serves meanwhile", async () => {
    const fake = createFakeLanguageModel({ availability: 'downloadable', downloadStepMs: 50 });
    (globalThis as { LanguageModel?: unknown }).LanguageModel = fake.LanguageModel;
    const a = await finishOf([builtin, onnx]);
    assertEqual([a.finish?.ranOn, a.finish?.route.skipped?.[0]?.reason], ['wasm', 'unsupported_device'], 'no download asked');
    const b = await finishOf([{ engine: 'builtin', allowDownload: true }, onnx]);
    assertEqual([b.finish?.ranOn, b.finish?.route.skipped?.[0]?.reason], ['wasm', 'downloading'], 'download started, ONNX meanwhile');
  });

  it('web-llm for real (q4f32 on this adapter): its download cannot reach the model hub → typed model_not_found before the first token → ONNX takes over', async () => {
    const r = await finishOf([webllmF32, onnx]);
    assertEqual(r.finish?.ranOn, 'wasm', `ONNX served after web-llm failed (${r.code ?? r.finish?.route.detail})`);
    const f = r.finish?.route.failover;
    assertEqual(f?.from, 'webllm', 'the failover names web-llm');
    assert(f?.code === 'model_not_found' || f?.code === 'webgpu_unavailable', `a typed error from the real web-llm module: ${f?.code} ${f?.message}`);
  });

  it('web-llm alone under local-only fails typed, never with a string', async () => {
    const r = await finishOf(webllmF32, { policy: 'local-only' });
    assert(r.code === 'model_not_found' || r.code === 'webgpu_unavailable', `typed: ${r.code}`);
  });

  it('a web-llm embedding model for real: it cannot reach the model hub, so embed() fails over to the remote, typed', async () => {
    await remoteReset();
    const engine = createEngine({ embeddingModel: { engine: 'webllm', id: 'snowflake-arctic-embed-m-q0f32-MLC-b4' }, ...testRemote(), cache: false });
    try {
      const v = await engine.embed(['hello']);
      assertEqual(v.ranOn, 'remote', 'the remote embedded it');
      assert(v.route.failover?.from === 'wasm' || v.route.failover?.from === 'webllm', `the failover is recorded: ${JSON.stringify(v.route)}`);
      assert(['model_not_found', 'webgpu_unavailable'].includes(v.route.failover?.code ?? ''), `typed: ${v.route.failover?.code}`);
    } finally {
      await engine.dispose();
    }
  });

  it('every local candidate unusable, prefer-local with a remote → the remote serves; route lists every skipped candidate', async () => {
    await remoteReset();
    const r = await finishOf([builtin, webllmF16], testRemote());
    assertEqual(r.finish?.ranOn, 'remote', 'remote served');
    assertEqual(r.finish?.route.skipped?.slice(0, 2).map((s) => s.ranOn), ['builtin', 'webllm'], `local candidates listed first: ${JSON.stringify(r.finish?.route.skipped)}`);
  });
});

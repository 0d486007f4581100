/**
 * Raw onnxruntime-web decode loop, no SDK: isolates the runtime build and the thread/
 * context setup from edgewise's own code. `ort-diag.mjs` calls `runDiag(config, 'page' | 'worker')`
 * once per fresh page (a runtime's thread count is fixed once it starts). `sdk` is the onnxruntime-web 1.30 WASM build edgewise ships (/dist/), `tjs` the 1.31-dev
 * build transformers.js bundles (/ort-tjs/).
 */
import * as ortSdk from 'onnxruntime-web/wasm';
// @ts-expect-error: a dist file without types; used through the onnxruntime-web/wasm types
import * as ortTjs from '../../node_modules/@huggingface/transformers/node_modules/onnxruntime-web/dist/ort.webgpu.bundle.min.mjs';

type Ort = typeof ortSdk;

interface DiagConfig {
  ort: 'sdk' | 'tjs';
  threads: number;
  model: string;
  steps: number;
  promptLength: number;
  layers: number;
  kvHeads: number;
  headDim: number;
  origin: string;
  /** Keep the session (and the runtime's threads) alive after the run, to measure idle CPU. */
  keep?: boolean;
  graphOptimizationLevel: 'disabled' | 'basic' | 'extended' | 'all';
}

async function run(cfg: DiagConfig): Promise<Record<string, unknown>> {
  const ort = (cfg.ort === 'sdk' ? ortSdk : (ortTjs as unknown as Ort));
  ort.env.wasm.wasmPaths = cfg.ort === 'sdk' ? `${cfg.origin}/dist/` : `${cfg.origin}/ort-tjs/`;
  ort.env.wasm.numThreads = cfg.threads;
  const bytes = new Uint8Array(await (await fetch(`${cfg.origin}/fixtures/${cfg.model}/onnx/model_q4.onnx`)).arrayBuffer());
  // The runtime starts (fetches and compiles its .wasm, spawns threads) on the first session:
  // time that on the tiny fixture, apart from opening the big model.
  const tiny = new Uint8Array(await (await fetch(`${cfg.origin}/fixtures/tiny-llama/onnx/model_q4.onnx`)).arrayBuffer());
  let t = performance.now();
  await (await ort.InferenceSession.create(tiny, { executionProviders: ['wasm'] })).release();
  const runtimeInitMs = performance.now() - t;
  t = performance.now();
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: cfg.graphOptimizationLevel });
  const sessionMs = performance.now() - t;
  const hasPos = session.inputNames.includes('position_ids');

  async function generate(): Promise<{ ttftMs: number; decodeTokPerSec: number; stepMs: number[] }> {
    let past: Record<string, ortSdk.Tensor> = {};
    for (let i = 0; i < cfg.layers; i++) {
      for (const kv of ['key', 'value']) past[`past_key_values.${i}.${kv}`] = new ort.Tensor('float32', new Float32Array(0), [1, cfg.kvHeads, 0, cfg.headDim]);
    }
    let ids = Array.from({ length: cfg.promptLength }, (_, i) => 100 + i * 7);
    let pastLength = 0;
    const stepMs: number[] = [];
    const t0 = performance.now();
    let tFirst = 0;
    for (let s = 0; s <= cfg.steps; s++) {
      const n = ids.length;
      const total = pastLength + n;
      const feeds: Record<string, ortSdk.Tensor> = {
        ...past,
        input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, n]),
        attention_mask: new ort.Tensor('int64', new BigInt64Array(total).fill(1n), [1, total]),
      };
      if (hasPos) feeds.position_ids = new ort.Tensor('int64', BigInt64Array.from({ length: n }, (_, i) => BigInt(pastLength + i)), [1, n]);
      const ts = performance.now();
      const out = await session.run(feeds);
      stepMs.push(performance.now() - ts);
      const next: Record<string, ortSdk.Tensor> = {};
      for (let i = 0; i < cfg.layers; i++) {
        for (const kv of ['key', 'value']) {
          past[`past_key_values.${i}.${kv}`]?.dispose?.();
          next[`past_key_values.${i}.${kv}`] = out[`present.${i}.${kv}`] as ortSdk.Tensor;
        }
      }
      past = next;
      pastLength = total;
      const logits = out.logits as ortSdk.Tensor;
      const data = logits.data as Float32Array;
      const vocab = logits.dims[logits.dims.length - 1] as number;
      let best = 0;
      for (let i = data.length - vocab, b = -Infinity; i < data.length; i++) if ((data[i] as number) > b) { b = data[i] as number; best = i - (data.length - vocab); }
      if (s === 0) tFirst = performance.now();
      ids = [best];
    }
    const end = performance.now();
    return { ttftMs: tFirst - t0, decodeTokPerSec: (cfg.steps * 1000) / (end - tFirst), stepMs };
  }

  await generate();
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await generate());
  const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
  if (!cfg.keep) await session.release();
  return {
    ort: cfg.ort, version: ort.env.versions?.web, threads: cfg.threads, graphOptimizationLevel: cfg.graphOptimizationLevel, promptLength: cfg.promptLength, crossOriginIsolated: globalThis.crossOriginIsolated,
    runtimeInitMs: Math.round(runtimeInitMs),
    sessionMs: Math.round(sessionMs),
    ttftMs: Math.round(med(runs.map((r) => r.ttftMs))),
    decodeTokPerSec: Math.round(med(runs.map((r) => r.decodeTokPerSec)) * 100) / 100,
    decodeTokPerSecRuns: runs.map((r) => Math.round(r.decodeTokPerSec * 100) / 100),
  };
}

const inWorker = typeof window === 'undefined';
if (inWorker) {
  self.onmessage = async (e: MessageEvent<DiagConfig>) => {
    try { self.postMessage({ ok: await run(e.data) }); } catch (err) { self.postMessage({ error: String((err as Error)?.stack ?? err) }); }
  };
} else {
  (window as unknown as { runDiag: (cfg: DiagConfig, ctx: 'page' | 'worker') => Promise<unknown> }).runDiag = async (cfg, ctx) => {
    if (ctx === 'page') return run(cfg);
    const w = new Worker(new URL(import.meta.url), { type: 'module' });
    return new Promise((ok, fail) => {
      w.onmessage = (e: MessageEvent<{ ok?: unknown; error?: string }>) => (e.data.error ? fail(new Error(e.data.error)) : ok(e.data.ok));
      w.onerror = (e) => fail(new Error(e.message));
      w.postMessage(cfg);
    });
  };
}

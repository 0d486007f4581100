/**
 * The only place that touches onnxruntime-web. It is `import()`ed on first load so a
 * page that never runs an ONNX model never downloads the runtime.
 */
import type * as Ort from 'onnxruntime-web';
import { capabilities } from '../../capabilities.js';
import { EdgewiseError } from '../../errors.js';

export type OrtModule = typeof Ort;
import type { OrtDevice } from '../../gpu.js';

export type { OrtDevice } from '../../gpu.js';
const ortPromises: Partial<Record<OrtDevice, Promise<OrtModule>>> = {};
const loaded: OrtModule[] = [];

export interface RuntimeOptions {
  assetsUrl: string;
  numThreads: number;
  /** Which build to load: the WASM-only one (14 MB), or the WebGPU one (27 MB, also runs the WASM EP). */
  device?: OrtDevice;
}

type WasmPaths = string | { mjs: string; wasm: string };

/**
 * Where the build's `.mjs` glue and `.wasm` are. A worker that is the SDK's own
 * `edgewise.worker.js` under `assetsUrl` (`dist/` as shipped, or a copy the page names)
 * has them beside it under their own names: ORT gets that folder as its prefix, as it
 * always has. Any other worker was emitted by the app's bundler (Vite, from
 * `new Worker(new URL(…, import.meta.url))` in the worker client), which also copied the
 * files named by the `new URL('./…', import.meta.url)` literals below into the app's
 * assets, under hashed names a prefix cannot guess, and rewrote the literals to match.
 * The main bundle's folder says nothing here: Vite's dev server serves it pre-bundled
 * from elsewhere than the worker.
 */
function wasmPaths(device: OrtDevice, assetsUrl: string): WasmPaths {
  const here = globalThis.location ? new URL(globalThis.location.pathname, globalThis.location.href).href : undefined;
  if (here === new URL('edgewise.worker.js', assetsUrl).href) return assetsUrl;
  return device === 'webgpu'
    ? { mjs: new URL('./ort-wasm-simd-threaded.asyncify.mjs', import.meta.url).href, wasm: new URL('./ort-wasm-simd-threaded.asyncify.wasm', import.meta.url).href }
    : { mjs: new URL('./ort-wasm-simd-threaded.mjs', import.meta.url).href, wasm: new URL('./ort-wasm-simd-threaded.wasm', import.meta.url).href };
}

/**
 * Loads a build once per worker; the `.mjs` glue and `.wasm` are self-hosted (see
 * `wasmPaths`), never a CDN. The WebGPU build is `onnxruntime-web/webgpu`, not the JSEP
 * default: on an adapter without `shader-f16`, JSEP silently returns zeros for fp16
 * models, the WebGPU build throws.
 */
export async function loadOrt(o: RuntimeOptions): Promise<OrtModule> {
  const device = o.device ?? 'wasm';
  const paths = wasmPaths(device, o.assetsUrl);
  const ortPromise = (ortPromises[device] ??= (device === 'webgpu' ? import('onnxruntime-web/webgpu') : import('onnxruntime-web/wasm')).then((m) => {
    const ort = m as unknown as OrtModule;
    // Never a CDN: the SDK must work offline and under a strict CSP.
    ort.env.wasm.wasmPaths = paths;
    // Threads need cross-origin isolation; without it ORT would silently use one.
    ort.env.wasm.numThreads = capabilities().threads ? Math.max(1, o.numThreads) : 1;
    loaded.push(ort);
    return ort;
  }));
  try {
    return await ortPromise;
  } catch (cause) {
    delete ortPromises[device];
    throw new EdgewiseError('runtime_error', `onnxruntime-web could not be loaded from ${typeof paths === 'string' ? paths : paths.mjs}; check that the SDK's runtime files are served there (option assetsUrl).`, { cause });
  }
}

/** The runtimes this worker has loaded (for the device test hook). */
export function loadedRuntimes(): readonly OrtModule[] {
  return loaded;
}

export interface ExternalData {
  path: string;
  data: Uint8Array;
}

export interface SessionOptions {
  device?: OrtDevice;
  /** Outputs to leave on the GPU (the KV cache), so they feed the next step without a round trip. */
  gpuOutputs?: readonly string[];
}

export async function createSession(ort: OrtModule, model: Uint8Array, externalData: readonly ExternalData[], so: SessionOptions = {}): Promise<Ort.InferenceSession> {
  const device = so.device ?? 'wasm';
  try {
    return await ort.InferenceSession.create(model, {
      executionProviders: [device],
      graphOptimizationLevel: 'all',
      ...(device === 'webgpu' && so.gpuOutputs?.length ? { preferredOutputLocation: Object.fromEntries(so.gpuOutputs.map((n) => [n, 'gpu-buffer' as const])) } : {}),
      // ORT resolves external data by the file name recorded in the graph.
      externalData: externalData.map((d) => ({ path: d.path.slice(d.path.lastIndexOf('/') + 1), data: d.data })),
    });
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    // On WebGPU a failure here is the device's (limits, lost device, missing features) far
    // more often than the file's: say so, so the page can fall back to WASM.
    if (device === 'webgpu') throw new EdgewiseError('webgpu_unavailable', `The WebGPU execution provider could not open the model (${message}); use device 'wasm', or 'auto' to fall back by itself.`, { cause, details: { device } });
    throw new EdgewiseError('unsupported_model', `onnxruntime-web could not open the model: ${message}. Check the dtype exists for this model and the file is a valid ONNX graph.`, { cause });
  }
}

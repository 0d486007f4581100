/**
 * The only place that touches onnxruntime-web. It is `import()`ed on first load so a
 * page that never runs an ONNX model never downloads the runtime.
 */
import type * as Ort from 'onnxruntime-web';
import { capabilities } from '../../capabilities.js';
import { EdgewiseError } from '../../errors.js';

export type OrtModule = typeof Ort;
let ortPromise: Promise<OrtModule> | undefined;

export interface RuntimeOptions {
  assetsUrl: string;
  numThreads: number;
}

/** Loads the WASM build once; the `.mjs` glue and `.wasm` are self-hosted beside the SDK. */
export async function loadOrt(o: RuntimeOptions): Promise<OrtModule> {
  ortPromise ??= import('onnxruntime-web/wasm').then((m) => {
    const ort = m as unknown as OrtModule;
    // Never a CDN: the SDK must work offline and under a strict CSP.
    ort.env.wasm.wasmPaths = o.assetsUrl;
    // Threads need cross-origin isolation; without it ORT would silently use one.
    ort.env.wasm.numThreads = capabilities().threads ? Math.max(1, o.numThreads) : 1;
    return ort;
  });
  try {
    return await ortPromise;
  } catch (cause) {
    ortPromise = undefined;
    throw new EdgewiseError('runtime_error', `onnxruntime-web could not be loaded from ${o.assetsUrl}; check that the SDK's runtime files are served there (option assetsUrl).`, { cause });
  }
}

export interface ExternalData {
  path: string;
  data: Uint8Array;
}

export async function createSession(ort: OrtModule, model: Uint8Array, externalData: readonly ExternalData[]): Promise<Ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(model, {
      executionProviders: ['wasm'],
      graphOptimizationLevel: 'all',
      // ORT resolves external data by the file name recorded in the graph.
      externalData: externalData.map((d) => ({ path: d.path.slice(d.path.lastIndexOf('/') + 1), data: d.data })),
    });
  } catch (cause) {
    throw new EdgewiseError('unsupported_model', `onnxruntime-web could not open the model: ${cause instanceof Error ? cause.message : String(cause)}. Check the dtype exists for this model and the file is a valid ONNX graph.`, { cause });
  }
}

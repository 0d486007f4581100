/**
 * The ONNX backend: fetches (or reads from cache) a model folder in the Optimum
 * layout, opens it in onnxruntime-web and runs the decode loop. It runs inside the
 * worker; the page reaches it through its proxy in `worker/proxy.ts`.
 */
import type * as Ort from 'onnxruntime-web';
import { EdgewiseError, isEdgewiseError } from '../../errors.js';
import { onnxFileFor, type ResolvedModel } from '../../model/spec.js';
import { loadModelFiles, type FileRequest } from '../../store/index.js';
import type { ModelInfo, RanOn } from '../../types.js';
import { capabilities } from '../../capabilities.js';
import { loadWeights } from './weights.js';
import { formTimer } from './form-timing.js';
import type { BackendLoadOptions, BackendPart, BackendRequest, BackendV3, GenerateOptions } from '../backend.js';
import type { WorkerConfig } from '../kind.js';
import { ONNX_GENERATE } from './capabilities.js';
import { largestTensorBytes } from './tensor-size.js';
import { grammarsFor, type TokenizerGrammars } from './grammar/compile.js';
import { grammarVocab } from './grammar/vocab.js';
import { externalDataFiles, readDecoderConfig, type DecoderConfig } from './config.js';
import { Decoder, deviceLostError, presentNames, type StepDecoder } from './decoder.js';
import { encodeRequest, runGeneration } from './generate.js';
import { parseJson } from './json.js';
import { wholeFiles } from './weight-files.js';
import { createSession, loadOrt, loadedRuntimes, type OrtModule } from './runtime.js';
import { chooseDevice, probeWebGPU } from '../../gpu.js';
import { ModelTokenizer } from './tokenizer.js';
import { yieldToEventLoop } from './yield.js';

type Json = Record<string, unknown>;

interface Loaded {
  /** Absent when the decoder kernel runs the model. */
  session?: Ort.InferenceSession;
  decoder: StepDecoder;
  tokenizer: ModelTokenizer;
  config: DecoderConfig;
  info: ModelInfo;
  /** Made on the first constrained request: XGrammar is a lazy 1 MB chunk. */
  grammars?: Promise<TokenizerGrammars>;
}

/** Decoders open in this worker, for the GPU tensor count `engine.info()` reports. */
const openDecoders = new Set<Decoder>();

/** GPU-resident KV-cache tensors held now (0 on WASM); constant across requests, or the cache leaks. */
export function liveGpuTensors(): number {
  let n = 0;
  for (const d of openDecoders) n += d.liveGpuTensors;
  return n;
}

// The config decides whether the model is supported and which weight files exist, so it
// comes first and on its own (a few hundred bytes, not counted in progress). Everything
// else downloads in one call, so progress runs once from 0 to the real total.
const CONFIG_FILES: readonly FileRequest[] = [{ path: 'config.json' }, { path: 'generation_config.json', optional: true }];
const TOKENIZER_FILES: readonly FileRequest[] = [{ path: 'tokenizer.json' }, { path: 'tokenizer_config.json' }];

/** A lost GPU device fails the next step typed (device_lost) rather than hanging or computing garbage. */
interface GpuDeviceLike {
  lost: Promise<{ message: string; reason: string }>;
  destroy(): void;
}
const deviceOf = async (ort: OrtModule): Promise<GpuDeviceLike> => (await ort.env.webgpu.device) as GpuDeviceLike;

/**
 * Once the worker's GPU device is lost, its WebGPU runtime is poisoned: sessions on it
 * neither open nor release (they hang). Every later GPU step fails typed at once, and the
 * page moves to WASM in a fresh worker.
 */
let gpuLost: string | undefined;

async function watchDevice(ort: OrtModule, decoder: Decoder): Promise<void> {
  try {
    const device = await deviceOf(ort);
    void device.lost.then((info) => {
      gpuLost = info.message || info.reason || 'lost';
      decoder.lose(gpuLost);
    });
  } catch { /* no device to watch: runs would fail typed anyway */ }
}

/** TEST-ONLY HOOK: destroys the worker's GPU device, as a driver reset would (the fallback tests use it). */
export async function loseDeviceForTests(): Promise<boolean> {
  for (const ort of loadedRuntimes()) {
    try {
      (await deviceOf(ort)).destroy();
      gpuLost ??= 'destroyed by the test hook';
      return true;
    } catch { /* this runtime has no device */ }
  }
  return false;
}

/**
 * Runs what reads a stored form's data (read by range, so damage shows only now). A chunk
 * found damaged deletes the stored form, so the next load makes it again.
 */
async function storedOrForget<T>(loaded: { forget?: () => Promise<void> }, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (e) {
    if (isEdgewiseError(e) && (e.code === 'integrity_error' || e.code === 'cache_error') && loaded.forget) {
      await loaded.forget().catch(() => undefined);
      throw new EdgewiseError(e.code, `${e.message} The stored rewrite was removed: load the model again to rebuild it from the cached source.`, { cause: e });
    }
    throw e;
  }
}

function threadsNote(threads: number): string {
  // A SharedWorker is never cross-origin isolated, whatever the page is.
  if ('onconnect' in globalThis) return '1 WASM thread: shared workers get no SharedArrayBuffer (engine.info().host says why the worker is shared)';
  if (capabilities().threads) return `${threads} WASM thread${threads === 1 ? '' : 's'} (the page is cross-origin isolated)`;
  return '1 WASM thread: the page is not cross-origin isolated (serve it with COOP/COEP headers for threads)';
}

export function createOnnxBackend(model: ResolvedModel, o: WorkerConfig): BackendV3 {
  let loaded: Loaded | undefined;
  let ranOn: RanOn = 'wasm';

  async function open(lo: BackendLoadOptions): Promise<Loaded> {
    const signal = lo.signal;
    const common = { key: model.key, baseUrl: model.url, cache: o.cache, eviction: o.eviction, ...(signal ? { signal } : {}) };
    const progress = lo.onProgress ? { onProgress: lo.onProgress } : {};
    const withHash = (f: FileRequest): FileRequest => (model.sha256[f.path] ? { ...f, sha256: model.sha256[f.path] as string } : f);
    // The adapter request takes a while on some systems: overlap it with the config fetch.
    const gpu = o.device === 'wasm' ? undefined : probeWebGPU();
    const meta = await loadModelFiles({ ...common, files: CONFIG_FILES.map(withHash) });
    const config = parseJson(meta.get('config.json'), 'config.json') as Json;
    const fp16 = model.dtype === 'fp16' || model.dtype === 'q4f16';
    // Checked before the weights download: an unsupported model costs a few KB, not GBs.
    const decoderConfig = readDecoderConfig(config, parseJson(meta.get('generation_config.json'), 'generation_config.json'), fp16);
    const onnxFile = onnxFileFor(model.dtype);
    const extra = model.externalData ?? externalDataFiles(config, onnxFile);
    // Fetch and compile the runtime while the weights stream in: on a warm load from
    // IndexedDB the two take similar time, so overlapping them nearly halves the wait.
    // The largest weight must fit one GPU buffer: judged from config.json, before any download.
    const choice = gpu ? chooseDevice(o.device ?? 'auto', await gpu, { fp16, largestTensorBytes: largestTensorBytes(config, model.dtype) }) : { device: 'wasm' as const, reason: "device 'wasm' was asked for" };
    if (choice.device === 'webgpu' && gpuLost) throw deviceLostError(gpuLost);
    const ortReady = loadOrt({ assetsUrl: o.assetsUrl, numThreads: o.numThreads, device: choice.device });
    ortReady.catch(() => undefined);
    const loaded = await loadWeights({
      model, config, device: choice.device, pref: o.wasmWeights ?? 'auto', onnxFile, extra,
      companions: TOKENIZER_FILES.map(withHash), load: { ...common, ...progress }, withHash,
      ...(choice.device === 'wasm' ? { timer: formTimer(ortReady, decoderConfig, o.numThreads, o.wasmKernel !== false) } : {}),
    });
    const { files } = loaded;
    const tokenizerConfig = parseJson(files.get('tokenizer_config.json'), 'tokenizer_config.json') as Json;
    const tokenizer = new ModelTokenizer(parseJson(files.get('tokenizer.json'), 'tokenizer.json') as Json, tokenizerConfig, decoderConfig.bosId);
    if (signal?.aborted) throw new EdgewiseError('aborted', 'Loading was aborted.');
    const kernel = choice.device === 'wasm' && loaded.weights.form === 'int8' && o.wasmKernel !== false
      ? await storedOrForget(loaded, async () => (await import('./transform/index.js')).openKernel(loaded.graph, loaded.external, decoderConfig.contextLength, { numThreads: o.numThreads, ...(signal ? { signal } : {}) }))
      : undefined;
    if (kernel?.decoder) {
      const info: ModelInfo = {
        ranOn: 'wasm', engine: 'onnx', detail: `${choice.reason}; the int8 form runs on the decoder kernel (WebAssembly SIMD); ${threadsNote(kernel.threads)}`,
        contextLength: decoderConfig.contextLength, vocabSize: decoderConfig.vocabSize, hasChatTemplate: tokenizer.hasChatTemplate,
        weights: { ...loaded.weights, runner: 'kernel' }, threads: kernel.threads,
      };
      ranOn = 'wasm';
      return { decoder: kernel.decoder, tokenizer, config: decoderConfig, info };
    }
    const ort = await ortReady;
    let session: Ort.InferenceSession;
    try {
      session = await createSession(ort, loaded.graph, await storedOrForget(loaded, () => wholeFiles(loaded.external)), { device: choice.device, gpuOutputs: presentNames(decoderConfig.numLayers) });
    } catch (e) {
      // A stored rewrite the runtime rejects is made again next time instead of failing forever.
      await loaded.forget?.().catch(() => undefined);
      throw e;
    }
    let decoder: Decoder;
    try {
      decoder = new Decoder(ort, session, decoderConfig);
    } catch (e) {
      await session.release();
      throw e;
    }
    if (choice.device === 'webgpu') await watchDevice(ort, decoder);
    ranOn = choice.device;
    const threads = choice.device === 'wasm' ? ort.env.wasm.numThreads ?? 1 : undefined;
    const info: ModelInfo = {
      ranOn, engine: 'onnx', detail: `${choice.reason}${threads === undefined ? '' : `; ${threadsNote(threads)}`}`,
      contextLength: decoderConfig.contextLength, vocabSize: decoderConfig.vocabSize, hasChatTemplate: tokenizer.hasChatTemplate,
      weights: choice.device === 'wasm' ? { ...loaded.weights, runner: 'onnxruntime' } : loaded.weights, ...(threads === undefined ? {} : { threads }),
    };
    return { session, decoder, tokenizer, config: decoderConfig, info };
  }

  return {
    specificationVersion: 'v3',
    kind: 'onnx',
    location: 'local',
    capabilities: ONNX_GENERATE,
    get state() {
      return { ranOn, loaded: loaded !== undefined, info: loaded?.info, contextLength: loaded?.config.contextLength, weightBytes: model.bytes };
    },
    // The context check needs the tokenizer, which the engine asks for through countTokens().
    supports: () => ({ ok: true }),

    async load(lo: BackendLoadOptions = {}): Promise<ModelInfo> {
      if (loaded) return loaded.info;
      loaded = await open(lo);
      if (loaded.decoder instanceof Decoder) openDecoders.add(loaded.decoder);
      return loaded.info;
    },

    countTokens: async (request) => (loaded ? encodeRequest(request, loaded.tokenizer).length : undefined),

    generate(request: BackendRequest, go: GenerateOptions = {}): AsyncIterable<BackendPart> {
      if (!loaded) throw new EdgewiseError('runtime_error', 'generate() ran before the model was loaded; this is a bug in edgewise.');
      const l = loaded;
      const grammars = (): Promise<TokenizerGrammars> => (l.grammars ??= grammarsFor(grammarVocab(l.tokenizer.tokenizerJson, l.tokenizer.config, { eosIds: [...l.config.eosIds], vocabSize: l.config.vocabSize })));
      return runGeneration(request, { ...l, ranOn, signal: go.signal, yieldToEventLoop, grammars, ...(l.info.weights ? { weights: l.info.weights.form, kernel: l.info.weights.runner === 'kernel' } : {}), ...(o.prefillChunk ? { prefillChunk: o.prefillChunk } : {}) });
    },

    async unload(): Promise<void> {
      const l = loaded;
      loaded = undefined;
      if (l?.decoder instanceof Decoder) openDecoders.delete(l.decoder);
      l?.decoder.dispose?.();
      // Releasing a session on a lost device never settles: let it go with the worker.
      if (l && ranOn === 'webgpu' && gpuLost) void l.session?.release().catch(() => undefined);
      else await l?.session?.release();
    },
  };
}

/**
 * The ONNX backend: fetches (or reads from cache) a model folder in the Optimum
 * layout, opens it in onnxruntime-web and runs the decode loop.
 */
import type * as Ort from 'onnxruntime-web';
import { EdgewiseError } from '../../errors.js';
import { onnxFileFor } from '../../model/spec.js';
import { loadModelFiles, type FileRequest } from '../../store/index.js';
import type { Part, RanOn } from '../../types.js';
import type { ModelInfo, ResolvedModel, WorkerGenerateRequest } from '../../worker/protocol.js';
import { yieldToEventLoop } from '../../worker/yield.js';
import type { Backend, BackendLoadOptions } from '../backend.js';
import { externalDataFiles, readDecoderConfig, type DecoderConfig } from './config.js';
import { Decoder } from './decoder.js';
import { runGeneration } from './generate.js';
import { createSession, loadOrt } from './runtime.js';
import { ModelTokenizer } from './tokenizer.js';

type Json = Record<string, unknown>;

interface Loaded {
  session: Ort.InferenceSession;
  decoder: Decoder;
  tokenizer: ModelTokenizer;
  config: DecoderConfig;
}

// The config decides whether the model is supported and which weight files exist, so it
// comes first and on its own (a few hundred bytes, not counted in progress). Everything
// else downloads in one call, so progress runs once from 0 to the real total.
const CONFIG_FILES: readonly FileRequest[] = [{ path: 'config.json' }, { path: 'generation_config.json', optional: true }];
const TOKENIZER_FILES: readonly FileRequest[] = [{ path: 'tokenizer.json' }, { path: 'tokenizer_config.json' }];

function parseJson(bytes: Uint8Array | undefined, path: string): Json | undefined {
  if (bytes === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Json;
  } catch { /* reported below */ }
  throw new EdgewiseError('not_a_model', `${path} is not a JSON object; check that model.url points at a model folder.`);
}

export function createOnnxBackend(): Backend {
  let loaded: Loaded | undefined;
  let ranOn: RanOn = { backend: 'onnx', device: 'wasm', reason: 'WASM execution provider (WebGPU not enabled yet)' };

  return {
    specificationVersion: 'v1',
    name: 'onnx',

    async load(model: ResolvedModel, o: BackendLoadOptions): Promise<ModelInfo> {
      const common = { key: model.key, baseUrl: model.url, cache: o.cache, eviction: o.eviction, signal: o.signal };
      const progress = o.onProgress ? { onProgress: o.onProgress } : {};
      const withHash = (f: FileRequest): FileRequest => (model.sha256[f.path] ? { ...f, sha256: model.sha256[f.path] as string } : f);
      const meta = await loadModelFiles({ ...common, files: CONFIG_FILES.map(withHash) });
      const config = parseJson(meta.get('config.json'), 'config.json') as Json;
      const fp16 = model.dtype === 'fp16' || model.dtype === 'q4f16';
      // Checked before the weights download: an unsupported model costs a few KB, not GBs.
      const decoderConfig = readDecoderConfig(config, parseJson(meta.get('generation_config.json'), 'generation_config.json'), fp16);
      const onnxFile = onnxFileFor(model.dtype);
      const extra = model.externalData ?? externalDataFiles(config, onnxFile);
      const weightFiles = [onnxFile, ...extra].map((path) => ({ path }));
      // Fetch and compile the runtime while the weights stream in: on a warm load from
      // IndexedDB the two take similar time, so overlapping them nearly halves the wait.
      const ortReady = loadOrt({ assetsUrl: o.assetsUrl, numThreads: o.numThreads });
      ortReady.catch(() => undefined);
      const files = await loadModelFiles({ ...common, ...progress, files: [...TOKENIZER_FILES, ...weightFiles].map(withHash) });
      const tokenizerConfig = parseJson(files.get('tokenizer_config.json'), 'tokenizer_config.json') as Json;
      const tokenizer = new ModelTokenizer(parseJson(files.get('tokenizer.json'), 'tokenizer.json') as Json, tokenizerConfig, decoderConfig.bosId);
      if (o.signal.aborted) throw new EdgewiseError('aborted', 'Loading was aborted.');
      const ort = await ortReady;
      const session = await createSession(ort, files.get(onnxFile) as Uint8Array, extra.map((path) => ({ path, data: files.get(path) as Uint8Array })));
      let decoder: Decoder;
      try {
        decoder = new Decoder(ort, session, decoderConfig);
      } catch (e) {
        await session.release();
        throw e;
      }
      await loaded?.session.release();
      loaded = { session, decoder, tokenizer, config: decoderConfig };
      ranOn = { backend: 'onnx', device: 'wasm', reason: `WASM execution provider, ${ort.env.wasm.numThreads ?? 1} thread(s)` };
      return { contextLength: decoderConfig.contextLength, vocabSize: decoderConfig.vocabSize, device: 'wasm', hasChatTemplate: tokenizer.hasChatTemplate };
    },

    async generate(request: WorkerGenerateRequest, signal: AbortSignal, emit: (part: Part) => void): Promise<void> {
      if (!loaded) throw new EdgewiseError('runtime_error', 'generate() ran before the model was loaded; this is a bug in edgewise.');
      await runGeneration(request, { ...loaded, ranOn, signal, emit, yieldToEventLoop });
    },

    async unload(): Promise<void> {
      await loaded?.session.release();
      loaded = undefined;
    },
  };
}

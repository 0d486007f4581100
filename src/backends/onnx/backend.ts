/**
 * The ONNX backend: fetches (or reads from cache) a model folder in the Optimum
 * layout, opens it in onnxruntime-web and runs the decode loop. It runs inside the
 * worker; the page reaches it through `backends/local-worker.ts`.
 */
import type * as Ort from 'onnxruntime-web';
import { EdgewiseError } from '../../errors.js';
import { onnxFileFor, type ResolvedModel } from '../../model/spec.js';
import { loadModelFiles, type FileRequest } from '../../store/index.js';
import type { RanOn } from '../../types.js';
import type { Backend, BackendInfo, BackendLoadOptions, BackendPart, BackendRequest } from '../backend.js';
import { externalDataFiles, readDecoderConfig, type DecoderConfig } from './config.js';
import { Decoder } from './decoder.js';
import { encodeRequest, runGeneration } from './generate.js';
import { parseJson } from './json.js';
import { createSession, loadOrt } from './runtime.js';
import { ModelTokenizer } from './tokenizer.js';
import { yieldToEventLoop } from './yield.js';

type Json = Record<string, unknown>;

/** How the worker stores and runs the model; fixed per engine. */
export interface OnnxConfig {
  cache: boolean;
  eviction: 'none' | 'lru';
  numThreads: number;
  /** URL of the folder holding the runtime's `.wasm`/`.mjs` files. */
  assetsUrl: string;
}

interface Loaded {
  session: Ort.InferenceSession;
  decoder: Decoder;
  tokenizer: ModelTokenizer;
  config: DecoderConfig;
  info: BackendInfo;
}

export interface OnnxBackend extends Backend {
  /** The exact prompt length with the model's tokenizer; undefined before load. */
  countTokens(request: Pick<BackendRequest, 'prompt' | 'messages'>): number | undefined;
}

// The config decides whether the model is supported and which weight files exist, so it
// comes first and on its own (a few hundred bytes, not counted in progress). Everything
// else downloads in one call, so progress runs once from 0 to the real total.
const CONFIG_FILES: readonly FileRequest[] = [{ path: 'config.json' }, { path: 'generation_config.json', optional: true }];
const TOKENIZER_FILES: readonly FileRequest[] = [{ path: 'tokenizer.json' }, { path: 'tokenizer_config.json' }];

export function createOnnxBackend(model: ResolvedModel, o: OnnxConfig): OnnxBackend {
  let loaded: Loaded | undefined;
  let ranOn: RanOn = 'wasm';

  async function open(lo: BackendLoadOptions): Promise<Loaded> {
    const signal = lo.signal;
    const common = { key: model.key, baseUrl: model.url, cache: o.cache, eviction: o.eviction, ...(signal ? { signal } : {}) };
    const progress = lo.onProgress ? { onProgress: lo.onProgress } : {};
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
    if (signal?.aborted) throw new EdgewiseError('aborted', 'Loading was aborted.');
    const ort = await ortReady;
    const session = await createSession(ort, files.get(onnxFile) as Uint8Array, extra.map((path) => ({ path, data: files.get(path) as Uint8Array })));
    let decoder: Decoder;
    try {
      decoder = new Decoder(ort, session, decoderConfig);
    } catch (e) {
      await session.release();
      throw e;
    }
    ranOn = 'wasm';
    const info: BackendInfo = { ranOn, contextLength: decoderConfig.contextLength, vocabSize: decoderConfig.vocabSize, hasChatTemplate: tokenizer.hasChatTemplate };
    return { session, decoder, tokenizer, config: decoderConfig, info };
  }

  return {
    specificationVersion: 'v2',
    id: 'onnx',
    location: 'local',
    // The context check needs the tokenizer, which the engine asks for through countTokens().
    supports: () => ({ ok: true }),

    async load(lo: BackendLoadOptions = {}): Promise<BackendInfo> {
      if (loaded) return loaded.info;
      loaded = await open(lo);
      return loaded.info;
    },

    countTokens: (request) => (loaded ? encodeRequest(request, loaded.tokenizer).length : undefined),

    generate(request: BackendRequest, go: { signal?: AbortSignal } = {}): AsyncIterable<BackendPart> {
      if (!loaded) throw new EdgewiseError('runtime_error', 'generate() ran before the model was loaded; this is a bug in edgewise.');
      return runGeneration(request, { ...loaded, ranOn, signal: go.signal, yieldToEventLoop });
    },

    async unload(): Promise<void> {
      const l = loaded;
      loaded = undefined;
      await l?.session.release();
    },
  };
}

/**
 * The ONNX embedding backend inside the worker: reads an encoder folder in the Optimum
 * layout through the weight store (config first, so a generation model given as an
 * embedding model fails before its weights download), opens it in onnxruntime-web and
 * hands batches to the encoder.
 */
import { EdgewiseError } from '../../errors.js';
import { onnxFileFor, type ResolvedModel } from '../../model/spec.js';
import { loadModelFiles, type FileRequest } from '../../store/index.js';
import type { ModelInfo } from '../../types.js';
import type { BackendLoadOptions, BackendV3 } from '../backend.js';
import type { WorkerConfig } from '../kind.js';
import { EMBED_ONLY } from './capabilities.js';
import { externalDataFiles } from './config.js';
import { openEncoder, readEncoderConfig, type Encoder, type EncoderFiles } from './encoder/index.js';
import { parseJson } from './json.js';
import { createSession, loadOrt, type OrtModule } from './runtime.js';

const TOKENIZER_FILES: readonly FileRequest[] = [{ path: 'tokenizer.json' }, { path: 'tokenizer_config.json' }];

/**
 * Fetches (or reads from the store) an encoder folder's files and starts the runtime
 * meanwhile: `config.json` first and vetted, so a generation model fails before its
 * weights download. Shared by the embedder and the redaction model's token classifier.
 */
export async function loadEncoderFiles(model: ResolvedModel, o: WorkerConfig, lo: BackendLoadOptions = {}): Promise<{ files: EncoderFiles; ort: OrtModule }> {
  const common = { key: model.key, baseUrl: model.url, cache: o.cache, eviction: o.eviction, ...(lo.signal ? { signal: lo.signal } : {}) };
  const withHash = (f: FileRequest): FileRequest => (model.sha256[f.path] ? { ...f, sha256: model.sha256[f.path] as string } : f);
  const meta = await loadModelFiles({ ...common, files: [withHash({ path: 'config.json' })] });
  const config = parseJson(meta.get('config.json'), 'config.json') as Record<string, unknown>;
  readEncoderConfig(config);
  const onnxFile = onnxFileFor(model.dtype);
  const extra = model.externalData ?? externalDataFiles(config, onnxFile);
  const ortReady = loadOrt({ assetsUrl: o.assetsUrl, numThreads: o.numThreads });
  ortReady.catch(() => undefined);
  const files = await loadModelFiles({
    ...common, ...(lo.onProgress ? { onProgress: lo.onProgress } : {}),
    files: [...TOKENIZER_FILES, ...[onnxFile, ...extra].map((path) => ({ path }))].map(withHash),
  });
  if (lo.signal?.aborted) throw new EdgewiseError('aborted', 'Loading was aborted.');
  return {
    ort: await ortReady,
    files: {
      config,
      tokenizer: parseJson(files.get('tokenizer.json'), 'tokenizer.json') as Record<string, unknown>,
      tokenizerConfig: parseJson(files.get('tokenizer_config.json'), 'tokenizer_config.json') as Record<string, unknown>,
      model: files.get(onnxFile) as Uint8Array,
      externalData: extra.map((path) => ({ path, data: files.get(path) as Uint8Array })),
    },
  };
}

/** An embed-only backend: the encoder runs on WASM (small models; the GPU path is for decoders). */
export function createOnnxEmbedder(model: ResolvedModel, o: WorkerConfig): BackendV3 {
  let encoder: Encoder | undefined;
  let info: ModelInfo | undefined;

  return {
    specificationVersion: 'v3',
    kind: 'onnx',
    location: 'local',
    capabilities: EMBED_ONLY,
    get state() { return { ranOn: 'wasm' as const, loaded: info !== undefined, info, contextLength: info?.contextLength, weightBytes: model.bytes }; },
    supports: () => ({ ok: true }),

    async load(lo = {}) {
      if (encoder && info) return info;
      const { files, ort } = await loadEncoderFiles(model, o, lo);
      encoder = await openEncoder(ort, files, createSession);
      info = { ranOn: 'wasm', engine: 'onnx', contextLength: encoder.maxLength, dims: encoder.dims };
      return info;
    },

    async embed(request, options = {}) {
      if (!encoder) throw new EdgewiseError('runtime_error', 'embed() ran before the embedding model was loaded; this is a bug in edgewise.');
      return { ...(await encoder.embed(request, options)), ranOn: 'wasm' };
    },

    async unload() {
      const e = encoder;
      encoder = undefined;
      info = undefined;
      await e?.release();
    },
  };
}

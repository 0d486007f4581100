/**
 * Gets a decoder's weights into the form they run in: the file as it is, or (on WASM) the
 * weight transform's output, read back from the cache when an earlier load stored it for
 * the same source file and transform version, made and stored otherwise.
 */
import { now } from '../../clock.js';
import { EdgewiseError, isEdgewiseError } from '../../errors.js';
import { capabilities } from '../../capabilities.js';
import type { ResolvedModel } from '../../model/spec.js';
import { loadModelFiles, type FileRequest, type LoadFilesOptions } from '../../store/index.js';
import { deleteDerived, hasDerived, storeDerived, type DerivedSource } from '../../store/derived.js';
import { defaultStore } from '../../store/idb.js';
import type { WasmWeights, WeightsInfo } from '../../types.js';
import type { ExternalData, OrtDevice } from './runtime.js';
import { planWeights } from './weight-form.js';

type Json = Record<string, unknown>;

export interface WeightsRequest {
  model: ResolvedModel;
  config: Json;
  device: OrtDevice;
  pref: WasmWeights;
  /** The source graph and its external-data files, relative to the model folder. */
  onnxFile: string;
  extra: readonly string[];
  /** Files to load alongside the weights (the tokenizer), in the same progress. */
  companions: readonly FileRequest[];
  /** Options shared by every load of this model (key, base URL, cache, signal, progress). */
  load: Omit<LoadFilesOptions, 'files'>;
  withHash: (f: FileRequest) => FileRequest;
}

export interface LoadedWeights {
  /** Every loaded file by path (the companions among them). */
  files: Map<string, Uint8Array>;
  graph: Uint8Array;
  external: ExternalData[];
  weights: WeightsInfo;
  /** Set when the graph came from the cache: a graph the runtime rejects is deleted through it. */
  forget?: () => Promise<void>;
}

export async function loadWeights(r: WeightsRequest): Promise<LoadedWeights> {
  const plan = r.device === 'wasm'
    ? planWeights(r.pref, r.model.dtype, r.config, capabilities().deviceMemoryGiB)
    : { form: 'source' as const, reason: "WebGPU runs the file's own kernels" };
  const sourceFiles = [r.onnxFile, ...r.extra].map((path) => r.withHash({ path }));
  const asIs = async (reason: string): Promise<LoadedWeights> => {
    const files = await loadModelFiles({ ...r.load, files: [...r.companions, ...sourceFiles] });
    return fromSource(files, r, { form: 'source', reason, transform: 'none', bytes: byteSum(files, [r.onnxFile, ...r.extra]) });
  };
  if (plan.form === 'source') return asIs(plan.reason);

  const { TRANSFORM_VERSION, transformModel } = await import('./transform/index.js');
  const maker = `wasm-${plan.form}/v${TRANSFORM_VERSION}`;
  const graphPath = `edgewise/${maker}/${r.onnxFile}`;
  const dataPath = `${graphPath}.data`;
  const dataName = dataPath.slice(dataPath.lastIndexOf('/') + 1);
  const store = r.load.cache === false ? undefined : defaultStore();
  const src: DerivedSource = { key: r.model.key, baseUrl: r.model.url, path: r.onnxFile, maker };

  if (store && (await hasDerived(store, src, [graphPath, dataPath]))) {
    try {
      const files = await loadModelFiles({ ...r.load, files: [...r.companions, { path: graphPath }, { path: dataPath }] });
      const weights: WeightsInfo = { form: plan.form, reason: plan.reason, transform: 'stored', bytes: byteSum(files, [graphPath, dataPath]) };
      return { files, graph: files.get(graphPath) as Uint8Array, external: [{ path: dataName, data: files.get(dataPath) as Uint8Array }], weights, forget: () => deleteDerived(store, src.key, [graphPath, dataPath]) };
    } catch (e) {
      if (isEdgewiseError(e) && e.code === 'aborted') throw e;
      // A damaged stored copy cannot be repaired from the network (it was never there): make it again.
      await deleteDerived(store, src.key, [graphPath, dataPath]).catch(() => undefined);
    }
  }

  const files = await loadModelFiles({ ...r.load, files: [...r.companions, ...sourceFiles] });
  if (r.load.signal?.aborted) throw new EdgewiseError('aborted', 'Loading was aborted.');
  const started = now();
  const external = new Map(r.extra.map((p) => [p.slice(p.lastIndexOf('/') + 1), files.get(p) as Uint8Array]));
  let out: Awaited<ReturnType<typeof transformModel>>;
  try {
    out = await transformModel(files.get(r.onnxFile) as Uint8Array, external, { form: plan.form, tiedEmbeddings: r.config['tie_word_embeddings'] !== false, dataName, lastPositionLogits: true, ...(r.load.signal ? { signal: r.load.signal } : {}) });
  } catch (cause) {
    if (isEdgewiseError(cause) && cause.code === 'aborted') throw cause;
    // A graph the transform cannot read still runs as it is: slower, never broken. If the
    // file itself is damaged, the runtime says so with a typed error when it opens it.
    const why = cause instanceof Error ? cause.message : String(cause);
    return fromSource(files, r, { form: 'source', reason: `the file could not be rewritten (${why}): it runs as it is`, transform: 'none', bytes: byteSum(files, [r.onnxFile, ...r.extra]) });
  }
  const transformMs = now() - started;
  if (!out) return fromSource(files, r, { form: 'source', reason: 'the file has no layers the transform rewrites', transform: 'none', bytes: byteSum(files, [r.onnxFile, ...r.extra]) });
  // The source's buffers are no longer needed: drop them before the runtime copies the new ones.
  for (const p of [r.onnxFile, ...r.extra]) files.delete(p);
  // Best effort: without the stored copy the next load transforms again, nothing worse.
  if (store) await storeDerived(store, src, new Map([[graphPath, out.graph], [dataPath, out.data]]), r.load.signal).catch(() => false);
  const weights: WeightsInfo = { form: plan.form, reason: plan.reason, transform: 'ran', transformMs, bytes: out.graph.length + out.data.length };
  return { files, graph: out.graph, external: [{ path: dataName, data: out.data }], weights };
}

function fromSource(files: Map<string, Uint8Array>, r: WeightsRequest, weights: WeightsInfo): LoadedWeights {
  return { files, graph: files.get(r.onnxFile) as Uint8Array, external: r.extra.map((path) => ({ path, data: files.get(path) as Uint8Array })), weights };
}

const byteSum = (files: ReadonlyMap<string, Uint8Array>, paths: readonly string[]): number => paths.reduce((a, p) => a + (files.get(p)?.length ?? 0), 0);

/**
 * Loads one model's weights in one form: the source files as they are, or the transform's
 * output (read back from the cache, or made and stored). `weights.ts` decides the form;
 * `form-measure.ts` uses this to build and time candidates.
 */
import { now } from '../../clock.js';
import { freeBytes } from '../../free-bytes.js';
import { abortable } from '../../abortable.js';
import { rewriteAborted } from './transform/pace.js';
import { EdgewiseError, isEdgewiseError } from '../../errors.js';
import type { ResolvedModel } from '../../model/spec.js';
import { loadModelFiles, loadModelFilesByRange, type FileRequest, type LoadFilesOptions, type StoredRange } from '../../store/index.js';
import { deleteDerived, hasDerived, type DerivedSource } from '../../store/derived.js';
import { writeDerivedFile, type DerivedWriter } from '../../store/derived-stream.js';
import { storedRange } from '../../store/stored-range.js';
import { withModelLock } from '../../store/lock.js';
import { finishInBackground } from '../../store/housekeeping.js';
import type { UseStore } from '../../store/idb.js';
import type { WasmWeights, WeightsInfo } from '../../types.js';
import type { FormTimer } from './form-timing.js';
import type { OrtDevice } from './runtime.js';
import type { ByteRange, WeightFile } from './weight-files.js';
import type { MeasuredForm } from './weight-form.js';

type Json = Record<string, unknown>;
type Transform = typeof import('./transform/index.js');
/** Loaded files by path: bytes, or (a source the transform reads by range) a stored range. */
type SourceFiles = Map<string, Uint8Array | StoredRange>;

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
  /** Times a form on this device; without it `'auto'` decides by size. */
  timer?: FormTimer;
}

export interface LoadedWeights {
  /** Every loaded file by path (the companions among them). */
  files: Map<string, Uint8Array>;
  graph: Uint8Array;
  /** External-data files: bytes, or a stored form read by range (see weight-files.ts). */
  external: WeightFile[];
  weights: WeightsInfo;
  /** Set when the graph came from the cache: a graph the runtime rejects is deleted through it. */
  forget?: () => Promise<void>;
}

/** Loads one model's weights in a given form; the source files are read at most once per loader. */
export class FormLoader {
  private sourceFiles: Promise<SourceFiles> | undefined;
  private transformModule: Promise<Transform> | undefined;

  constructor(readonly r: WeightsRequest, private readonly store: UseStore | undefined) {}

  /** The transform's module (a lazy chunk: only WASM loads of quantized files need it). */
  transform(): Promise<Transform> {
    return (this.transformModule ??= import('./transform/index.js'));
  }

  /**
   * The source files, read once per loader. For a rewrite (`byRange`) the external-data
   * files are stored without being held whole, and the transform reads them tensor by
   * tensor: a first load then never holds the source and its rewrite at once.
   */
  private sources(byRange: boolean): Promise<SourceFiles> {
    const graph = this.r.withHash({ path: this.r.onnxFile });
    const extra = this.r.extra.map((path) => ({ ...this.r.withHash({ path }), ...(byRange ? { byRange: true } : {}) }));
    return (this.sourceFiles ??= loadModelFilesByRange({ ...this.r.load, files: [...this.r.companions, graph, ...extra] }));
  }

  async asIs(reason: string): Promise<LoadedWeights> {
    return this.fromSource(await this.sources(false), reason);
  }

  /** Where a form is stored, and the identity it is tagged with. */
  async stored(form: MeasuredForm): Promise<{ graphPath: string; dataPath: string; dataName: string; src: DerivedSource }> {
    const { TRANSFORM_VERSION } = await this.transform();
    const maker = `wasm-${form}/v${TRANSFORM_VERSION}`;
    const graphPath = `edgewise/${maker}/${this.r.onnxFile}`;
    const dataPath = `${graphPath}.data`;
    return { graphPath, dataPath, dataName: dataPath.slice(dataPath.lastIndexOf('/') + 1), src: { key: this.r.model.key, baseUrl: this.r.model.url, path: this.r.onnxFile, maker } };
  }

  /** The form read back from the cache, or made (and stored) from the source file. */
  async load(form: MeasuredForm, reason: string): Promise<LoadedWeights> {
    const { r, store } = this;
    const { transformModelInto } = await this.transform();
    const { graphPath, dataPath, dataName, src } = await this.stored(form);
    if (store && (await hasDerived(store, src, [graphPath, dataPath]))) {
      try {
        // The data file is not read here: whoever runs the form reads it (the kernel by range,
        // tensor by tensor), so it is never whole in memory beside the runner's copy.
        const files = await loadModelFiles({ ...r.load, files: [...r.companions, { path: graphPath }] });
        const range = await storedRange(store, src.key, dataPath);
        const weights: WeightsInfo = { form, reason, transform: 'stored', bytes: byteSum(files, [graphPath]) + range.size };
        return { files, graph: files.get(graphPath) as Uint8Array, external: [{ path: dataName, range }], weights, forget: () => deleteDerived(store, src.key, [graphPath, dataPath]) };
      } catch (e) {
        if (isEdgewiseError(e) && e.code === 'aborted') throw e;
        // A damaged stored copy cannot be repaired from the network (it was never there): make it again.
        await deleteDerived(store, src.key, [graphPath, dataPath]).catch(() => undefined);
      }
    }

    const files = await this.sources(store !== undefined);
    if (r.load.signal?.aborted) throw new EdgewiseError('aborted', 'Loading was aborted.');
    const started = now();
    const { PagedFile, dropAll } = await this.transform();
    const external = new Map(r.extra.map((p) => {
      const f = files.get(p) as Uint8Array | StoredRange;
      return [p.slice(p.lastIndexOf('/') + 1), f instanceof Uint8Array ? f : new PagedFile(f)] as const;
    }));
    // contextLength: the fused graph's rotary tables must cover every position the model takes.
    const positions = r.config['max_position_embeddings'];
    const options = {
      form, tiedEmbeddings: r.config['tie_word_embeddings'] !== false, dataName, lastPositionLogits: true,
      ...(typeof positions === 'number' ? { contextLength: positions } : {}), ...(r.load.signal ? { signal: r.load.signal } : {}),
    };
    const source = files.get(r.onnxFile) as Uint8Array;
    let out: Awaited<ReturnType<typeof transformModelInto>>;
    let stored: ByteRange | undefined;
    try {
      try {
        ({ out, stored } = store ? await this.transformIntoStore(transformModelInto, source, external, options, store, { src, graphPath, dataPath }) : { out: await transformModelInto(source, external, options, async () => undefined), stored: undefined });
      } catch (e) {
        if (!(e instanceof StoreFailed)) throw e;
        // The cache failed half-way (full, or broken): nothing of it is kept, and the
        // rewrite is made again in memory. Without the stored copy the next load transforms again.
        out = await transformModelInto(source, external, options, async () => undefined);
      }
    } catch (cause) {
      // Aborted, or a stored source found damaged as it was read (the next load repairs it).
      if (isEdgewiseError(cause) && ['aborted', 'integrity_error', 'cache_error'].includes(cause.code)) throw cause;
      // Aborted while waiting for the model's lock (a DOMException, not ours).
      if (r.load.signal?.aborted) throw new EdgewiseError('aborted', 'Loading was aborted.', { cause });
      // A graph the transform cannot read still runs as it is: slower, never broken. If the
      // file itself is damaged, the runtime says so with a typed error when it opens it.
      const why = cause instanceof Error ? cause.message : String(cause);
      return this.fromSource(files, `the file could not be rewritten (${why}): it runs as it is`);
    } finally {
      dropAll(external, out !== undefined);
    }
    const transformMs = now() - started;
    if (!out) return this.fromSource(files, 'the file has no layers the transform rewrites');
    const data: WeightFile = stored ? { path: dataName, range: stored } : { path: dataName, data: out.data as Uint8Array };
    const weights: WeightsInfo = { form, reason, transform: 'ran', transformMs, bytes: out.graph.length + ('range' in data ? data.range.size : data.data.length) };
    // Only the companions: the source's buffers go with this loader, before the runner copies the new ones.
    const companions = new Map(r.companions.flatMap((c) => { const b = files.get(c.path); return b instanceof Uint8Array ? [[c.path, b] as const] : []; }));
    if (stored) {
      // The rewrite is in the cache and the source is no longer needed: its buffers are freed
      // now, not at a garbage collection that may come after the kernel has grown its memory
      // to the rewrite's size (measured: the 1.7B first load then peaked at 1.9x, not 1.2x).
      // A later form of this load reads the source from the cache again.
      for (const p of [r.onnxFile, ...r.extra]) {
        const f = files.get(p);
        if (f instanceof Uint8Array) freeBytes(f);
      }
      this.sourceFiles = undefined;
    }
    return { files: companions, graph: out.graph, external: [data], weights };
  }

  /**
   * The transform with its external-data file streamed into the cache as it is made (under
   * the model's lock, like any write of its files), then the graph; both are read back by
   * range. With no room, the file is made in memory and nothing is stored.
   */
  private async transformIntoStore(run: Transform['transformModelInto'], source: Uint8Array, external: Parameters<Transform['transformModelInto']>[1], options: Parameters<Transform['transformModelInto']>[2], store: UseStore, at: { src: DerivedSource; graphPath: string; dataPath: string }): Promise<{ out: Awaited<ReturnType<Transform['transformModelInto']>>; stored: ByteRange | undefined }> {
    const { src, graphPath, dataPath } = at;
    return withModelLock(src.key, this.r.load.signal, async () => {
      let writer: DerivedWriter | undefined;
      try {
        const out = await run(source, external, options, async (size) => {
          writer = await writeDerivedFile(store, src, dataPath, size).catch((e: unknown) => { throw new StoreFailed(e); });
          const w = writer;
          // A write can wait tens of ms on IndexedDB: an abort does not wait with it.
          return w && { write: (b) => abortable(w.write(b).catch((e: unknown) => { throw new StoreFailed(e); }), this.r.load.signal, rewriteAborted) };
        });
        if (!out || !writer) return { out, stored: undefined };
        const graph = await writeDerivedFile(store, src, graphPath, out.graph.length).catch((e: unknown) => { throw new StoreFailed(e); });
        await writer.finish().catch((e: unknown) => { throw new StoreFailed(e); });
        if (!graph) throw new StoreFailed(new Error('no room for the graph'));
        await graph.write(out.graph).then(() => graph.finish()).catch((e: unknown) => { throw new StoreFailed(e); });
        return { out, stored: await storedRange(store, src.key, dataPath) };
      } catch (e) {
        // Nothing half-written stays: an abort, a failed rewrite or a failed store alike. The
        // chunk write in flight is aborted, and one transaction deletes both files (IndexedDB
        // runs it after that write, and before any transaction created later, such as the
        // next load's). A cancelled load does not wait for it (see store/housekeeping.ts).
        writer?.stop();
        const gone = deleteDerived(store, src.key, [graphPath, dataPath]);
        if (isEdgewiseError(e) && e.code === 'aborted') finishInBackground(gone);
        else await gone.catch(() => undefined);
        throw e;
      }
    });
  }

  private fromSource(files: SourceFiles, reason: string): LoadedWeights {
    const { r } = this;
    const weights: WeightsInfo = { form: 'source', reason, transform: 'none', bytes: byteSum(files, [r.onnxFile, ...r.extra]) };
    const external = r.extra.map((path): WeightFile => {
      const f = files.get(path) as Uint8Array | StoredRange;
      return f instanceof Uint8Array ? { path, data: f } : { path, range: f };
    });
    const whole = new Map([...files].flatMap(([p, f]) => (f instanceof Uint8Array ? [[p, f] as const] : [])));
    return { files: whole, graph: files.get(r.onnxFile) as Uint8Array, external, weights };
  }
}

/** A write to the cache failed (not the rewrite itself): the load goes on without storing. */
class StoreFailed extends Error {
  constructor(cause: unknown) {
    super(`the rewrite could not be stored: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

const sizeOf = (f: Uint8Array | StoredRange | undefined): number => (f === undefined ? 0 : f instanceof Uint8Array ? f.length : f.size);
const byteSum = (files: ReadonlyMap<string, Uint8Array | StoredRange>, paths: readonly string[]): number => paths.reduce((a, p) => a + sizeOf(files.get(p)), 0);

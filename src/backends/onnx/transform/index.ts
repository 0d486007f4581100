/**
 * The on-device weight transform: a quantized ONNX decoder in, the same model in the form
 * the WASM execution provider runs fast out, as a small graph plus one external-data file.
 * Imported lazily by the worker, only when a model needs it.
 *
 * The output keeps its weights out of the graph on purpose: onnxruntime-web copies an
 * embedded model into WASM memory whole before parsing it, and WASM memory never shrinks,
 * so a separate data file lowers the worker's peak (and resident) memory by the model's size.
 */
import { findLinearSites, findTiedEmbedding, indexGraph, type GraphIndex } from './sites.js';
import type { LinearSite } from './linear.js';
import { pacer, type Pace } from './pace.js';
import { rewriteGraph, type RewriteStats, type WeightForm } from './rewrite.js';
import { fuseLlama, type Fusions } from './fused.js';
import { findLlamaLayout } from './llama-layout.js';
import { kernelPlan } from './kernel-plan.js';
import { KERNEL_PLAN_KEY } from '../kernel/plan.js';
import { decodeModel, encodeModel, num, type ExternalFiles, type GraphProto } from './proto.js';
import { packExternal, type SinkFactory } from './pack.js';
import { readUpFront, tensorPages } from './paged.js';

export type { WeightForm } from './rewrite.js';
// The decoder kernel rides in this lazy chunk: it reads the forms this module writes, and one
// chunk for both keeps bundlers (Parcel) from splitting a shared chunk between them.
export { openKernel } from '../kernel/open.js';
export type { Fusions } from './fused.js';
export type { DataSink, SinkFactory } from './pack.js';
export { PagedFile, dropAll } from './paged.js';

/**
 * Bumped whenever the output for the same input changes in meaning: stored results of older
 * versions are rebuilt. Not for layout alone: the graph records where each tensor sits, so
 * a form stored with the external file in an older order still reads right.
 */
export const TRANSFORM_VERSION = 4;

export interface TransformOptions {
  form: WeightForm;
  /** The config's `tie_word_embeddings`: lets the int8 form store a tied table once. */
  tiedEmbeddings: boolean;
  /** The external-data file name the output graph refers to. */
  dataName: string;
  /** Linear layers (by weight initializer name) to keep in float32 inside the int8 form: mixed precision. */
  keepFp32?: (weight: string) => boolean;
  /** Fuse int8 layers that share an input (default true; off only to measure what fusing buys). */
  fuse?: boolean;
  /**
   * int8 form: compute `logits` for the last position only (generation reads no other row).
   * The quality guard, which scores every position, leaves it off.
   */
  lastPositionLogits?: boolean;
  /**
   * Layer structure of the output. `'fused'` (default) rebuilds a recognised Llama-family
   * decoder around the runtime's fused contrib kernels (see fused.ts: norms and SiLU by
   * default, GroupQueryAttention when `fusions.attention`) and keeps the op-by-op form for
   * any other graph;
   * `'ops'` keeps the source graph's own ops (only its linear layers change).
   */
  graph?: 'fused' | 'ops';
  /** Which fusions the fused graph applies (all by default): the bench measures each alone. */
  fusions?: Fusions;
  /** Positions the rotary tables of the fused graph cover when the graph computes them itself (config `max_position_embeddings`). */
  contextLength?: number;
  /** Stops the transform between tensors with an `aborted` EdgewiseError. */
  signal?: AbortSignal;
}

export interface TransformResult extends RewriteStats {
  graph: Uint8Array;
  data: Uint8Array;
  /** `'fused'` when the decoder was recognised and rebuilt on fused kernels. */
  structure: 'fused' | 'ops';
  /** Ops in the output graph. */
  ops: number;
  /** True when the int8 form carries the decoder kernel's plan (see kernel/plan.ts). */
  kernel: boolean;
}

/** When the config does not say: 2 × 4096 × d/2 floats of tables, 1 MB at d = 64. */
const DEFAULT_POSITIONS = 4096;

/**
 * @returns the rewritten model, or undefined when the graph has nothing to rewrite
 *   (already float32 or int8-dynamic, or quantized in a layout this transform does not read).
 */
export async function transformModel(bytes: Uint8Array, external: ExternalFiles, o: TransformOptions): Promise<TransformResult | undefined> {
  const out = await transform(bytes, external, o);
  return out && { ...out, data: out.data as Uint8Array };
}

/**
 * The same, with the external-data file streamed to the sink `sinkFor` gives once its size
 * is known (the cache): the result's `data` is then absent, and the rewrite was never whole
 * in memory. Without a sink (`sinkFor` answers undefined) it is packed into `data` as usual.
 */
export function transformModelInto(bytes: Uint8Array, external: ExternalFiles, o: TransformOptions, sinkFor: SinkFactory): Promise<StreamedTransform | undefined> {
  return transform(bytes, external, o, sinkFor);
}

export type StreamedTransform = Omit<TransformResult, 'data'> & { data: Uint8Array | undefined };

async function transform(bytes: Uint8Array, external: ExternalFiles, o: TransformOptions, sinkFor?: SinkFactory): Promise<StreamedTransform | undefined> {
  const model = decodeModel(bytes);
  const g = model.graph as GraphProto;
  // A source read by range (PagedFile) is loaded as the steps below need it.
  const pages = tensorPages(g, external, o.signal);
  await pages.load(readUpFront(g));
  const ix = indexGraph(g);
  const sites = findLinearSites(g, ix, external);
  if (sites.length === 0) return undefined;
  const tied = o.form === 'int8' && o.tiedEmbeddings ? await findTiedEmbedding(g, ix, sites, external, pages) : undefined;
  const head = o.form === 'int8' && o.lastPositionLogits ? logitsHead(g, ix, sites) : undefined;
  const { lazy, ...stats } = rewriteGraph({
    model, sites, tied, form: o.form,
    ...(o.keepFp32 ? { keepFp32: o.keepFp32 } : {}), ...(o.fuse === false ? { fuse: false } : {}), ...(head ? { lastOnly: head } : {}),
  });
  let structure: TransformResult['structure'] = 'ops';
  if ((o.graph ?? 'fused') === 'fused') {
    const after = indexGraph(g);
    const layout = findLlamaLayout(g, after, sites, external, o.contextLength ?? DEFAULT_POSITIONS);
    if (layout) {
      fuseLlama(model, after, layout, o.fusions ?? {}, num(model.opsetImport?.find((x) => (x.domain ?? '') === '')?.version) || 13);
      structure = 'fused';
      const plan = o.form === 'int8' && o.fusions?.attention !== true ? kernelPlan(g, layout) : undefined;
      if (plan) model.metadataProps = [...(model.metadataProps ?? []), { key: KERNEL_PLAN_KEY, value: JSON.stringify(plan) }];
    }
  }
  pruneInitializers(g);
  const data = await packExternal(g, external, o.dataName, lazy, pacer(o.signal), pages, sinkFor);
  pruneValueInfo(g);
  return { ...stats, graph: encodeModel(model), data, structure, ops: g.node?.length ?? 0, kernel: model.metadataProps?.some((m) => m.key === KERNEL_PLAN_KEY) ?? false };
}

/**
 * The linear site that produces the graph's `logits` output (directly or through an
 * Identity), with the output's sequence axis renamed: it now holds one position, and a
 * declared `sequence_length` there would make the runtime warn on every run.
 */
function logitsHead(g: GraphProto, ix: GraphIndex, sites: readonly LinearSite[]): LinearSite | undefined {
  const out = g.output?.find((o) => o.name === 'logits');
  const dims = out?.type?.tensorType?.shape?.dim;
  if (!out || dims?.length !== 3) return undefined;
  const producer = ix.producer.get('logits');
  const name = producer?.opType === 'Identity' ? producer.input?.[0] : 'logits';
  const head = sites.find((s) => s.output === name && (ix.readers.get(s.output)?.length ?? 0) <= 1);
  if (head) dims[1] = { dimParam: 'logits_positions' };
  return head;
}

/** Names read anywhere in the graph, subgraphs included (If/Loop bodies read outer values). */
function readNames(g: GraphProto, into = new Set<string>()): Set<string> {
  for (const n of g.node ?? []) {
    for (const i of n.input ?? []) into.add(i);
    for (const a of n.attribute ?? []) {
      if (a.g) readNames(a.g, into);
      for (const sub of a.graphs ?? []) readNames(sub, into);
    }
  }
  for (const o of g.output ?? []) into.add(o.name ?? '');
  return into;
}

function pruneInitializers(g: GraphProto): void {
  const used = readNames(g);
  g.initializer = (g.initializer ?? []).filter((t) => used.has(t.name ?? ''));
}

/** Shape annotations of values the rewrite removed would confuse the runtime's shape inference. */
function pruneValueInfo(g: GraphProto): void {
  const live = readNames(g);
  for (const n of g.node ?? []) for (const o of n.output ?? []) live.add(o);
  g.valueInfo = (g.valueInfo ?? []).filter((v) => live.has(v.name ?? ''));
}

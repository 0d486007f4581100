/**
 * Rewrites the graph's quantized linear layers into the form the WASM execution provider
 * runs fast:
 *
 * - `int8`: `DynamicQuantizeMatMul` (int8 weights per output channel, activations
 *   quantized to uint8 per run). Layers reading the same input (q/k/v, gate/up) become
 *   one wider matmul and a `Split`: one activation quantization and one kernel instead of
 *   three, with identical results (integer accumulation, same activation scale). A tied
 *   embedding is stored once, as the head's int8 `[H, V]`, and gathered by column.
 * - `fp32`: plain `MatMul` on the dequantized weights: the same arithmetic as the source
 *   file's kernel, so greedy tokens match it exactly.
 */
import type { Int8Columns, LinearSite } from './linear.js';
import { isLazy, lazyFp32, lazyInt8, siteSource, type LazyColumns, type LazyTensor } from './lazy.js';
import { DT, intAttr, intsAttr, makeTensor, num, type GraphProto, type ModelProto, type NodeProto, type TensorProto } from './proto.js';
import type { TiedEmbedding } from './sites.js';

export type WeightForm = 'int8' | 'fp32';

export interface RewriteInput {
  model: ModelProto;
  sites: readonly LinearSite[];
  tied: TiedEmbedding | undefined;
  form: WeightForm;
  /** Linear layers (by weight initializer name) to keep in float32 inside the int8 form: mixed precision. */
  keepFp32?: (weight: string) => boolean;
  /** Fuse int8 layers that share an input (default true; off only to measure what fusing buys). */
  fuse?: boolean;
  /**
   * The output head's linear site when only the last position's logits are wanted: the
   * head then runs on one row instead of every prompt position (a 49152-wide head on a
   * 68-token prompt is ~4 GFLOP that generation throws away).
   */
  lastOnly?: LinearSite;
}

export interface RewriteStats {
  linears: number;
  /** Matmuls after fusing layers that share an input. */
  matmuls: number;
  tiedEmbedding: boolean;
}

/** Weights as the rewrite emits them: int8 columns made now (kept as stored) or when written. */
type Columns = Int8Columns | LazyColumns;

/** The stats, and the tensors (by initializer name) whose bytes are made when the output is written. */
export function rewriteGraph(input: RewriteInput): RewriteStats & { lazy: Map<string, LazyTensor> } {
  const { model, sites, form, lastOnly } = input;
  const g = model.graph as GraphProto;
  const opset = num(model.opsetImport?.find((o) => (o.domain ?? '') === '')?.version) || 13;
  const em = new Emitter(opset);
  const keepFn = input.keepFp32 ?? (() => false);
  const keep = new Set(sites.filter((s) => keepFn(s.consumed[0] ?? '')).map((s) => s.output));
  const tied = form === 'int8' && input.tied && !keep.has(input.tied.head.output) ? input.tied : undefined;
  const bySite = new Map(sites.map((s) => [s.node, s]));
  const dropped = new Set(sites.flatMap((s) => (s.dequantNode ? [s.dequantNode] : [])));
  const groups = form === 'int8' && input.fuse !== false ? fusionGroups(sites.filter((s) => s !== tied?.head && !keep.has(s.output))) : new Map<LinearSite, LinearSite[]>();
  const grouped = new Set([...groups.values()].flat());
  // The tied table quantized per vocabulary row, laid out `[H, V]` for the head.
  const tiedQ = tied ? lazyInt8([{ n: tied.vocab, rowBlock: (a, b) => tied.table.subarray(a * tied.hidden, b * tied.hidden) }], tied.hidden) : undefined;
  let matmuls = 0;

  const nodes: NodeProto[] = [];
  for (const node of g.node ?? []) {
    if (dropped.has(node)) continue;
    const site = bySite.get(node);
    if (tied && tiedQ && tied.gathers.includes(node)) {
      nodes.push(...em.gatherColumns(tiedQ, node));
    } else if (!site) {
      nodes.push(node);
    } else if (form === 'fp32' || keep.has(site.output)) {
      nodes.push(...em.matmul(site));
      matmuls++;
    } else if (site === tied?.head && tiedQ) {
      const x = site === lastOnly ? pushLast(nodes, em, site.input) : site.input;
      nodes.push(em.dqmm(x, [site.output], tiedQ));
      matmuls++;
    } else if (groups.has(site)) {
      const members = groups.get(site) as LinearSite[];
      nodes.push(...em.fused(members));
      matmuls++;
    } else if (!grouped.has(site)) {
      const x = site === lastOnly ? pushLast(nodes, em, site.input) : site.input;
      nodes.push(em.dqmm(x, [site.output], site.direct ?? lazyInt8([siteSource(site)], site.k), site.bias));
      matmuls++;
    }
  }
  g.node = nodes;
  g.initializer = [...(g.initializer ?? []), ...em.tensors];
  if (em.usesContrib && !model.opsetImport?.some((o) => o.domain === 'com.microsoft')) model.opsetImport = [...(model.opsetImport ?? []), { domain: 'com.microsoft', version: 1 }];
  return { linears: sites.length, matmuls, tiedEmbedding: tiedQ !== undefined, lazy: em.lazy };
}

/** Adds the node keeping only the last position of `[batch, seq, hidden]`; returns its output. */
function pushLast(nodes: NodeProto[], em: Emitter, x: string): string {
  const node = em.lastPosition(x);
  nodes.push(node);
  return node.output?.[0] ?? '';
}

/** Sites sharing one input (and no bias), keyed by the first of each group in graph order. */
function fusionGroups(sites: readonly LinearSite[]): Map<LinearSite, LinearSite[]> {
  const byInput = new Map<string, LinearSite[]>();
  for (const s of sites) {
    // Weight-only uint8 files keep their own bytes and zero points: they are not re-packed.
    if (s.bias || (s.direct && !(s.direct.q instanceof Int8Array))) continue;
    byInput.set(s.input, [...(byInput.get(s.input) ?? []), s]);
  }
  const out = new Map<LinearSite, LinearSite[]>();
  for (const list of byInput.values()) {
    if (list.length >= 2 && list.every((s) => s.k === list[0]?.k)) out.set(list[0] as LinearSite, list);
  }
  return out;
}

/** Makes nodes and the initializers they need, under names no exporter uses. */
class Emitter {
  readonly tensors: TensorProto[] = [];
  readonly lazy = new Map<string, LazyTensor>();
  usesContrib = false;
  private count = 0;

  constructor(private readonly opset: number) {}

  private name(hint: string): string {
    return `edgewise/${this.count++}/${hint}`;
  }

  /** One initializer per array: the tied table's head and lookup share their bytes. */
  private readonly names = new WeakMap<object, string>();

  private tensor(hint: string, dims: readonly number[], data: Float32Array | Int8Array | Uint8Array | BigInt64Array | LazyTensor): string {
    const known = this.names.get(data);
    if (known) return known;
    const name = this.name(hint);
    if (isLazy(data)) {
      this.tensors.push({ name, dims: [...data.dims], dataType: data.dataType });
      this.lazy.set(name, data);
    } else {
      this.tensors.push(makeTensor(name, dims, data));
    }
    this.names.set(data, name);
    return name;
  }

  lastPosition(x: string): NodeProto {
    const idx = this.tensor('last', [1], BigInt64Array.of(-1n));
    return { opType: 'Gather', input: [x, idx], output: [this.name('last_position')], name: this.name('Gather'), attribute: [intAttr('axis', 1)] };
  }

  matmul(site: LinearSite): NodeProto[] {
    const w = this.tensor('weight', [site.k, site.n], lazyFp32(site));
    if (!site.bias) return [{ opType: 'MatMul', input: [site.input, w], output: [site.output], name: this.name('MatMul') }];
    const tmp = this.name('matmul_out');
    return [
      { opType: 'MatMul', input: [site.input, w], output: [tmp], name: this.name('MatMul') },
      { opType: 'Add', input: [tmp, site.bias], output: [site.output], name: this.name('Add') },
    ];
  }

  dqmm(input: string, outputs: string[], c: Columns, bias?: string): NodeProto {
    const n = c.scale.length;
    const k = isLazy(c.q) ? (c.q.dims[0] as number) : c.q.length / n;
    this.usesContrib = true;
    const ins = [input, this.tensor('weight_int8', [k, n], c.q), this.tensor('scale', [n], c.scale), this.tensor('zero_point', [n], c.zeroPoint)];
    if (bias) ins.push(bias);
    return { opType: 'DynamicQuantizeMatMul', domain: 'com.microsoft', input: ins, output: outputs, name: this.name('DynamicQuantizeMatMul') };
  }

  /** One matmul over the concatenated weights, then a split back into each site's output. */
  fused(members: readonly LinearSite[]): NodeProto[] {
    const first = members[0] as LinearSite;
    const ns = members.map((s) => s.n);
    const cols = lazyInt8(members.map(siteSource), first.k);
    const wide = this.name('fused_out');
    const split: NodeProto = { opType: 'Split', input: [wide], output: members.map((s) => s.output), name: this.name('Split'), attribute: [intAttr('axis', -1)] };
    // Split takes its sizes as an input from opset 13, as an attribute before.
    if (this.opset >= 13) split.input = [wide, this.tensor('split', [ns.length], BigInt64Array.from(ns, BigInt))];
    else split.attribute = [...(split.attribute ?? []), intsAttr('split', ns)];
    return [this.dqmm(first.input, [wide], cols), split];
  }

  /**
   * The embedding lookup from the head's `[H, V]` int8 columns: gather along V, move H
   * last, scale by each token's own scale. A few KB of work per token instead of a
   * second 4-byte-per-weight copy of the table.
   */
  gatherColumns(c: LazyColumns, gather: NodeProto): NodeProto[] {
    const ids = gather.input?.[1] ?? '';
    const out = gather.output?.[0] ?? '';
    const n = c.scale.length;
    const k = c.q.dims[0] as number;
    const table = this.tensor('embedding_int8', [k, n], c.q);
    const scale = this.tensor('embedding_scale', [n], c.scale);
    const [cols, moved, floats, scales, scalesU] = ['cols', 'moved', 'floats', 'scales', 'scales_unsqueezed'].map((h) => this.name(h)) as [string, string, string, string, string];
    // input_ids is [batch, sequence]: gathered columns are [H, batch, sequence].
    const unsqueeze: NodeProto = { opType: 'Unsqueeze', input: [scales], output: [scalesU], name: this.name('Unsqueeze') };
    if (this.opset >= 13) unsqueeze.input = [scales, this.tensor('axes', [1], BigInt64Array.of(-1n))];
    else unsqueeze.attribute = [intsAttr('axes', [-1])];
    return [
      { opType: 'Gather', input: [table, ids], output: [cols], name: this.name('Gather'), attribute: [intAttr('axis', 1)] },
      { opType: 'Transpose', input: [cols], output: [moved], name: this.name('Transpose'), attribute: [intsAttr('perm', [1, 2, 0])] },
      { opType: 'Cast', input: [moved], output: [floats], name: this.name('Cast'), attribute: [intAttr('to', DT.FLOAT)] },
      { opType: 'Gather', input: [scale, ids], output: [scales], name: this.name('Gather'), attribute: [intAttr('axis', 0)] },
      unsqueeze,
      { opType: 'Mul', input: [floats, scalesU], output: [out], name: this.name('Mul') },
    ];
  }
}

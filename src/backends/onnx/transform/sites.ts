/**
 * Finds what the transform rewrites: the quantized linear layers (`MatMulNBits`, and
 * `DequantizeLinear` → `MatMul` weight-only int8) and a float32 embedding table that the
 * output head shares (a tied `lm_head`).
 */
import { dequantDirect, dequantRows, nbitsRows, nbitsSupported, type Int8Columns, type LinearSite } from './linear.js';
import { DT, attrInt, dimsOf, floatsOf, tensorBytes, type ExternalFiles, type GraphProto, type NodeProto, type TensorProto } from './proto.js';
import type { TensorPages } from './paged.js';

export interface GraphIndex {
  init: Map<string, TensorProto>;
  /** Nodes reading each value. */
  readers: Map<string, NodeProto[]>;
  producer: Map<string, NodeProto>;
}

export function indexGraph(g: GraphProto): GraphIndex {
  const init = new Map((g.initializer ?? []).map((t) => [t.name ?? '', t]));
  const readers = new Map<string, NodeProto[]>();
  const producer = new Map<string, NodeProto>();
  for (const node of g.node ?? []) {
    for (const i of node.input ?? []) if (i) readers.set(i, [...(readers.get(i) ?? []), node]);
    for (const o of node.output ?? []) producer.set(o, node);
  }
  return { init, readers, producer };
}

/** Every quantized linear layer this transform knows how to rewrite, in graph order. */
export function findLinearSites(g: GraphProto, ix: GraphIndex, ext: ExternalFiles): LinearSite[] {
  const sites: LinearSite[] = [];
  for (const node of g.node ?? []) {
    const ins = node.input ?? [];
    const out = node.output?.[0] ?? '';
    if (node.opType === 'MatMulNBits' && node.domain === 'com.microsoft' && nbitsSupported(node, ix.init)) {
      const bias = ins[5] || undefined;
      sites.push({
        node, input: ins[0] ?? '', output: out, k: attrInt(node, 'K', 0), n: attrInt(node, 'N', 0),
        rows: () => nbitsRows(node, ix.init, ext),
        rowBlock: (r0, r1) => nbitsRows(node, ix.init, ext, r0, r1),
        ...(bias ? { bias } : {}),
        consumed: ins.slice(1, 4).filter(Boolean),
      });
      continue;
    }
    if (node.opType !== 'MatMul' || (node.domain ?? '') !== '') continue;
    const dq = ix.producer.get(ins[1] ?? '');
    if (!dq || dq.opType !== 'DequantizeLinear' || (ix.readers.get(ins[1] ?? '')?.length ?? 0) !== 1) continue;
    const [wName = '', sName = '', zName] = dq.input ?? [];
    const w = ix.init.get(wName);
    const s = ix.init.get(sName);
    const z = zName ? ix.init.get(zName) : undefined;
    if (!w || !s || s.dataType !== DT.FLOAT || dimsOf(w).length !== 2 || (zName && !z) || attrInt(dq, 'block_size', 0) > 0) continue;
    if (w.dataType !== DT.INT8 && w.dataType !== DT.UINT8) continue;
    const axis = attrInt(dq, 'axis', 1);
    const [k = 0, n = 0] = dimsOf(w);
    const direct = dequantDirect(w, s, axis) ? directColumns(w, s, z, n, ext) : undefined;
    sites.push({
      node, input: ins[0] ?? '', output: out, k, n,
      rows: () => dequantRows(w, s, z, axis, ext),
      rowBlock: (r0, r1) => dequantRows(w, s, z, axis, ext, r0, r1),
      ...(direct ? { direct } : {}),
      consumed: [wName, sName, ...(zName ? [zName] : [])],
      dequantNode: dq,
    });
  }
  return sites;
}

/** Weight-only int8 with per-column (or one) scale: the stored bytes feed `DynamicQuantizeMatMul` as they are. */
function directColumns(w: TensorProto, s: TensorProto, z: TensorProto | undefined, n: number, ext: ExternalFiles): Int8Columns {
  const bytes = tensorBytes(w, ext);
  const signed = w.dataType === DT.INT8;
  const q = signed ? new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length) : bytes;
  const sv = floatsOf(s, ext);
  const scale = sv.length === n ? sv : new Float32Array(n).fill(sv[0] ?? 0);
  const zb = z ? tensorBytes(z, ext) : undefined;
  const zeroPoint = signed ? new Int8Array(n) : new Uint8Array(n);
  for (let j = 0; j < n; j++) zeroPoint[j] = zb ? (zb[zb.length === n ? j : 0] ?? 0) : 0;
  return { q, scale, zeroPoint };
}

export interface TiedEmbedding {
  /** The float32 `[V, H]` table. */
  name: string;
  table: Float32Array;
  vocab: number;
  hidden: number;
  gathers: NodeProto[];
  head: LinearSite;
}

/**
 * The embedding table and the head site when they hold the same matrix: the config says
 * so, the table is only ever gathered along axis 0, the head is `[H → V]`, and its
 * weights match the table within quantization error (checked on a sample of rows, so a
 * config that claims a tie the file does not have changes nothing). The head's weights are
 * loaded for the check and let go after it (`pages`, for a source read by range).
 */
export async function findTiedEmbedding(g: GraphProto, ix: GraphIndex, sites: readonly LinearSite[], ext: ExternalFiles, pages: TensorPages): Promise<TiedEmbedding | undefined> {
  for (const t of g.initializer ?? []) {
    const dims = dimsOf(t);
    if (t.dataType !== DT.FLOAT || dims.length !== 2) continue;
    const [vocab = 0, hidden = 0] = dims;
    const readers = ix.readers.get(t.name ?? '') ?? [];
    if (readers.length === 0 || !readers.every((r) => r.opType === 'Gather' && r.input?.[0] === t.name && attrInt(r, 'axis', 0) === 0 && rank2Input(g, r.input?.[1]))) continue;
    const heads = sites.filter((s) => s.n === vocab && s.k === hidden && !s.bias);
    if (heads.length !== 1) continue;
    const head = heads[0] as LinearSite;
    const table = floatsOf(t, ext);
    await pages.load(head.consumed);
    const same = sameMatrix(head, table, vocab, hidden);
    pages.drop(head.consumed);
    if (!same) continue;
    return { name: t.name ?? '', table, vocab, hidden, gathers: readers, head };
  }
  return undefined;
}

/** The column gather assumes `[batch, sequence]` ids, as `input_ids` is. */
function rank2Input(g: GraphProto, name: string | undefined): boolean {
  return g.input?.find((i) => i.name === name)?.type?.tensorType?.shape?.dim?.length === 2;
}

/** Relative error of the head against the table over up to 256 rows: 4-bit weights stay under ~15%. */
function sameMatrix(head: LinearSite, table: Float32Array, vocab: number, hidden: number): boolean {
  let diff = 0;
  let norm = 0;
  const step = Math.max(1, Math.floor(vocab / 256));
  for (let v = 0; v < vocab; v += step) {
    // Only the sampled rows are dequantized: the whole head in float32 is the largest tensor of the model.
    const row = head.rowBlock(v, v + 1);
    for (let h = 0; h < hidden; h++) {
      const a = table[v * hidden + h] as number;
      const d = (row[h] as number) - a;
      diff += d * d;
      norm += a * a;
    }
  }
  return norm > 0 && Math.sqrt(diff / norm) < 0.25;
}

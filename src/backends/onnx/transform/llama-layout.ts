/**
 * Recognises a Llama-family decoder in a graph the linear rewrite has already run on: per
 * layer, its two RMSNorms, the q/k/v outputs and the attention output that feeds o_proj,
 * the cache I/O, and the rotary embedding (layout and tables). Everything the fused graph
 * needs, or `undefined` when any of it is missing or unusual: a graph this does not
 * recognise keeps its op-by-op form, which is slower, never wrong.
 */
import type { PlanRope } from '../kernel/plan.js';
import type { LinearSite } from './linear.js';
import { DT, dimsOf, floatsOf, num, tensorBytes, type ExternalFiles, type GraphProto, type NodeProto, type TensorProto } from './proto.js';
import type { GraphIndex } from './sites.js';

export interface RmsNorm {
  /** The normalised value and the value it normalises. */
  x: string;
  out: string;
  weight: string;
  eps: number;
  /** The Mul by the gain: the node the fused norm replaces. */
  last: NodeProto;
}

export interface AttentionLayer {
  q: string;
  k: string;
  v: string;
  /** The input of o_proj: what the attention computes. */
  out: string;
  pastKey: string;
  pastValue: string;
  presentKey: string;
  presentValue: string;
}

export interface LlamaLayout {
  numHeads: number;
  kvHeads: number;
  headDim: number;
  layers: AttentionLayer[];
  norms: RmsNorm[];
  /**
   * Set when attention can become `GroupQueryAttention`: the rotary embedding was found and
   * the head size suits the kernel (the CPU kernel takes multiples of 16 only).
   */
  rope?: { interleaved: boolean; cos: Float32Array; sin: Float32Array; positions: number };
  /** Where the rotary tables come from (graph tables by name, or the frequencies): the decoder kernel's plan. */
  ropeSource?: PlanRope;
}

const SITE_ROLE = /layers[./](\d+)[./].*?(q_proj|k_proj|v_proj|o_proj)/;
const NORM_WEIGHT = /(^|[./])(input_layernorm|post_attention_layernorm|norm)\.weight$/;
/** Per-head norms inside attention (Qwen3, OLMo 2): GroupQueryAttention has no place for them. */
const QK_NORM = /(q_norm|k_norm|q_layernorm|k_layernorm)/;

export function findLlamaLayout(g: GraphProto, ix: GraphIndex, sites: readonly LinearSite[], ext: ExternalFiles, contextLength: number): LlamaLayout | undefined {
  if ((g.initializer ?? []).some((t) => QK_NORM.test(t.name ?? ''))) return undefined;
  const pk = g.input?.find((i) => i.name === 'past_key_values.0.key')?.type?.tensorType;
  const pkDims = pk?.shape?.dim?.map((d) => num(d.dimValue)) ?? [];
  const [, kvHeads = 0, , headDim = 0] = pkDims;
  if (pk?.elemType !== DT.FLOAT || pkDims.length !== 4 || !kvHeads || !headDim) return undefined;

  const roles = new Map<number, Map<string, LinearSite>>();
  for (const s of sites) {
    const m = SITE_ROLE.exec(`${s.node.name ?? ''} ${s.consumed.join(' ')}`);
    if (!m) continue;
    const i = Number(m[1]);
    roles.set(i, (roles.get(i) ?? new Map<string, LinearSite>()).set(m[2] as string, s));
  }
  const layers: AttentionLayer[] = [];
  for (let i = 0; roles.has(i); i++) {
    const r = roles.get(i) as Map<string, LinearSite>;
    const [q, k, v, o] = ['q_proj', 'k_proj', 'v_proj', 'o_proj'].map((x) => r.get(x));
    const names = { pastKey: `past_key_values.${i}.key`, pastValue: `past_key_values.${i}.value`, presentKey: `present.${i}.key`, presentValue: `present.${i}.value` };
    if (!q || !k || !v || !o || !g.input?.some((x) => x.name === names.pastKey) || !g.output?.some((x) => x.name === names.presentKey)) return undefined;
    if (k.n !== kvHeads * headDim || v.n !== k.n || q.n % headDim !== 0 || o.k !== q.n) return undefined;
    layers.push({ q: q.output, k: k.output, v: v.output, out: o.input, ...names });
  }
  const numHeads = (sites.find((s) => s.output === layers[0]?.q)?.n ?? 0) / headDim;
  if (layers.length === 0 || g.input?.some((x) => x.name === `past_key_values.${layers.length}.key`)) return undefined;

  const norms = findNorms(g, ix, ext);
  if (!norms || norms.length !== 2 * layers.length + 1) return undefined;
  const found = findRope(g, ix, ext, layers[0]?.q ?? '', headDim, contextLength);
  const rope = found && headDim % 16 === 0 ? found.rope : undefined;
  return { numHeads, kvHeads, headDim, layers, norms, ...(rope ? { rope } : {}), ...(found ? { ropeSource: found.source } : {}) };
}

/** Every RMSNorm `w · x / sqrt(mean(x²) + eps)` in float32, as exported (Div or Mul by a reciprocal). */
function findNorms(g: GraphProto, ix: GraphIndex, ext: ExternalFiles): RmsNorm[] | undefined {
  const out: RmsNorm[] = [];
  for (const node of g.node ?? []) {
    if (node.opType !== 'Mul') continue;
    const ins = node.input ?? [];
    const wi = ins.findIndex((n) => NORM_WEIGHT.test(n) && ix.init.has(n));
    if (wi < 0) continue;
    const normed = ix.producer.get(ins[1 - wi] ?? '');
    const found = normed && rmsOf(normed, ix, ext);
    if (!found) return undefined;
    out.push({ ...found, out: node.output?.[0] ?? '', weight: ins[wi] as string, last: node });
  }
  return out;
}

function rmsOf(normed: NodeProto, ix: GraphIndex, ext: ExternalFiles): { x: string; eps: number } | undefined {
  const p = (name: string | undefined): NodeProto | undefined => ix.producer.get(name ?? '');
  let x: string | undefined;
  let sqrt: NodeProto | undefined;
  if (normed.opType === 'Div') {
    x = normed.input?.[0];
    sqrt = p(normed.input?.[1]);
  } else if (normed.opType === 'Mul') {
    const [a, b] = normed.input ?? [];
    const recip = [p(a), p(b)].find((n) => n?.opType === 'Reciprocal');
    x = recip === p(a) ? b : a;
    sqrt = p(recip?.input?.[0]);
  }
  const add = sqrt?.opType === 'Sqrt' ? p(sqrt.input?.[0]) : undefined;
  const [m, e] = add?.opType === 'Add' ? (add.input ?? []) : [];
  const mean = p(m);
  const sq = mean?.opType === 'ReduceMean' ? p(mean.input?.[0]) : undefined;
  const squares = sq && ((sq.opType === 'Pow' && sq.input?.[0] === x) || (sq.opType === 'Mul' && sq.input?.[0] === x && sq.input?.[1] === x));
  const epsT = ix.init.get(e ?? '');
  if (!x || !squares || !epsT || epsT.dataType !== DT.FLOAT) return undefined;
  return { x, eps: floatsOf(epsT, ext)[0] ?? 0 };
}

/**
 * The rotary embedding: interleaved pairs (llama2.c / Meta layout: a reshape to `[…, d/2, 2]`
 * on the query path) or rotate-half (HF: a Neg on it), with its tables taken from the graph
 * itself, as cos/sin tables `[P, d/2]` or an `inv_freq` `[d/2]` (then computed for
 * `contextLength` positions), so scaled variants baked into the export stay exact.
 */
function findRope(g: GraphProto, ix: GraphIndex, ext: ExternalFiles, q: string, headDim: number, contextLength: number): { rope: NonNullable<LlamaLayout['rope']>; source: PlanRope } | undefined {
  const half = headDim / 2;
  const near = nodesAfter(ix, q, 8);
  const interleaved = near.some((n) => n.opType === 'Reshape' && last5dIs2(ix.init.get(n.input?.[1] ?? ''), ext));
  if (!interleaved && !near.some((n) => n.opType === 'Neg')) return undefined;
  const live = (t: TensorProto): boolean => (ix.readers.get(t.name ?? '')?.length ?? 0) > 0 && t.dataType === DT.FLOAT;
  const tables = (g.initializer ?? []).filter((t) => live(t) && dimsOf(t).length === 2 && dimsOf(t)[1] === half);
  const cosT = tables.find((t) => /cos/i.test(t.name ?? ''));
  const sinT = tables.find((t) => /sin/i.test(t.name ?? ''));
  if (cosT && sinT && dimsOf(cosT)[0] === dimsOf(sinT)[0]) {
    const positions = dimsOf(cosT)[0] as number;
    return { rope: { interleaved, cos: floatsOf(cosT, ext), sin: floatsOf(sinT, ext), positions }, source: { interleaved, cos: cosT.name ?? '', sin: sinT.name ?? '', positions } };
  }
  const inv = (g.initializer ?? []).filter((t) => live(t) && dimsOf(t).reduce((a, b) => a * b, 1) === half).map((t) => floatsOf(t, ext)).filter(isInvFreq);
  if (inv.length !== 1) return undefined;
  const f = inv[0] as Float32Array;
  const cos = new Float32Array(contextLength * half);
  const sin = new Float32Array(contextLength * half);
  for (let p = 0; p < contextLength; p++) {
    for (let j = 0; j < half; j++) {
      // The exported graph computes the angle in float32: round it the same way.
      const angle = Math.fround(p * (f[j] as number));
      cos[p * half + j] = Math.cos(angle);
      sin[p * half + j] = Math.sin(angle);
    }
  }
  return { rope: { interleaved, cos, sin, positions: contextLength }, source: { interleaved, invFreq: Array.from(f) } };
}

/** Positive, strictly decreasing, at most 1: the frequencies θ^(-2j/d) of a rotary embedding. */
const isInvFreq = (f: Float32Array): boolean => f.length > 1 && (f[0] as number) <= 1 && f.every((v, j) => v > 0 && (j === 0 || v < (f[j - 1] as number)));

function last5dIs2(t: TensorProto | undefined, ext: ExternalFiles): boolean {
  if (!t || t.dataType !== DT.INT64) return false;
  const shape = new BigInt64Array(new Uint8Array(tensorBytes(t, ext)).buffer);
  return shape.length === 5 && shape[4] === 2n;
}

/** Nodes reachable from `name` within `depth` steps, not crossing a matmul (the attention itself). */
function nodesAfter(ix: GraphIndex, name: string, depth: number): NodeProto[] {
  const seen = new Set<NodeProto>();
  let frontier = [name];
  for (let d = 0; d < depth; d++) {
    const next: string[] = [];
    for (const v of frontier) {
      for (const n of ix.readers.get(v) ?? []) {
        if (seen.has(n) || n.opType === 'MatMul') continue;
        seen.add(n);
        next.push(...(n.output ?? []));
      }
    }
    frontier = next;
  }
  return [...seen];
}

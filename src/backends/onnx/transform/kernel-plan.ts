/**
 * Writes the decoder kernel's plan (`kernel/plan.ts`) for an int8 form whose Llama-family
 * decoder the fused rewrite recognised. It checks, on the rewritten graph, that every
 * layer is exactly `h = x + o(attn(norm(x)))`, `x' = h + down(silu(gate) · up)(norm(h))`
 * with q/k/v and gate/up each one fused int8 matmul, and names the tensors. Anything else
 * (biases, layers kept in float32, unfused norms, another block shape) gets no plan and
 * runs on onnxruntime-web: slower, never wrong.
 */
import type { KernelPlan, PlanMatrix, PlanRope } from '../kernel/plan.js';
import type { LlamaLayout } from './llama-layout.js';
import { dimsOf, type GraphProto, type NodeProto } from './proto.js';
import { indexGraph, type GraphIndex } from './sites.js';

type Producer = (v: string | undefined) => NodeProto | undefined;
interface Norm { node: NodeProto; x: string; out: string; weight: string; sum?: string }

export function kernelPlan(g: GraphProto, layout: LlamaLayout): KernelPlan | undefined {
  const ix = indexGraph(g);
  const p: Producer = (v) => ix.producer.get(v ?? '');
  const dims = new Map((g.initializer ?? []).map((t) => [t.name ?? '', dimsOf(t)]));
  const matrix = (node: NodeProto | undefined): PlanMatrix | undefined => {
    const ins = node?.input ?? [];
    if (node?.opType !== 'DynamicQuantizeMatMul' || (ins[4] ?? '') !== '') return undefined;
    const [k = 0, n = 0] = dims.get(ins[1] ?? '') ?? [];
    return k && n ? { weight: ins[1] as string, scale: ins[2] as string, k, n } : undefined;
  };
  const norm = (i: number): Norm | undefined => {
    const n = layout.norms[i];
    const node = n && p(n.out);
    if (!n || !node) return undefined;
    if (node.opType === 'SkipSimplifiedLayerNormalization') return { node, x: n.x, out: n.out, weight: n.weight, sum: node.output?.[3] ?? '' };
    return node.opType === 'SimplifiedLayerNormalization' ? { node, x: n.x, out: n.out, weight: n.weight } : undefined;
  };
  /** Norm i adds `delta` to `residual` (in either order) and keeps the sum as the next residual. */
  const adds = (n: Norm | undefined, delta: string, residual: string): n is Norm & { sum: string } => {
    const [a, b] = n?.node.opType === 'SkipSimplifiedLayerNormalization' ? n.node.input ?? [] : [];
    return !!n?.sum && a !== b && [a, b].includes(delta) && [a, b].includes(residual);
  };

  if (!layout.ropeSource) return undefined;
  const first = norm(0);
  const embed = first?.node.opType === 'SimplifiedLayerNormalization' ? embedOf(p(first.x), p) : undefined;
  if (!first || !embed) return undefined;
  let residual = first.x;
  let delta: string | undefined;
  let input = first.out;
  const layers: KernelPlan['layers'] = [];
  for (let i = 0; i < layout.layers.length; i++) {
    const l = layout.layers[i] as LlamaLayout['layers'][number];
    const inNorm = norm(2 * i);
    if (i > 0) {
      if (!adds(inNorm, delta ?? '', residual)) return undefined;
      residual = inNorm.sum;
      input = inNorm.out;
    }
    const split = p(l.q);
    const qkvNode = p(split?.input?.[0]);
    const qkv = split?.opType === 'Split' && (split.output ?? []).join('|') === [l.q, l.k, l.v].join('|') && qkvNode?.input?.[0] === input ? matrix(qkvNode) : undefined;
    const oNode = (ix.readers.get(l.out) ?? []).find((r) => r.opType === 'DynamicQuantizeMatMul');
    const o = matrix(oNode);
    const post = norm(2 * i + 1);
    if (!inNorm || !qkv || !o || !adds(post, oNode?.output?.[0] ?? '', residual)) return undefined;
    residual = post.sum;
    const mlp = mlpOf(post.out, ix, p, matrix);
    if (!mlp) return undefined;
    delta = mlp.out;
    layers.push({ inNorm: inNorm.weight, postNorm: post.weight, qkv, o, gateUp: mlp.gateUp, down: mlp.down });
  }
  const final = norm(2 * layout.layers.length);
  if (!adds(final, delta ?? '', residual)) return undefined;
  const headNode = logitsProducer(p);
  const head = matrix(headNode);
  const headIn = headNode?.input?.[0];
  const lastRow = p(headIn);
  if (!head || !(headIn === final.out || (lastRow?.opType === 'Gather' && lastRow.input?.[0] === final.out))) return undefined;
  const { numHeads, kvHeads, headDim } = layout;
  const eps = layout.norms[0]?.eps ?? 0;
  const ok = layers.every((l) => l.qkv.n === (numHeads + 2 * kvHeads) * headDim && l.gateUp.n === 2 * l.down.k && l.down.n === l.qkv.k && l.o.n === l.qkv.k && l.o.k === numHeads * headDim);
  if (!ok || headDim % 4 !== 0 || numHeads % kvHeads !== 0 || layout.norms.some((n) => n.eps !== eps)) return undefined;
  return {
    version: 1, hidden: layers[0]?.qkv.k ?? 0, intermediate: layers[0]?.down.k ?? 0, numHeads, kvHeads, headDim, eps,
    layers, finalNorm: final.weight, embed, head, rope: layout.ropeSource as PlanRope,
  };
}

/** The token lookup feeding the first norm: gathered int8 columns of the tied head, or float32 rows. */
function embedOf(node: NodeProto | undefined, p: Producer): KernelPlan['embed'] | undefined {
  if (node?.opType === 'Gather' && node.input?.[1] === 'input_ids') return { rows: node.input[0] as string };
  if (node?.opType !== 'Mul') return undefined;
  const [a, b] = (node.input ?? []).map(p);
  const cast = [a, b].find((n) => n?.opType === 'Cast');
  const unsq = [a, b].find((n) => n?.opType === 'Unsqueeze');
  const cols = p(p(cast?.input?.[0])?.input?.[0]);
  const scales = p(unsq?.input?.[0]);
  if (cols?.opType !== 'Gather' || scales?.opType !== 'Gather' || cols.input?.[1] !== 'input_ids' || scales.input?.[1] !== 'input_ids') return undefined;
  return { columns: cols.input?.[0] as string, scale: scales.input?.[0] as string };
}

/** gate/up (one fused matmul, gate first), silu(gate) · up as `QuickGelu` (α = 1) and a Mul, then down. */
function mlpOf(x: string, ix: GraphIndex, p: Producer, matrix: (n: NodeProto | undefined) => PlanMatrix | undefined): { gateUp: PlanMatrix; down: PlanMatrix; out: string } | undefined {
  const gu = (ix.readers.get(x) ?? []).find((r) => r.opType === 'DynamicQuantizeMatMul');
  const split = (ix.readers.get(gu?.output?.[0] ?? '') ?? [])[0];
  const [gate, up] = split?.opType === 'Split' ? split.output ?? [] : [];
  const act = (ix.readers.get(gate ?? '') ?? [])[0];
  const alpha = act?.attribute?.find((a) => a.name === 'alpha')?.f ?? 1;
  const mul = (ix.readers.get(act?.output?.[0] ?? '') ?? [])[0];
  const downNode = (ix.readers.get(mul?.output?.[0] ?? '') ?? [])[0];
  const gateUp = matrix(gu);
  const down = matrix(downNode);
  if (!gateUp || !down || split?.output?.length !== 2 || act?.opType !== 'QuickGelu' || alpha !== 1 || mul?.opType !== 'Mul') return undefined;
  if (!(mul.input ?? []).includes(up ?? '') || p(down ? downNode?.input?.[0] : '') !== mul) return undefined;
  return { gateUp, down, out: downNode?.output?.[0] ?? '' };
}

function logitsProducer(p: Producer): NodeProto | undefined {
  const n = p('logits');
  return n?.opType === 'Identity' ? p(n.input?.[0]) : n;
}

/**
 * The fused graph. A Llama-family decoder exported op by op runs ~58 small ops per layer
 * per token (RMSNorm as six, rotary embedding as a dozen, the causal mask, repeat_kv,
 * softmax…); on the WASM execution provider each costs a dispatch (and, with threads, a
 * thread-pool round trip). onnxruntime-web's WASM build ships the CPU contrib kernels that
 * do several of these jobs in one, and this rewrites, measured one by one (SmolLM2-135M
 * shape, int8, 2 threads, Chromium):
 *
 * - each RMSNorm and the residual Add before it into `SkipSimplifiedLayerNormalization`
 *   (the first, on the embeddings, into `SimplifiedLayerNormalization`), and SiLU
 *   (`x · sigmoid(x)`) into `QuickGelu` with α = 1, which is the same function: on by
 *   default (decode +7%, time to first token unchanged at 68 tokens and −20% at 1,024);
 * - attention (rotary embedding, cache concat, GQA head sharing, mask, softmax) into one
 *   `GroupQueryAttention` reading the fused q/k/v output as it is: off unless asked for.
 *   It decodes 12% faster after a 68-token prompt, but the WASM build's CPU kernel is slow
 *   on long sequences: prefilling 1,024 tokens took 30 s instead of 5 s, and decoding
 *   after them ran at half the speed. It also takes head sizes in multiples of 16 only.
 *
 * and drops what no longer feeds an output.
 */
import type { LlamaLayout } from './llama-layout.js';
import { intAttr, makeTensor, onnx, type AttributeProto, type GraphProto, type ModelProto, type NodeProto, type TensorProto } from './proto.js';
import type { GraphIndex } from './sites.js';

const floatAttr = (name: string, f: number): AttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.FLOAT, f });
const MS = 'com.microsoft';

/** Which fusions run (see the module comment for why attention is off by default). */
export interface Fusions {
  /** Default false. */
  attention?: boolean;
  /** Default true. */
  norms?: boolean;
  /** Default true. */
  silu?: boolean;
}

export function fuseLlama(model: ModelProto, ix: GraphIndex, layout: LlamaLayout, on: Fusions, opset: number): void {
  const g = model.graph as GraphProto;
  const nodes = g.node ?? [];
  const at = new Map(nodes.map((n, i) => [n, i]));
  const remove = new Set<NodeProto>();
  const replace = new Map<NodeProto, NodeProto>();
  const before = new Map<NodeProto, NodeProto[]>();
  const name = (hint: string): string => `edgewise/fused/${hint}`;

  const head = layout.rope && on.attention === true && layout.headDim % 16 === 0 ? attention(layout, layout.rope, ix, at, remove, before, opset) : { nodes: [], tensors: [] };
  for (const n of on.norms === false ? [] : layout.norms) {
    const add = ix.producer.get(n.x);
    const skip = add?.opType === 'Add' && (add.input?.length ?? 0) === 2 && (ix.readers.get(n.x) ?? []).every((r) => r === n.last || (at.get(r) ?? -1) > (at.get(n.last) ?? 0) || inNorm(ix, r, n.last));
    if (add && skip) {
      remove.add(add);
      replace.set(n.last, {
        opType: 'SkipSimplifiedLayerNormalization', domain: MS, name: name(`SkipSimplifiedLayerNormalization_${n.out}`),
        input: [add.input?.[0] ?? '', add.input?.[1] ?? '', n.weight], output: [n.out, '', '', n.x], attribute: [floatAttr('epsilon', n.eps)],
      });
    } else {
      replace.set(n.last, {
        opType: 'SimplifiedLayerNormalization', name: name(`SimplifiedLayerNormalization_${n.out}`),
        input: [n.x, n.weight], output: [n.out], attribute: [intAttr('axis', -1), floatAttr('epsilon', n.eps), intAttr('stash_type', 1)],
      });
    }
  }

  for (const s of on.silu === false ? [] : nodes) {
    if (s.opType !== 'Sigmoid') continue;
    const x = s.input?.[0] ?? '';
    const readers = ix.readers.get(s.output?.[0] ?? '') ?? [];
    const mul = readers[0];
    if (readers.length !== 1 || mul?.opType !== 'Mul' || !sameList([...(mul.input ?? [])].sort(), [x, s.output?.[0] ?? ''].sort())) continue;
    remove.add(s);
    replace.set(mul, { opType: 'QuickGelu', domain: MS, name: name(`QuickGelu_${x}`), input: [x], output: [...(mul.output ?? [])], attribute: [floatAttr('alpha', 1)] });
  }

  const out: NodeProto[] = [...head.nodes];
  for (const n of nodes) {
    out.push(...(before.get(n) ?? []));
    if (remove.has(n)) continue;
    out.push(replace.get(n) ?? n);
  }
  g.node = liveNodes(g, out);
  g.initializer = [...(g.initializer ?? []), ...head.tensors];
  if (!model.opsetImport?.some((o) => o.domain === MS)) model.opsetImport = [...(model.opsetImport ?? []), { domain: MS, version: 1 }];
}

/**
 * One `GroupQueryAttention` per layer in place of its attention ops, and the sequence
 * lengths it takes, computed once from the mask for all layers.
 */
function attention(layout: LlamaLayout, rope: NonNullable<LlamaLayout['rope']>, ix: GraphIndex, at: ReadonlyMap<NodeProto, number>, remove: Set<NodeProto>, before: Map<NodeProto, NodeProto[]>, opset: number): { nodes: NodeProto[]; tensors: TensorProto[] } {
  const name = (hint: string): string => `edgewise/fused/${hint}`;
  const [seqlens, total] = [name('seqlens_k'), name('total_sequence_length')];
  const one = makeTensor(name('one'), [], BigInt64Array.of(1n));
  const axis1 = makeTensor(name('axis1'), [1], BigInt64Array.of(1n));
  const cos = makeTensor(name('cos_cache'), [rope.positions, layout.headDim / 2], rope.cos);
  const sin = makeTensor(name('sin_cache'), [rope.positions, layout.headDim / 2], rope.sin);
  const sum: NodeProto = { opType: 'ReduceSum', input: ['attention_mask'], output: [name('mask_sum')], name: name('ReduceSum'), attribute: [intAttr('keepdims', 0)] };
  if (opset >= 13) sum.input = ['attention_mask', axis1.name as string];
  else sum.attribute = [...(sum.attribute ?? []), { name: 'axes', type: onnx.AttributeProto.AttributeType.INTS, ints: [1] }];
  const head: NodeProto[] = [
    sum,
    { opType: 'Sub', input: [name('mask_sum'), one.name as string], output: [name('seqlens64')], name: name('Sub') },
    { opType: 'Cast', input: [name('seqlens64')], output: [seqlens], name: name('Cast_seqlens'), attribute: [intAttr('to', 6)] },
    { opType: 'Shape', input: ['attention_mask'], output: [name('mask_shape')], name: name('Shape') },
    { opType: 'Gather', input: [name('mask_shape'), one.name as string], output: [name('total64')], name: name('Gather_total'), attribute: [intAttr('axis', 0)] },
    { opType: 'Cast', input: [name('total64')], output: [total], name: name('Cast_total'), attribute: [intAttr('to', 6)] },
  ];

  layout.layers.forEach((l, i) => {
    for (const v of [l.out, l.presentKey, l.presentValue]) {
      const p = ix.producer.get(v);
      if (p) remove.add(p);
    }
    const split = ix.producer.get(l.q);
    const packed = split?.opType === 'Split' && sameList(split.output ?? [], [l.q, l.k, l.v]) ? split.input?.[0] : undefined;
    const gqa: NodeProto = {
      opType: 'GroupQueryAttention', domain: MS, name: name(`GroupQueryAttention_${i}`),
      input: [packed ?? l.q, packed ? '' : l.k, packed ? '' : l.v, l.pastKey, l.pastValue, seqlens, total, cos.name as string, sin.name as string],
      output: [l.out, l.presentKey, l.presentValue],
      attribute: [intAttr('num_heads', layout.numHeads), intAttr('kv_num_heads', layout.kvHeads), intAttr('do_rotary', 1), intAttr('rotary_interleaved', rope.interleaved ? 1 : 0)],
    };
    const reader = firstReader(ix, at, l.out, remove);
    if (!reader) throw new Error(`the attention output of layer ${i} has no reader`);
    before.set(reader, [...(before.get(reader) ?? []), gqa]);
  });
  return { nodes: head, tensors: [one, axis1, cos, sin] };
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** The norm's own ops (the squares, the mean) read x too; they go with it. */
function inNorm(ix: GraphIndex, r: NodeProto, last: NodeProto): boolean {
  let frontier = r.output ?? [];
  for (let d = 0; d < 6; d++) {
    const next: string[] = [];
    for (const v of frontier) for (const n of ix.readers.get(v) ?? []) if (n === last) return true; else next.push(...(n.output ?? []));
    frontier = next;
  }
  return false;
}

function firstReader(ix: GraphIndex, at: ReadonlyMap<NodeProto, number>, value: string, skip: ReadonlySet<NodeProto>): NodeProto | undefined {
  const readers = (ix.readers.get(value) ?? []).filter((r) => !skip.has(r));
  return readers.sort((a, b) => (at.get(a) ?? 0) - (at.get(b) ?? 0))[0];
}

/** Nodes that still feed a graph output, in order (the replaced attention and norm ops do not). */
function liveNodes(g: GraphProto, nodes: NodeProto[]): NodeProto[] {
  const live = new Set((g.output ?? []).map((o) => o.name ?? ''));
  const keep: NodeProto[] = [];
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i] as NodeProto;
    if (!(n.output ?? []).some((o) => o && live.has(o))) continue;
    keep.push(n);
    for (const v of n.input ?? []) live.add(v);
    for (const a of n.attribute ?? []) for (const sub of [a.g, ...(a.graphs ?? [])]) for (const sn of sub?.node ?? []) for (const v of sn.input ?? []) live.add(v);
  }
  return keep.reverse();
}

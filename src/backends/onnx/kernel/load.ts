/**
 * Opens an int8 form in the decoder kernel: reads its plan from the graph and copies each
 * weight into the kernel's memory in the layout the kernel streams (one int8 row of K per
 * output, K padded to 16), handing the worker back between tensors so an abort settles.
 * Tensors are read one at a time through a `ByteRange`, so a form read from the cache is
 * never whole in memory next to the kernel's copy of it.
 */
import { EdgewiseError } from '../../../errors.js';
import { pacer, type Pace } from '../transform/pace.js';
import { decodeModel, DT, externalRef, tensorBytes, type TensorProto } from '../transform/proto.js';
import { bytesRange, type ByteRange } from '../weight-files.js';
import { KernelMemory } from './memory.js';
import { KERNEL_PLAN_KEY, readPlan, type KernelPlan, type PlanMatrix } from './plan.js';

export const pad16 = (k: number): number => Math.ceil(k / 16) * 16;

/** A matrix in kernel memory: `n` int8 rows of `kp`, a float32 scale per row. */
export interface KMatrix {
  w: number;
  scale: number;
  k: number;
  kp: number;
  n: number;
}

export interface KernelWeights {
  mem: KernelMemory;
  plan: KernelPlan;
  layers: { inNorm: number; postNorm: number; qkv: KMatrix; o: KMatrix; gateUp: KMatrix; down: KMatrix }[];
  finalNorm: number;
  head: KMatrix;
  /** The lookup: the head's rows (tied) or float32 rows `[V, H]`. */
  embed: { rows: KMatrix } | { floats: number };
  cos: number;
  sin: number;
  positions: number;
  interleaved: boolean;
}

/** The plan a form's graph carries, if any (a few hundred KB to decode; no weights are read). */
export function planOf(graph: Uint8Array): KernelPlan | undefined {
  return readPlan(decodeModel(graph).metadataProps?.find((m) => m.key === KERNEL_PLAN_KEY)?.value ?? undefined);
}

export async function loadKernelWeights(graph: Uint8Array, external: ReadonlyMap<string, ByteRange>, o: { contextLength: number; shared: boolean; signal?: AbortSignal }): Promise<KernelWeights> {
  const model = decodeModel(graph);
  const plan = readPlan(model.metadataProps?.find((m) => m.key === KERNEL_PLAN_KEY)?.value ?? undefined);
  if (!plan) throw new EdgewiseError('unsupported_model', 'This weight form carries no decoder-kernel plan; it runs on onnxruntime-web.');
  const init = new Map((model.graph?.initializer ?? []).map((t) => [t.name ?? '', t]));
  const tensor = (name: string): TensorProto => {
    const t = init.get(name);
    if (!t) throw new EdgewiseError('unsupported_model', `The kernel plan names ${name}, which the graph does not hold; the stored form is damaged.`);
    return t;
  };
  const bytes = (name: string): Promise<Uint8Array> => readTensor(tensor(name), external);
  const floats = async (name: string): Promise<Float32Array> => asFloats(tensor(name), await bytes(name));
  const mem = await KernelMemory.create(o.shared);
  const pace = pacer(o.signal);
  const widest = Math.max(plan.head.n, ...plan.layers.flatMap((l) => [l.qkv.n, l.o.n, l.gateUp.n, l.down.n]));
  const stage = mem.alloc(STAGE_ROWS * widest);
  // One grow for all the weights (each grow of a plain memory may move it).
  const mats = [...plan.layers.flatMap((l) => [l.qkv, l.o, l.gateUp, l.down]), plan.head];
  mem.reserve(mem.end + mats.reduce((a, m) => a + m.n * (pad16(m.k) + 4) + 128, 0) + (2 * plan.layers.length + 1) * plan.hidden * 4 + 2 * o.contextLength * plan.headDim * 4);
  const copyFloats = async (name: string): Promise<number> => {
    const f = await floats(name);
    const at = mem.alloc(f.length * 4);
    mem.f32(at, f.length).set(f);
    await pace();
    return at;
  };
  const matrices = new Map<string, KMatrix>();
  const matrix = async (m: PlanMatrix): Promise<KMatrix> => {
    const known = matrices.get(m.weight);
    if (known) return known;
    const made = await transposed(mem, m, tensorRange(tensor(m.weight), external), await floats(m.scale), stage, pace);
    matrices.set(m.weight, made);
    return made;
  };
  const layers: KernelWeights['layers'] = [];
  for (const l of plan.layers) {
    layers.push({ inNorm: await copyFloats(l.inNorm), postNorm: await copyFloats(l.postNorm), qkv: await matrix(l.qkv), o: await matrix(l.o), gateUp: await matrix(l.gateUp), down: await matrix(l.down) });
  }
  const finalNorm = await copyFloats(plan.finalNorm);
  const head = await matrix(plan.head);
  let embed: KernelWeights['embed'];
  if ('rows' in plan.embed) embed = { floats: await copyFloats(plan.embed.rows) };
  else if (plan.embed.columns === plan.head.weight && plan.embed.scale === plan.head.scale) embed = { rows: head };
  else embed = { rows: await matrix({ weight: plan.embed.columns, scale: plan.embed.scale, k: plan.hidden, n: plan.head.n }) };
  const { cos, sin, positions } = await ropeTables(mem, plan, o.contextLength, floats);
  return { mem, plan, layers, finalNorm, head, embed, cos, sin, positions, interleaved: plan.rope.interleaved };
}

/** An initializer's bytes: inline in the graph, or read from its external file. */
async function readTensor(t: TensorProto, files: ReadonlyMap<string, ByteRange>): Promise<Uint8Array> {
  const r = tensorRange(t, files);
  return r.read(0, r.size);
}

/**
 * An initializer as a range of its own: a weight matrix is read a slice at a time, so the
 * largest (the head, 47 MB at 360M) is never copied whole beside the kernel's memory.
 */
function tensorRange(t: TensorProto, files: ReadonlyMap<string, ByteRange>): ByteRange {
  const ref = externalRef(t, files);
  if (!ref) return bytesRange(tensorBytes(t, new Map()));
  const { file, offset } = ref;
  if (!file) throw new EdgewiseError('unsupported_model', `Weight ${t.name ?? '?'} lives in "${ref.location}", which the form's files do not hold; the stored form is damaged.`);
  const size = ref.length ?? file.size - offset;
  const into = file.readInto?.bind(file);
  return { size, read: (at, length) => file.read(offset + at, length), ...(into ? { readInto: (at: number, out: Uint8Array) => into(offset + at, out) } : {}) };
}

function asFloats(t: TensorProto, b: Uint8Array): Float32Array {
  if (t.dataType !== DT.FLOAT) throw new EdgewiseError('unsupported_model', `Weight ${t.name ?? '?'} is not float32; the stored form is damaged.`);
  return b.byteOffset % 4 === 0 ? new Float32Array(b.buffer, b.byteOffset, b.length >> 2) : new Float32Array(new Uint8Array(b).buffer); // new Uint8Array(b) copies even a Node Buffer, whose slice() is a view
}

/** Source rows staged per kernel call when a weight is re-laid out. */
const STAGE_ROWS = 16;

/**
 * `[K, N]` int8 columns into N rows of K (padded to 16 with zeros): `STAGE_ROWS` source
 * rows at a time are copied into a staging area of the kernel's memory and scattered there
 * by the kernel, so no second copy of the weight is ever made; the worker is handed back
 * between calls (`pace`).
 */
async function transposed(mem: KernelMemory, m: PlanMatrix, bytes: ByteRange, scale: Float32Array, stage: number, pace: Pace): Promise<KMatrix> {
  const { k, n } = m;
  const kp = pad16(k);
  if (bytes.size !== k * n || scale.length !== n) throw new EdgewiseError('unsupported_model', `Weight ${m.weight} holds ${bytes.size} bytes and ${scale.length} scales; the plan says ${k} × ${n}.`);
  const w = mem.alloc(n * kp);
  const s = mem.alloc(n * 4);
  mem.f32(s, n).set(scale);
  // Fresh memory is zero, so the padding columns k … kp need no writes.
  for (let c0 = 0; c0 < k; c0 += STAGE_ROWS) {
    const rows = Math.min(STAGE_ROWS, k - c0);
    await readStage(bytes, c0 * n, () => new Uint8Array(mem.memory.buffer, stage, rows * n));
    mem.k.scatterRows(stage, rows, n, w, kp, c0);
    await pace();
  }
  return { w, scale: s, k, kp, n };
}

/** Bytes of a weight slice into the staging rows, straight from the cache where it can (no copy in between). */
async function readStage(bytes: ByteRange, offset: number, target: () => Uint8Array): Promise<void> {
  // The weights' memory was reserved in one grow before any read, so a view held across
  // the read stays valid.
  if (bytes.readInto) return bytes.readInto(offset, target());
  const slice = await bytes.read(offset, target().length);
  target().set(slice);
}

/** cos/sin `[P, d/2]`: the graph's own tables, or computed from its frequencies in float32 as the graph does. */
async function ropeTables(mem: KernelMemory, plan: KernelPlan, contextLength: number, table: (name: string) => Promise<Float32Array>): Promise<{ cos: number; sin: number; positions: number }> {
  const half = plan.headDim / 2;
  const r = plan.rope;
  const positions = 'cos' in r ? r.positions : contextLength;
  const cos = mem.alloc(positions * half * 4);
  const sin = mem.alloc(positions * half * 4);
  if ('cos' in r) {
    mem.f32(cos, positions * half).set((await table(r.cos)).subarray(0, positions * half));
    mem.f32(sin, positions * half).set((await table(r.sin)).subarray(0, positions * half));
  } else {
    const c = mem.f32(cos, positions * half);
    const s = mem.f32(sin, positions * half);
    for (let p = 0; p < positions; p++) {
      for (let j = 0; j < half; j++) {
        const angle = Math.fround(p * (r.invFreq[j] as number));
        c[p * half + j] = Math.cos(angle);
        s[p * half + j] = Math.sin(angle);
      }
    }
  }
  return { cos, sin, positions };
}

/**
 * Linear-layer weights in and out of their stored forms: 4/8-bit `MatMulNBits` blocks and
 * `DequantizeLinear` int8 become float32 rows; rows become per-output-channel int8 for
 * `DynamicQuantizeMatMul` or a float32 `[K, N]` matrix for `MatMul`.
 *
 * Rows use the nn.Linear layout `[N, K]` (one output channel per row) because every stored
 * form quantizes per output channel or per block within one, so a row is contiguous.
 */
import { DT, attrInt, dimsOf, floatsOf, tensorBytes, type ExternalFiles, type NodeProto, type TensorProto } from './proto.js';

/** A linear layer found in the graph: y = x · Wᵀ (+ bias). */
export interface LinearSite {
  node: NodeProto;
  /** The activation input (x). */
  input: string;
  output: string;
  k: number;
  n: number;
  /** The float32 weights as `[N, K]` rows, computed on demand (they can be large). */
  rows(): Float32Array;
  /** Rows `r0 ≤ r < r1` only: the transform streams a layer in blocks instead of holding it in float32. */
  rowBlock(r0: number, r1: number): Float32Array;
  /** Int8 weights usable as they are (weight-only int8 with per-column scales): no re-quantization. */
  direct?: Int8Columns;
  bias?: string;
  /** Initializers this site makes unnecessary once rewritten. */
  consumed: string[];
  /** The `DequantizeLinear` feeding a weight-only int8 `MatMul`; it goes with the rewrite. */
  dequantNode?: NodeProto;
}

/** Per-output-channel int8 in the `[K, N]` layout `DynamicQuantizeMatMul` takes. */
export interface Int8Columns {
  q: Int8Array | Uint8Array;
  scale: Float32Array;
  zeroPoint: Int8Array | Uint8Array;
}

/**
 * Dequantizes `MatMulNBits` weights: `B` uint8 `[N, blocks, blob]`, `scales` `[N·blocks]`,
 * optional uint8 zero points packed like `B`, default zero point 2^(bits-1).
 * Element 2j of a 4-bit block sits in the low nibble of byte j.
 */
export function nbitsRows(node: NodeProto, init: ReadonlyMap<string, TensorProto>, ext: ExternalFiles, r0 = 0, r1 = attrInt(node, 'N', 0)): Float32Array {
  const [, bName, sName, zName] = node.input ?? [];
  const k = attrInt(node, 'K', 0);
  const bits = attrInt(node, 'bits', 4);
  const block = attrInt(node, 'block_size', 32);
  const packed = tensorBytes(init.get(bName ?? '') as TensorProto, ext);
  const scales = floatsOf(init.get(sName ?? '') as TensorProto, ext);
  const zT = zName ? init.get(zName) : undefined;
  const blocks = Math.ceil(k / block);
  const blob = (block * bits) / 8;
  const zpBytesPerRow = Math.ceil((blocks * bits) / 8);
  const zpPacked = zT && zT.dataType === DT.UINT8 ? tensorBytes(zT, ext) : undefined;
  const mid = 1 << (bits - 1);
  const out = new Float32Array((r1 - r0) * k);
  for (let r = r0; r < r1; r++) {
    for (let b = 0; b < blocks; b++) {
      const s = scales[r * blocks + b] ?? 0;
      let zp = mid;
      if (zpPacked) {
        const byte = zpPacked[r * zpBytesPerRow + ((b * bits) >> 3)] ?? 0;
        zp = bits === 4 ? ((b & 1) === 0 ? byte & 0x0f : byte >> 4) : byte;
      }
      const base = (r * blocks + b) * blob;
      const start = b * block;
      const len = Math.min(block, k - start);
      const row = (r - r0) * k + start;
      if (bits === 8) {
        for (let i = 0; i < len; i++) out[row + i] = ((packed[base + i] as number) - zp) * s;
        continue;
      }
      // Two 4-bit codes per byte, the even element in the low nibble.
      const pairs = len >> 1;
      for (let j = 0; j < pairs; j++) {
        const byte = packed[base + j] as number;
        out[row + 2 * j] = ((byte & 0x0f) - zp) * s;
        out[row + 2 * j + 1] = ((byte >> 4) - zp) * s;
      }
      if (len & 1) out[row + len - 1] = (((packed[base + pairs] as number) & 0x0f) - zp) * s;
    }
  }
  return out;
}

/**
 * `MatMulNBits` variants this transform reads: 4 or 8 bits, float32 scales, packed uint8
 * zero points or none, no `g_idx` reordering. Others (float zero points, whose meaning
 * varies between quantizers) stay as they are.
 */
export function nbitsSupported(node: NodeProto, init: ReadonlyMap<string, TensorProto>): boolean {
  const ins = node.input ?? [];
  const bits = attrInt(node, 'bits', 4);
  const scales = init.get(ins[2] ?? '');
  const zName = ins[3];
  const zOk = !zName || init.get(zName)?.dataType === DT.UINT8;
  return (bits === 4 || bits === 8) && init.has(ins[1] ?? '') && scales?.dataType === DT.FLOAT && zOk && !ins[4];
}

/**
 * Weight-only int8 (`DequantizeLinear(W_q, scale, zp)` feeding `MatMul` input B) as rows.
 * Handles per-tensor and per-axis scales; anything else is left alone by the caller.
 */
export function dequantRows(w: TensorProto, scale: TensorProto, zp: TensorProto | undefined, axis: number, ext: ExternalFiles, r0 = 0, r1 = dimsOf(w)[1] ?? 0): Float32Array {
  const [k = 0, n = 0] = dimsOf(w);
  const q = tensorBytes(w, ext);
  const signed = w.dataType === DT.INT8;
  const s = floatsOf(scale, ext);
  const z = zp ? tensorBytes(zp, ext) : undefined;
  const perCol = s.length === n && axis === 1;
  const out = new Float32Array((r1 - r0) * k);
  for (let i = 0; i < k; i++) {
    for (let j = r0; j < r1; j++) {
      const at = perCol ? j : s.length === 1 ? 0 : i;
      const raw = q[i * n + j] ?? 0;
      const zv = z ? (signed ? (z[at] ?? 0) << 24 >> 24 : (z[at] ?? 0)) : 0;
      out[(j - r0) * k + i] = ((signed ? (raw << 24) >> 24 : raw) - zv) * (s[at] ?? 0);
    }
  }
  return out;
}

/** True when DequantizeLinear's scale is one per column of a `[K, N]` weight (or one for all). */
export function dequantDirect(w: TensorProto, scale: TensorProto, axis: number): boolean {
  const dims = dimsOf(w);
  const sLen = dimsOf(scale).reduce((a, b) => a * b, 1);
  return dims.length === 2 && (sLen === 1 || (axis === 1 && sLen === dims[1])) && (w.dataType === DT.INT8 || w.dataType === DT.UINT8);
}

/**
 * Symmetric int8 per output channel: s = max|w| / 127, q = round(w / s), written
 * transposed into `[K, N]`. Scales are float32-rounded before dividing, so q·s is as close
 * to w as the runtime's float32 arithmetic can get.
 */
export function quantizeColumns(rows: Float32Array, n: number, k: number): Int8Columns {
  const q = new Int8Array(k * n);
  const scale = new Float32Array(n);
  quantizeInto(rows, n, k, q, n, 0, scale);
  return { q, scale, zeroPoint: new Int8Array(n) };
}

/**
 * Quantizes `count` rows `[count, K]` into columns `col…col+count` of a `[K, stride]` int8
 * matrix (and their scales into `scale[col…]`): one block of a layer, or one layer of a
 * fused group, written straight into the transform's output buffer.
 */
export function quantizeInto(rows: Float32Array, count: number, k: number, q: Int8Array, stride: number, col: number, scale: Float32Array): void {
  const inv = new Float32Array(TILE);
  // Tiles of rows, so the transposed writes land TILE bytes at a time instead of one byte
  // every N (10x faster on a 49152-row head).
  for (let r0 = 0; r0 < count; r0 += TILE) {
    const r1 = Math.min(count, r0 + TILE);
    for (let r = r0; r < r1; r++) {
      const base = r * k;
      let amax = 0;
      for (let i = 0; i < k; i++) {
        const a = Math.abs(rows[base + i] as number);
        if (a > amax) amax = a;
      }
      const s = Math.fround(amax / 127);
      scale[col + r] = s;
      inv[r - r0] = s === 0 ? 0 : 1 / s;
    }
    for (let i = 0; i < k; i++) {
      const out = i * stride + col;
      for (let r = r0; r < r1; r++) q[out + r] = roundHalfEven((rows[r * k + i] as number) * (inv[r - r0] as number));
    }
  }
}

const TILE = 64;

// Adding and removing 1.5·2^52 leaves a double rounded to an integer (half to even) by the
// FPU itself: 6x faster than Math.round, the transform's hottest line.
const ROUND = 6755399441055744;
const roundHalfEven = (v: number): number => v + ROUND - ROUND;

/** Rows `[N, K]` to the `[K, N]` float32 matrix `MatMul` takes. */
export function transposeRows(rows: Float32Array, n: number, k: number): Float32Array {
  const out = new Float32Array(k * n);
  transposeInto(rows, n, k, out, n, 0);
  return out;
}

/** `count` rows `[count, K]` into columns `col…` of a `[K, stride]` float32 matrix. */
export function transposeInto(rows: Float32Array, count: number, k: number, out: Float32Array, stride: number, col: number): void {
  for (let r = 0; r < count; r++) {
    const base = r * k;
    for (let i = 0; i < k; i++) out[i * stride + col + r] = rows[base + i] as number;
  }
}

/** Signed int8 columns of several sites side by side: one `[K, ΣN]` weight for one fused matmul. */
export function concatColumns(parts: readonly Int8Columns[], ns: readonly number[], k: number): Int8Columns {
  const total = ns.reduce((a, b) => a + b, 0);
  const q = new Int8Array(k * total);
  const scale = new Float32Array(total);
  const zeroPoint = new Int8Array(total);
  let col = 0;
  parts.forEach((p, idx) => {
    const n = ns[idx] as number;
    for (let i = 0; i < k; i++) q.set(p.q.subarray(i * n, (i + 1) * n), i * total + col);
    scale.set(p.scale, col);
    zeroPoint.set(p.zeroPoint, col);
    col += n;
  });
  return { q, scale, zeroPoint };
}

/**
 * Output tensors made when the output is written, block by block, straight into the one
 * data buffer: the transform never holds a layer (let alone the model) in float32, and it
 * can hand the worker back between blocks (see pace.ts).
 */
import { quantizeInto, transposeInto, type Int8Columns, type LinearSite } from './linear.js';
import { DT } from './proto.js';
import type { Pace } from './pace.js';

export interface LazyTensor {
  dims: number[];
  dataType: number;
  /** Source initializers `fill` reads (loaded before it when the source is read by range). */
  reads: readonly string[];
  /** Writes the tensor's bytes into `out` (exactly its size, 64-byte aligned). */
  fill(out: Uint8Array, pace: Pace): Promise<void>;
}

/** Int8 columns whose weights are made lazily; `scale` is filled with them, so it is written after. */
export interface LazyColumns {
  q: LazyTensor;
  scale: Float32Array;
  zeroPoint: Int8Array;
}

/** One layer's weights as float32 rows `[N, K]`, or already int8 per column. */
export interface RowSource {
  n: number;
  /** Source initializers the rows are read from (none for a table already in memory). */
  reads?: readonly string[];
  rowBlock?: (r0: number, r1: number) => Float32Array;
  direct?: Int8Columns;
}

export const siteSource = (s: LinearSite): RowSource => (s.direct ? { n: s.n, direct: s.direct } : { n: s.n, reads: s.consumed, rowBlock: (a, b) => s.rowBlock(a, b) });

/** About 1 MB of float32 rows per block: small next to any layer, large enough to keep the loops hot. */
const blockRows = (k: number): number => Math.max(1, Math.floor(262_144 / Math.max(1, k)));

/** Layers that read the same input, side by side as one `[K, ΣN]` int8 weight (one layer: just its own). */
export function lazyInt8(parts: readonly RowSource[], k: number): LazyColumns {
  const total = parts.reduce((a, p) => a + p.n, 0);
  const scale = new Float32Array(total);
  const fill = async (out: Uint8Array, pace: Pace): Promise<void> => {
    const q = new Int8Array(out.buffer, out.byteOffset, k * total);
    let col = 0;
    for (const p of parts) {
      if (p.direct) {
        for (let i = 0; i < k; i++) q.set(p.direct.q.subarray(i * p.n, (i + 1) * p.n), i * total + col);
        scale.set(p.direct.scale, col);
        await pace();
      } else if (p.rowBlock) {
        const step = blockRows(k);
        for (let r0 = 0; r0 < p.n; r0 += step) {
          const r1 = Math.min(p.n, r0 + step);
          quantizeInto(p.rowBlock(r0, r1), r1 - r0, k, q, total, col + r0, scale);
          await pace();
        }
      }
      col += p.n;
    }
  };
  return { q: { dims: [k, total], dataType: DT.INT8, reads: parts.flatMap((p) => p.reads ?? []), fill }, scale, zeroPoint: new Int8Array(total) };
}

/** A layer as the `[K, N]` float32 matrix `MatMul` takes. */
export function lazyFp32(s: LinearSite): LazyTensor {
  const { k, n } = s;
  return {
    dims: [k, n],
    dataType: DT.FLOAT,
    reads: s.consumed,
    async fill(out, pace) {
      const f = new Float32Array(out.buffer, out.byteOffset, k * n);
      const step = blockRows(k);
      for (let r0 = 0; r0 < n; r0 += step) {
        const r1 = Math.min(n, r0 + step);
        transposeInto(s.rowBlock(r0, r1), r1 - r0, k, f, n, r0);
        await pace();
      }
    },
  };
}

export const lazyBytes = (t: LazyTensor): number => t.dims.reduce((a, b) => a * b, 1) * (t.dataType === DT.FLOAT ? 4 : 1);

export function isLazy(x: object): x is LazyTensor {
  // Typed arrays have a fill() too.
  return !ArrayBuffer.isView(x) && typeof (x as LazyTensor).fill === 'function';
}

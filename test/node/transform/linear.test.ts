// Dequantization and re-quantization against the runtime's own kernel: a one-node
// MatMulNBits graph fed the identity matrix returns Wᵀ exactly as onnxruntime-web reads the
// packed bits, zero points and scales, which is the oracle for nbitsRows.
import { describe, expect, it } from 'vitest';
import { nbitsRows, quantizeColumns, concatColumns } from '../../../src/backends/onnx/transform/linear.js';
import { decodeModel, encodeModel, intAttr, makeTensor, onnx } from '../../../src/backends/onnx/transform/proto.js';
import { indexGraph } from '../../../src/backends/onnx/transform/sites.js';
import { open, ort } from './ort-node.js';

/** A deterministic stream of bytes (xorshift), so no expected value comes from the code under test. */
function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

function nbitsModel(k: number, n: number, bits: 4 | 8, block: number, withZp: boolean): Uint8Array {
  const blocks = Math.ceil(k / block);
  const blob = (block * bits) / 8;
  const scales = Float32Array.from(bytes(n * blocks, 7), (b) => (b + 1) / 512);
  const inits = [makeTensor('B', [n, blocks, blob], bytes(n * blocks * blob, 3)), makeTensor('scales', [n * blocks], scales)];
  const inputs = ['A', 'B', 'scales'];
  if (withZp) {
    inits.push(makeTensor('zp', [n * Math.ceil((blocks * bits) / 8)], bytes(n * Math.ceil((blocks * bits) / 8), 11)));
    inputs.push('zp');
  }
  const f32 = (name: string, dims: (number | string)[]) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } } });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }, { domain: 'com.microsoft', version: 1 }],
    graph: {
      name: 'g',
      node: [{ opType: 'MatMulNBits', domain: 'com.microsoft', input: inputs, output: ['Y'], attribute: [intAttr('K', k), intAttr('N', n), intAttr('bits', bits), intAttr('block_size', block)] }],
      initializer: inits,
      input: [f32('A', ['M', k])],
      output: [f32('Y', ['M', n])],
    },
  });
  return encodeModel(model);
}

async function runtimeRows(model: Uint8Array, k: number, n: number): Promise<Float32Array> {
  const eye = new Float32Array(k * k);
  for (let i = 0; i < k; i++) eye[i * k + i] = 1;
  const y = (await (await open(model)).run({ A: new ort.Tensor('float32', eye, [k, k]) }))['Y']!.data as Float32Array;
  // Y = I·Wᵀ is [K, N]; rows are [N, K].
  const rows = new Float32Array(n * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) rows[j * k + i] = y[i * n + j]!;
  return rows;
}

describe('nbitsRows reads MatMulNBits as onnxruntime-web does', () => {
  for (const [bits, block, k, zp] of [[4, 32, 64, false], [4, 16, 48, true], [4, 32, 40, true], [8, 32, 64, true], [8, 16, 32, false]] as const) {
    it(`${bits}-bit, block ${block}, K ${k}, ${zp ? 'packed zero points' : 'default zero point'}`, async () => {
      const n = 6;
      const model = nbitsModel(k, n, bits, block, zp);
      const g = decodeModel(model).graph!;
      const ix = indexGraph(g);
      const mine = nbitsRows(g.node![0]!, ix.init, new Map());
      const theirs = await runtimeRows(model, k, n);
      for (let i = 0; i < mine.length; i++) expect(mine[i]).toBeCloseTo(theirs[i]!, 5);
    });
  }
});

describe('quantizeColumns', () => {
  it('is symmetric per output channel, within half a step of every weight, in the [K, N] layout', () => {
    const n = 70; // more than one 64-row tile
    const k = 9;
    const rows = Float32Array.from(bytes(n * k, 5), (b, i) => ((b - 128) / 37) * (1 + (i % 3)));
    const c = quantizeColumns(rows, n, k);
    for (let r = 0; r < n; r++) {
      let amax = 0;
      for (let i = 0; i < k; i++) amax = Math.max(amax, Math.abs(rows[r * k + i]!));
      expect(c.scale[r]).toBeCloseTo(amax / 127, 6);
      for (let i = 0; i < k; i++) {
        const q = c.q[i * n + r]!;
        expect(Math.abs(q)).toBeLessThanOrEqual(127);
        expect(Math.abs(q * c.scale[r]! - rows[r * k + i]!)).toBeLessThanOrEqual(c.scale[r]! / 2 + 1e-6);
      }
    }
    expect([...c.zeroPoint].every((z) => z === 0)).toBe(true);
  });

  it('concatColumns lays sites side by side per input row', () => {
    const a = quantizeColumns(Float32Array.of(1, 2, 3, 4), 2, 2);
    const b = quantizeColumns(Float32Array.of(-5, 6), 1, 2);
    const c = concatColumns([a, b], [2, 1], 2);
    expect([...c.scale]).toEqual([...a.scale, ...b.scale]);
    // Row i of the result is row i of a, then row i of b.
    expect([...c.q]).toEqual([a.q[0], a.q[1], b.q[0], a.q[2], a.q[3], b.q[1]]);
  });
});

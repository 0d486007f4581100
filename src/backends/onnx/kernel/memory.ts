/**
 * The decoder kernel's WebAssembly instance and its one memory, laid out by a bump
 * allocator: weights first, then the scratch rows, then the KV cache last, so the cache
 * can grow in place at the end. WASM memory never shrinks; a decoder lives as long as its model.
 */
import { EdgewiseError } from '../../../errors.js';
import { KERNEL_WASM, KERNEL_WASM_SHARED } from './wasm.js';

/** Pointers are byte offsets into the memory; every size is in elements of the named type. */
export interface KernelExports {
  quantRows(x: number, M: number, K: number, Kp: number, q: number, scales: number): void;
  matmul(w: number, wScale: number, bias: number, a: number, aScale: number, y: number, ldy: number, M: number, Kp: number, n0: number, n1: number): void;
  rmsNorm(x: number, w: number, y: number, M: number, K: number, eps: number): void;
  addRmsNorm(res: number, delta: number, w: number, y: number, M: number, K: number, eps: number): void;
  rope(x: number, M: number, ld: number, heads: number, d: number, cos: number, sin: number, pos0: number, interleaved: number): void;
  attention(q: number, ldq: number, keys: number, values: number, cap: number, out: number, ldo: number, M: number, pos0: number, heads: number, kvHeads: number, d: number, h0: number, h1: number, scores: number): void;
  siluMul(gu: number, ld: number, upAt: number, out: number, M: number, I: number): void;
  toCache(x: number, ld: number, at: number, M: number, kvHeads: number, d: number, cache: number, cap: number, pos0: number): void;
  embed(table: number, scales: number, Kp: number, K: number, ids: number, M: number, y: number): void;
  scatterRows(stage: number, rows: number, N: number, dst: number, Kp: number, c0: number): void;
}

const PAGE = 65_536;
/** wasm32's ceiling: 4 GiB, in pages. */
const MAX_PAGES = 65_536;

const bytesOf = (b64: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

const compiled: { plain?: Promise<WebAssembly.Module>; shared?: Promise<WebAssembly.Module> } = {};

/** True where the kernel can run: WebAssembly with SIMD (every current browser). */
export function kernelSupported(): boolean {
  try {
    return WebAssembly.validate(bytesOf(KERNEL_WASM));
  } catch {
    return false;
  }
}

/** The module's own static data (AssemblyScript's exp table at 1024) lives below this. */
const RESERVED = PAGE;

export class KernelMemory {
  private top = RESERVED;

  private constructor(readonly memory: WebAssembly.Memory, readonly k: KernelExports, readonly shared: boolean, readonly module: WebAssembly.Module) {}

  static async create(shared: boolean): Promise<KernelMemory> {
    const which = shared ? 'shared' : 'plain';
    const module = await (compiled[which] ??= WebAssembly.compile(bytesOf(shared ? KERNEL_WASM_SHARED : KERNEL_WASM)));
    const memory = new WebAssembly.Memory(shared ? { initial: 2, maximum: MAX_PAGES, shared: true } : { initial: 2, maximum: MAX_PAGES });
    const instance = await WebAssembly.instantiate(module, { env: { memory } });
    return new KernelMemory(memory, instance.exports as unknown as KernelExports, shared, module);
  }

  get end(): number {
    return this.top;
  }

  /** `bytes` more at a 64-byte boundary (SIMD loads, cache lines); grows the memory as needed. */
  alloc(bytes: number): number {
    const at = Math.ceil(this.top / 64) * 64;
    this.reserve(at + bytes);
    this.top = at + bytes;
    return at;
  }

  /** Lengthens the last region to end at `end` (no alignment gap: the KV cache grows in place). */
  extendTo(end: number): void {
    this.reserve(end);
    this.top = Math.max(this.top, end);
  }

  /** Makes the memory at least `bytes` long. */
  reserve(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes <= have) return;
    const pages = Math.ceil((bytes - have) / PAGE);
    if (have / PAGE + pages > MAX_PAGES) throw new EdgewiseError('runtime_error', `The model needs ${Math.round(bytes / 2 ** 20)} MiB of WebAssembly memory, over the 4 GiB a wasm32 module can address.`, { details: { reason: 'memory' } });
    try {
      this.memory.grow(pages);
    } catch (cause) {
      throw new EdgewiseError('runtime_error', `The browser refused ${Math.round(bytes / 2 ** 20)} MiB of WebAssembly memory for the model; it does not fit this device.`, { details: { reason: 'memory' }, cause });
    }
  }

  // Views are made per use: growing a plain memory detaches every earlier view.
  f32(at: number, n: number): Float32Array {
    return new Float32Array(this.memory.buffer, at, n);
  }

  i8(at: number, n: number): Int8Array {
    return new Int8Array(this.memory.buffer, at, n);
  }

  i32(at: number, n: number): Int32Array {
    return new Int32Array(this.memory.buffer, at, n);
  }
}

/**
 * A source weight file the transform reads a tensor at a time from the cache, instead of
 * holding it whole: at SmolLM2-360M's shape the q4 file (416 MB) is larger than the int8
 * form made from it (364 MB), so holding it whole while the form is made broke the first
 * load's memory bound on its own.
 *
 * The transform's reads are synchronous (they sit deep in per-row loops), so the bytes a
 * step needs are loaded before it (`TensorPages.load`) and let go after (`drop`). Reading
 * anything not loaded is a bug in the transform, and says so.
 */
import { freeBytes } from '../../../free-bytes.js';
import { abortable } from '../../../abortable.js';
import { rewriteAborted } from './pace.js';
import type { ByteRange } from '../weight-files.js';
import { externalRef, type ExternalBytes, type ExternalFiles, type GraphProto, type TensorProto } from './proto.js';

/** Bytes read from the range per await. */
const SLICE = 4 << 20;

export class PagedFile implements ExternalBytes {
  readonly length: number;
  /** Loaded bytes by file offset. */
  private readonly pages = new Map<number, Uint8Array>();

  constructor(private readonly range: ByteRange) {
    this.length = range.size;
  }

  /** Bytes loaded right now. */
  get loadedBytes(): number {
    let n = 0;
    for (const b of this.pages.values()) n += b.length;
    return n;
  }

  subarray(begin: number, end: number): Uint8Array {
    for (const [at, bytes] of this.pages) if (begin >= at && end <= at + bytes.length) return bytes.subarray(begin - at, end - at);
    throw new Error(`bytes ${begin}…${end} of a weight file read by range were used before they were loaded (a bug in the transform)`);
  }

  async load(offset: number, length: number, signal: AbortSignal | undefined): Promise<void> {
    if ((this.pages.get(offset)?.length ?? -1) >= length) return;
    const out = new Uint8Array(length);
    for (let at = 0; at < length; at += SLICE) {
      if (signal?.aborted) throw rewriteAborted();
      const n = Math.min(SLICE, length - at);
      // An IndexedDB read cannot be cancelled, but an abort need not wait for it (tens of ms).
      if (this.range.readInto) await abortable(this.range.readInto(offset + at, out.subarray(at, at + n)), signal, rewriteAborted);
      else out.set(await abortable(this.range.read(offset + at, n), signal, rewriteAborted), at);
    }
    this.pages.set(offset, out);
  }

  drop(offset: number): void {
    this.pages.delete(offset);
  }

  /**
   * Lets go of every page. `now`: frees them at once (`transfer(0)` detaches each buffer),
   * not at a garbage collection that may come only after the decoder kernel has grown its
   * memory to the form's size. Not after a failure or an abort: unmapping a 400 MB table
   * holds the worker for tens of ms, which an abort must not wait for, and the collector
   * frees buffers off the thread. Only once the transform is done: views of a page (the
   * tied table) die with it.
   */
  dropAllPages(now: boolean): void {
    if (now) for (const bytes of this.pages.values()) freeBytes(bytes);
    this.pages.clear();
    this.range.close?.();
  }
}

/** Loads and lets go of source tensors by initializer name (a no-op for files in memory). */
export interface TensorPages {
  load(names: readonly string[]): Promise<void>;
  drop(names: readonly string[]): void;
}

/**
 * Pages for the source graph `g` as it is now (the rewrite later removes the initializers
 * it consumed from the graph, but their bytes are still read while the output is written).
 */
export function tensorPages(g: GraphProto, ext: ExternalFiles, signal: AbortSignal | undefined): TensorPages {
  const init = new Map((g.initializer ?? []).map((t) => [t.name ?? '', t]));
  const paged = (name: string): { file: PagedFile; offset: number; length: number } | undefined => {
    const t = init.get(name);
    const ref = t && externalRef(t, ext);
    return ref?.file instanceof PagedFile ? { file: ref.file, offset: ref.offset, length: ref.length ?? ref.file.length - ref.offset } : undefined;
  };
  return {
    async load(names) {
      for (const n of names) {
        const p = paged(n);
        if (p) await p.file.load(p.offset, p.length, signal);
      }
    },
    drop(names) {
      for (const n of names) {
        const p = paged(n);
        p?.file.drop(p.offset);
      }
    },
  };
}

/**
 * What is loaded before the graph is read: every external initializer but the quantized
 * weights of `MatMulNBits` layers (loaded layer by layer as the output is written). So
 * norms, rotary tables, a float32 embedding table and weight-only int8 (`DequantizeLinear`)
 * sources are read whole; the 4-bit layers, most of a q4 file, never are.
 */
export function readUpFront(g: GraphProto): string[] {
  const later = new Set<string>();
  for (const n of g.node ?? []) if (n.opType === 'MatMulNBits') for (const i of (n.input ?? []).slice(1, 4)) if (i) later.add(i);
  return (g.initializer ?? []).map((t) => t.name ?? '').filter((name) => !later.has(name));
}

/** Lets go of everything loaded (see PagedFile.dropAllPages). */
export function dropAll(ext: ExternalFiles, now: boolean): void {
  for (const f of ext.values()) if (f instanceof PagedFile) f.dropAllPages(now);
}

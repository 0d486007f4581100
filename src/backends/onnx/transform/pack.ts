/**
 * The transform's last step: every large initializer moves into one external-data file,
 * written front to back. The file goes either into one buffer or, streamed, to a writer
 * that stores it as it comes (the cache): then the rewrite is never whole in memory, which
 * is what keeps a first load's peak near the size of the weights themselves.
 */
import { lazyBytes, type LazyTensor } from './lazy.js';
import type { Pace } from './pace.js';
import type { TensorPages } from './paged.js';
import { externalRef, onnx, tensorBytes, type ExternalFiles, type GraphProto, type TensorProto } from './proto.js';

/** Where the packed bytes go, in order. */
export interface DataSink {
  write(bytes: Uint8Array): Promise<void>;
}

/**
 * Called once the packed size is known: a sink to stream into, or undefined to pack into
 * one buffer (no cache, or no room in it).
 */
export type SinkFactory = (size: number) => Promise<DataSink | undefined>;

// Small tensors stay in the graph; 64-byte alignment lets the runtime view weights in place.
const INLINE_MAX = 1024;
const ALIGN = 64;
/** Bytes handed to a sink between two `pace()` calls. */
const WRITE_SLICE = 1 << 20;

interface Moving {
  t: TensorProto;
  length: number;
  offset: number;
  made?: LazyTensor;
}

/**
 * Moves every large initializer into the external file and points the graph at it.
 * The lazy tensors come first in the file: making them fills the scales that eager
 * tensors hold, so in file order each tensor's bytes are final when it is written.
 * The source bytes each tensor reads are loaded just before it and let go after (`pages`).
 * @returns the file when it was packed into a buffer; undefined when it was streamed.
 */
export async function packExternal(g: GraphProto, external: ExternalFiles, dataName: string, lazy: ReadonlyMap<string, LazyTensor>, pace: Pace, pages: TensorPages, sinkFor?: SinkFactory): Promise<Uint8Array | undefined> {
  const made: Moving[] = [];
  const copied: Moving[] = [];
  for (const t of g.initializer ?? []) {
    const m = lazy.get(t.name ?? '');
    const length = m ? lazyBytes(m) : byteLength(t, external);
    if (m) made.push({ t, length, offset: 0, made: m });
    else if (length > INLINE_MAX) copied.push({ t, length, offset: 0 });
  }
  let size = 0;
  for (const m of [...made, ...copied]) {
    m.offset = size;
    size += Math.ceil(m.length / ALIGN) * ALIGN;
  }
  const sink = sinkFor ? await sinkFor(size) : undefined;
  const data = sink ? undefined : new Uint8Array(size);
  let written = 0;
  const put = async (m: Moving, fill: (out: Uint8Array) => Promise<void> | void): Promise<void> => {
    if (data) {
      await fill(data.subarray(m.offset, m.offset + m.length));
      return;
    }
    // Streamed: the padding up to this tensor, then the tensor from a buffer of its own size.
    if (m.offset > written) await sink!.write(new Uint8Array(m.offset - written));
    const own = new Uint8Array(m.length);
    await fill(own);
    // In slices, pacing between them: storing a 100 MB head takes about a second, and an
    // abort must not wait for it.
    for (let at = 0; at < own.length; at += WRITE_SLICE) {
      await sink!.write(own.subarray(at, at + WRITE_SLICE));
      await pace();
    }
    written = m.offset + m.length;
  };
  for (const m of made) {
    await pages.load(m.made!.reads);
    await put(m, (out) => m.made!.fill(out, pace));
    pages.drop(m.made!.reads);
  }
  // Small tensors read from external files go inline (after the lazy fills, which read them too).
  for (const t of g.initializer ?? []) {
    if (lazy.has(t.name ?? '') || t.dataLocation !== onnx.TensorProto.DataLocation.EXTERNAL) continue;
    if (byteLength(t, external) > INLINE_MAX) continue;
    await pages.load([t.name ?? '']);
    const bytes = tensorBytes(t, external);
    if (bytes.length <= INLINE_MAX) inline(t, bytes);
  }
  for (const m of copied) {
    const name = [m.t.name ?? ''];
    await pages.load(name);
    await put(m, (out) => out.set(tensorBytes(m.t, external)));
    pages.drop(name);
    await pace();
  }
  if (sink && size > written) await sink.write(new Uint8Array(size - written));
  for (const { t, length, offset } of [...made, ...copied]) pointAt(t, dataName, offset, length);
  return data;
}

/** An initializer's size in bytes, without reading an external one. */
function byteLength(t: TensorProto, external: ExternalFiles): number {
  const ref = externalRef(t, external);
  if (ref?.file) return ref.length ?? ref.file.length - ref.offset;
  return tensorBytes(t, external).length;
}

function pointAt(t: TensorProto, dataName: string, offset: number, length: number): void {
  // Deleted, not emptied: an empty raw_data field still gets written, and the runtime
  // rejects a tensor that has both raw and external data.
  delete t.rawData;
  delete t.floatData;
  delete t.int32Data;
  delete t.int64Data;
  t.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
  t.externalData = [
    { key: 'location', value: dataName },
    { key: 'offset', value: String(offset) },
    { key: 'length', value: String(length) },
  ];
}

function inline(t: TensorProto, bytes: Uint8Array): void {
  t.rawData = bytes.slice();
  t.dataLocation = onnx.TensorProto.DataLocation.DEFAULT;
  t.externalData = [];
}

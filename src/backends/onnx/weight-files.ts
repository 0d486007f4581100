/**
 * A weight form's external-data file as a load hands it on: its bytes, or (a form in the
 * cache) a way to read them by range. The decoder kernel reads a stored form tensor by
 * tensor into its own memory, so the form is never whole in the worker beside it;
 * onnxruntime-web takes whole buffers, so it gets the file read whole.
 */
import type { ExternalData } from './runtime.js';

/** Random access to a file's bytes. */
export interface ByteRange {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Copies `out.length` bytes from `offset` into `out`, where the range can do it without a copy of its own. */
  readInto?(offset: number, out: Uint8Array): Promise<void>;
  /** Lets go of anything kept for later reads. */
  close?(): void;
}

export type WeightFile = ExternalData | { path: string; range: ByteRange };

/** Bytes in memory as a range (views, no copies). */
export const bytesRange = (data: Uint8Array): ByteRange => ({ size: data.length, read: async (offset, length) => data.subarray(offset, offset + length) });

export const rangeOf = (f: WeightFile): ByteRange => ('range' in f ? f.range : bytesRange(f.data));

/** Every file whole, for the runtime (a stored one is read in one go). */
export async function wholeFiles(files: readonly WeightFile[]): Promise<ExternalData[]> {
  const out: ExternalData[] = [];
  for (const f of files) out.push('range' in f ? { path: f.path, data: await f.range.read(0, f.range.size) } : f);
  return out;
}

/**
 * ONNX protobuf access for the weight transform, over `onnx-proto` (the ONNX schema
 * compiled to static protobufjs code: no code generation at run time, so it works under a
 * CSP without 'unsafe-eval'). Decoding keeps `raw_data` as views into the file's bytes, so
 * reading a 200 MB graph copies nothing.
 */
import onnxProto from 'onnx-proto';

export const { onnx } = onnxProto;
export type ModelProto = onnxProto.onnx.ModelProto;
export type GraphProto = onnxProto.onnx.IGraphProto;
export type NodeProto = onnxProto.onnx.INodeProto;
export type TensorProto = onnxProto.onnx.ITensorProto;
export type AttributeProto = onnxProto.onnx.IAttributeProto;

/** ONNX element types the transform reads or writes. */
export const DT = { FLOAT: 1, UINT8: 2, INT8: 3, INT64: 7, FLOAT16: 10 } as const;

/** A protobuf int64: a number, or a Long where protobufjs found the `long` package. */
type Int64 = number | { toNumber(): number };

export const num = (v: Int64 | null | undefined): number => (v == null ? 0 : typeof v === 'number' ? v : v.toNumber());

export function decodeModel(bytes: Uint8Array): ModelProto {
  return onnx.ModelProto.decode(bytes);
}

export function encodeModel(model: ModelProto): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}

export function dimsOf(t: TensorProto): number[] {
  return (t.dims ?? []).map(num);
}

export function attrInt(node: NodeProto, name: string, fallback: number): number {
  const a = node.attribute?.find((x) => x.name === name);
  return a ? num(a.i) : fallback;
}

export const intAttr = (name: string, i: number): AttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INT, i });
export const intsAttr = (name: string, ints: number[]): AttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints });

/** Files named by external-data initializers, by the name the graph records. */
/** An external-data file as the transform reads it: bytes in memory, or a file read by range (paged.ts). */
export interface ExternalBytes {
  readonly length: number;
  subarray(begin: number, end: number): Uint8Array;
}

export type ExternalFiles = ReadonlyMap<string, ExternalBytes>;

/**
 * Where an external-data initializer's bytes are: its file among `files` (by the recorded
 * location, or its last path segment), offset and length (undefined: to the file's end).
 * Undefined for an initializer whose bytes are in the graph.
 */
export function externalRef<F>(t: TensorProto, files: ReadonlyMap<string, F>): { location: string; file: F | undefined; offset: number; length: number | undefined } | undefined {
  if (t.dataLocation !== onnx.TensorProto.DataLocation.EXTERNAL) return undefined;
  const entry = (k: string): string | undefined => t.externalData?.find((e) => e.key === k)?.value ?? undefined;
  const location = entry('location') ?? '';
  const length = entry('length');
  return { location, file: files.get(location) ?? files.get(location.slice(location.lastIndexOf('/') + 1)), offset: Number(entry('offset') ?? 0), length: length === undefined ? undefined : Number(length) };
}

/**
 * The bytes of an initializer, wherever the file keeps them: `raw_data`, an external data
 * file, or the typed repeated fields older exporters write.
 */
export function tensorBytes(t: TensorProto, external: ExternalFiles): Uint8Array {
  const ref = externalRef(t, external);
  if (ref) {
    if (!ref.file) throw new Error(`initializer ${t.name ?? '?'} lives in external file "${ref.location}", which the model folder did not provide`);
    const length = ref.length ?? ref.file.length - ref.offset;
    return ref.file.subarray(ref.offset, ref.offset + length);
  }
  if (t.rawData && t.rawData.length > 0) return t.rawData;
  if (t.floatData && t.floatData.length > 0) return new Uint8Array(Float32Array.from(t.floatData).buffer);
  if (t.int32Data && t.int32Data.length > 0) {
    // int8/uint8/float16 values are stored one per int32 outside raw_data.
    if (t.dataType === DT.INT8) return new Uint8Array(Int8Array.from(t.int32Data).buffer);
    if (t.dataType === DT.UINT8) return Uint8Array.from(t.int32Data);
    return new Uint8Array(Int32Array.from(t.int32Data).buffer);
  }
  if (t.int64Data && t.int64Data.length > 0) return new Uint8Array(BigInt64Array.from(t.int64Data, (v) => BigInt(num(v))).buffer);
  return new Uint8Array(0);
}

/** float32 values of an initializer (copied when the bytes are not 4-byte aligned; `new Uint8Array(b)` copies even a Node Buffer, whose slice() is a view). */
export function floatsOf(t: TensorProto, external: ExternalFiles): Float32Array {
  const b = tensorBytes(t, external);
  if (t.dataType !== DT.FLOAT) throw new Error(`initializer ${t.name ?? '?'} is type ${t.dataType ?? '?'}, not float32`);
  return b.byteOffset % 4 === 0 ? new Float32Array(b.buffer, b.byteOffset, b.length / 4) : new Float32Array(new Uint8Array(b).buffer);
}

/** A new float32, int8, uint8 or int64 initializer holding `data`. */
export function makeTensor(name: string, dims: readonly number[], data: Float32Array | Int8Array | Uint8Array | BigInt64Array): TensorProto {
  const dataType = data instanceof Float32Array ? DT.FLOAT : data instanceof Int8Array ? DT.INT8 : data instanceof BigInt64Array ? DT.INT64 : DT.UINT8;
  return { name, dims: [...dims], dataType, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

/**
 * The export format (`EWIX`, version 1), little-endian throughout:
 *
 * | bytes | what |
 * |---|---|
 * | 4 | magic `EWIX` |
 * | 4 | u32 format version (1) |
 * | 4 | u32 header length H |
 * | H | UTF-8 JSON header `{ info: IndexInfo, docs: [{ id, metadata?, length, chunks }] }` |
 * | per chunk | u32 seq, u32 start, u32 end, u32 text bytes T, T bytes of UTF-8 text |
 * | vectors | float32: rows × dims f32; int8: rows f32 scales, then rows × dims i8 |
 *
 * Chunks follow the header's documents in order (`docs[i].chunks` of them each, by seq);
 * nothing may follow the vectors. Vectors are the stored (normalised) ones, so an import
 * searches exactly as the exported index did.
 */
import { EdgewiseError } from '../../errors.js';
import type { IndexInfo, JSONValue } from '../types.js';

export const MAGIC = 'EWIX';
export const FORMAT_VERSION = 1;

export interface DumpDoc {
  id: string;
  metadata?: { readonly [key: string]: JSONValue };
  length: number;
  chunks: number;
}

export interface DumpChunk {
  seq: number;
  start: number;
  end: number;
  text: string;
}

export interface IndexDump {
  info: IndexInfo;
  docs: DumpDoc[];
  chunks: DumpChunk[];
  /** float32: rows × dims; int8: rows × dims with one scale per row in `scales`. */
  vectors: Float32Array | Int8Array;
  scales: Float32Array;
}

export type MalformedReason = 'magic' | 'version' | 'truncated' | 'header' | 'chunk' | 'vector' | 'trailing';

export function malformed(reason: MalformedReason, what: string, extra: Record<string, unknown> = {}): EdgewiseError {
  return new EdgewiseError('invalid_index', `This is not an index export that edgewise can import (${what}). Import only what index.export() wrote, whole and unchanged.`, {
    details: { reason, ...extra },
  });
}

export function encodeDump(d: IndexDump): ArrayBuffer {
  const enc = new TextEncoder();
  const header = enc.encode(JSON.stringify({ info: d.info, docs: d.docs }));
  const texts = d.chunks.map((c) => enc.encode(c.text));
  const rows = d.chunks.length;
  const vectorBytes = d.info.vectors === 'float32' ? rows * d.info.dims * 4 : rows * 4 + rows * d.info.dims;
  const size = 12 + header.length + texts.reduce((n, t) => n + 16 + t.length, 0) + vectorBytes;
  const buf = new ArrayBuffer(size);
  const view = new DataView(buf);
  const bytes = new Uint8Array(buf);
  bytes.set(enc.encode(MAGIC), 0);
  view.setUint32(4, FORMAT_VERSION, true);
  view.setUint32(8, header.length, true);
  bytes.set(header, 12);
  let at = 12 + header.length;
  d.chunks.forEach((c, i) => {
    const t = texts[i]!;
    view.setUint32(at, c.seq, true);
    view.setUint32(at + 4, c.start, true);
    view.setUint32(at + 8, c.end, true);
    view.setUint32(at + 12, t.length, true);
    bytes.set(t, at + 16);
    at += 16 + t.length;
  });
  if (d.vectors instanceof Float32Array) {
    for (let i = 0; i < d.vectors.length; i++, at += 4) view.setFloat32(at, d.vectors[i]!, true);
  } else {
    for (let i = 0; i < rows; i++, at += 4) view.setFloat32(at, d.scales[i]!, true);
    bytes.set(new Uint8Array(d.vectors.buffer, d.vectors.byteOffset, d.vectors.length), at);
  }
  return buf;
}

/** Parses and checks an export; every defect is `invalid_index` with `details.reason`. */
export function decodeDump(data: ArrayBuffer): IndexDump {
  if (!(data instanceof ArrayBuffer)) throw malformed('truncated', 'not an ArrayBuffer');
  const view = new DataView(data);
  const bytes = new Uint8Array(data);
  if (data.byteLength < 12) throw malformed(data.byteLength >= 4 && !hasMagic(bytes) ? 'magic' : 'truncated', `only ${data.byteLength} bytes`);
  if (!hasMagic(bytes)) throw malformed('magic', 'it does not start with EWIX');
  const version = view.getUint32(4, true);
  if (version !== FORMAT_VERSION) throw malformed('version', `format version ${version}; this edgewise reads version ${FORMAT_VERSION}`, { version });
  const headerLength = view.getUint32(8, true);
  if (12 + headerLength > data.byteLength) throw malformed('truncated', 'the header runs past the end');
  const { info, docs } = parseHeader(bytes.subarray(12, 12 + headerLength));
  const dec = new TextDecoder('utf-8', { fatal: true });
  const chunks: DumpChunk[] = [];
  let at = 12 + headerLength;
  for (const doc of docs) {
    let lastSeq = -1;
    for (let i = 0; i < doc.chunks; i++) {
      if (at + 16 > data.byteLength) throw malformed('truncated', `chunk ${chunks.length} runs past the end`);
      const seq = view.getUint32(at, true);
      const start = view.getUint32(at + 4, true);
      const end = view.getUint32(at + 8, true);
      const length = view.getUint32(at + 12, true);
      if (at + 16 + length > data.byteLength) throw malformed('truncated', `chunk ${chunks.length}'s text runs past the end`);
      if (end < start || end > doc.length) throw malformed('chunk', `chunk ${chunks.length} of "${doc.id}" spans ${start}..${end} of ${doc.length} characters`);
      let text: string;
      try {
        text = dec.decode(bytes.subarray(at + 16, at + 16 + length));
      } catch {
        throw malformed('chunk', `chunk ${chunks.length}'s text is not UTF-8`);
      }
      // Seqs rise within a document: a repeated seq would overwrite a chunk on import.
      if (seq <= lastSeq) throw malformed('chunk', `chunk ${chunks.length} of "${doc.id}" repeats or reorders seq ${seq}`);
      lastSeq = seq;
      chunks.push({ seq, start, end, text });
      at += 16 + length;
    }
  }
  const rows = chunks.length;
  const { dims } = info;
  const need = info.vectors === 'float32' ? rows * dims * 4 : rows * 4 + rows * dims;
  if (at + need > data.byteLength) throw malformed('truncated', 'the vectors run past the end');
  if (at + need < data.byteLength) throw malformed('trailing', `${data.byteLength - at - need} bytes follow the vectors`);
  const scales = new Float32Array(info.vectors === 'int8' ? rows : 0);
  let vectors: Float32Array | Int8Array;
  if (info.vectors === 'float32') {
    vectors = new Float32Array(rows * dims);
    for (let i = 0; i < vectors.length; i++, at += 4) vectors[i] = view.getFloat32(at, true);
  } else {
    for (let i = 0; i < rows; i++, at += 4) scales[i] = view.getFloat32(at, true);
    vectors = new Int8Array(data.slice(at, at + rows * dims));
  }
  for (let i = 0; i < vectors.length; i++) if (!Number.isFinite(vectors[i]!)) throw malformed('vector', `component ${i} is not a finite number`);
  for (let i = 0; i < scales.length; i++) if (!(scales[i]! >= 0 && Number.isFinite(scales[i]!))) throw malformed('vector', `scale ${i} is not a finite non-negative number`);
  return { info: { ...info, docs: docs.length, chunks: rows }, docs, chunks, vectors, scales };
}

function hasMagic(bytes: Uint8Array): boolean {
  return bytes[0] === 0x45 && bytes[1] === 0x57 && bytes[2] === 0x49 && bytes[3] === 0x58;
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseHeader(raw: Uint8Array): { info: IndexInfo; docs: DumpDoc[] } {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch {
    throw malformed('header', 'the header is not UTF-8 JSON');
  }
  if (!isObject(json) || !isObject(json['info']) || !Array.isArray(json['docs'])) throw malformed('header', 'the header lacks info or docs');
  const i = json['info'];
  const chunk = i['chunk'];
  const ok =
    typeof i['name'] === 'string' && typeof i['model'] === 'string' && isCount(i['dims']) && i['dims'] > 0 && i['dims'] <= 65_536 &&
    (i['vectors'] === 'float32' || i['vectors'] === 'int8') && isObject(chunk) && isCount(chunk['size']) && isCount(chunk['overlap']) &&
    isCount(i['createdAt']) && isCount(i['updatedAt']);
  if (!ok) throw malformed('header', 'the header\'s info is incomplete');
  const ids = new Set<string>();
  const docs: DumpDoc[] = [];
  for (const d of json['docs'] as unknown[]) {
    if (!isObject(d) || typeof d['id'] !== 'string' || !isCount(d['length']) || !isCount(d['chunks']) || (d['metadata'] !== undefined && !isObject(d['metadata']))) {
      throw malformed('header', `document ${docs.length} is incomplete`);
    }
    if (ids.has(d['id'])) throw malformed('header', `document "${d['id']}" appears twice`);
    ids.add(d['id']);
    const doc: DumpDoc = { id: d['id'], length: d['length'], chunks: d['chunks'] };
    if (d['metadata'] !== undefined) doc.metadata = d['metadata'] as { readonly [key: string]: JSONValue };
    docs.push(doc);
  }
  const info: IndexInfo = {
    name: i['name'] as string,
    model: i['model'] as string,
    dims: i['dims'] as number,
    vectors: i['vectors'] as IndexInfo['vectors'],
    chunk: { size: (chunk as Record<string, number>)['size']!, overlap: (chunk as Record<string, number>)['overlap']! },
    docs: docs.length,
    chunks: 0,
    bytes: isCount(i['bytes']) ? i['bytes'] : 0,
    createdAt: i['createdAt'] as number,
    updatedAt: i['updatedAt'] as number,
  };
  return { info, docs };
}

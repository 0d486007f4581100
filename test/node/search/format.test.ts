/**
 * The export format (EWIX v1): a dump survives the round trip bit for bit, and every
 * kind of damage is refused as `invalid_index` with the reason that names it.
 */
import { describe, expect, it } from 'vitest';
import { isEdgewiseError } from '../../../src/errors.js';
import { decodeDump, encodeDump, type IndexDump } from '../../../src/search/worker/format.js';

function dump(vectors: 'float32' | 'int8'): IndexDump {
  const info = { name: 'notes', model: 'mini:fp32', dims: 3, vectors, chunk: { size: 800, overlap: 100 }, docs: 2, chunks: 3, bytes: 1234, createdAt: 1, updatedAt: 2 };
  const chunks = [
    { seq: 0, start: 0, end: 5, text: 'Hällo' },
    { seq: 1, start: 4, end: 9, text: 'o wor' },
    { seq: 0, start: 0, end: 2, text: '🙂' },
  ];
  const docs = [{ id: 'a', length: 9, chunks: 2, metadata: { tag: 'x', n: [1, 2] } }, { id: 'b', length: 2, chunks: 1 }];
  if (vectors === 'float32') return { info, docs, chunks, vectors: Float32Array.from([0.6, 0.8, 0, 1, 0, 0, 0, -0.6, 0.8]), scales: new Float32Array(0) };
  return { info, docs, chunks, vectors: Int8Array.from([127, -3, 0, 0, 127, 0, -127, 1, 2]), scales: Float32Array.from([0.5, 0.25, 0.125]) };
}

function reason(data: ArrayBuffer): unknown {
  try {
    decodeDump(data);
  } catch (e) {
    return isEdgewiseError(e) && e.code === 'invalid_index' ? e.details['reason'] : `untyped: ${String(e)}`;
  }
  return 'accepted';
}

function patched(buf: ArrayBuffer, at: number, value: number): ArrayBuffer {
  const copy = buf.slice(0);
  new DataView(copy).setUint32(at, value, true);
  return copy;
}

describe('search: export format', () => {
  for (const type of ['float32', 'int8'] as const) {
    it(`round-trips a ${type} index: info, documents with metadata, chunk texts (non-ASCII) and vectors`, () => {
      const d = dump(type);
      const back = decodeDump(encodeDump(d));
      expect(back.info).toEqual(d.info);
      expect(back.docs).toEqual(d.docs);
      expect(back.chunks).toEqual(d.chunks);
      expect([...back.vectors]).toEqual([...d.vectors]);
      expect([...back.scales]).toEqual([...d.scales]);
    });
  }

  it('starts with EWIX and a little-endian version 1 and header length', () => {
    const buf = encodeDump(dump('float32'));
    const bytes = new Uint8Array(buf);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('EWIX');
    expect([...bytes.subarray(4, 8)]).toEqual([1, 0, 0, 0]);
    expect(JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + new DataView(buf).getUint32(8, true))))).toHaveProperty('info.model', 'mini:fp32');
  });

  it('refuses each malformed input with its reason', () => {
    const good = encodeDump(dump('float32'));
    const headerLength = new DataView(good).getUint32(8, true);
    const firstChunk = 12 + headerLength;
    const bad = new Uint8Array(good.slice(0));
    bad[0] = 0x50; // 'P', as in a zip
    expect(reason(bad.buffer)).toBe('magic');
    expect(reason(new ArrayBuffer(3))).toBe('truncated');
    expect(reason(patched(good, 4, 2))).toBe('version');
    expect(reason(patched(good, 8, 1e6))).toBe('truncated');
    for (const cut of [13, firstChunk + 10, good.byteLength - 1]) expect(reason(good.slice(0, cut))).toBe('truncated');
    const longer = new Uint8Array(good.byteLength + 1);
    longer.set(new Uint8Array(good));
    expect(reason(longer.buffer)).toBe('trailing');
    expect(reason(patched(good, firstChunk + 8, 99))).toBe('chunk'); // end past the document's length
    expect(reason(patched(good, firstChunk + 16 + 6 /* 'Hällo' is 6 UTF-8 bytes */, 0))).toBe('chunk'); // second chunk's seq repeats 0
    const header = (h: unknown) => {
      const json = new TextEncoder().encode(JSON.stringify(h));
      const out = new Uint8Array(12 + json.length);
      out.set(new Uint8Array(good, 0, 8));
      new DataView(out.buffer).setUint32(8, json.length, true);
      out.set(json, 12);
      return out.buffer;
    };
    const d = dump('float32');
    expect(reason(header({ docs: [] }))).toBe('header');
    expect(reason(header({ info: { ...d.info, dims: 0 }, docs: [] }))).toBe('header');
    expect(reason(header({ info: { ...d.info, vectors: 'fp16' }, docs: [] }))).toBe('header');
    expect(reason(header({ info: d.info, docs: [{ id: 'a', length: 1, chunks: 0 }, { id: 'a', length: 1, chunks: 0 }] }))).toBe('header');
    const nan = good.slice(0);
    new DataView(nan).setFloat32(good.byteLength - 4, NaN, true);
    expect(reason(nan)).toBe('vector');
    const notJson = new Uint8Array(good.slice(0));
    notJson[12] = 0x7b + 1;
    expect(reason(notJson.buffer)).toBe('header');
  });

  it('an empty index exports and imports (no documents, no vectors)', () => {
    const d = dump('int8');
    const empty: IndexDump = { info: { ...d.info, docs: 0, chunks: 0 }, docs: [], chunks: [], vectors: new Int8Array(0), scales: new Float32Array(0) };
    expect(decodeDump(encodeDump(empty)).docs).toEqual([]);
  });
});

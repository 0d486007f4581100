/** Export and import of a whole index (format.ts): one read transaction out, one write transaction in. */
import { req, transact, type FaultsForTests } from './db.js';
import { decodeDump, encodeDump, type DumpChunk, type DumpDoc } from './format.js';
import { chunkBytes, chunkKey, docBytes, docKey, metaBytes, newEpoch, prefix, toInfo, type ChunkRecord, type DocRecord, type MetaRecord } from './records.js';
import { getMeta, mismatch, requireMeta } from './store.js';
import type { IndexInfo } from '../types.js';

export function exportIndex(name: string): Promise<ArrayBuffer> {
  return transact(['meta', 'docs', 'chunks'], 'readonly', async (tx) => {
    const meta = await requireMeta(tx, name);
    const docs = (await req(tx.objectStore('docs').getAll(prefix(name)))) as DocRecord[];
    const all = (await req(tx.objectStore('chunks').getAll(prefix(name)))) as ChunkRecord[];
    // Key order is (docId, generation, seq): each document's committed chunks come out by seq.
    const committed = new Map(docs.map((d) => [d.id, d.generation]));
    const visible = all.filter((c) => committed.get(c.docId) === c.generation);
    const byDoc = new Map<string, number>();
    for (const c of visible) byDoc.set(c.docId, (byDoc.get(c.docId) ?? 0) + 1);
    const dumpDocs: DumpDoc[] = docs.map((d) => {
      const out: DumpDoc = { id: d.id, length: d.length, chunks: byDoc.get(d.id) ?? 0 };
      if (d.metadata) out.metadata = d.metadata;
      return out;
    });
    const order = new Map(docs.map((d, i) => [d.id, i]));
    visible.sort((a, b) => order.get(a.docId)! - order.get(b.docId)! || a.seq - b.seq);
    const chunks: DumpChunk[] = visible.map((c) => ({ seq: c.seq, start: c.start, end: c.end, text: c.text }));
    const { dims } = meta;
    const scales = new Float32Array(meta.vectors === 'int8' ? visible.length : 0);
    let vectors: Float32Array | Int8Array;
    if (meta.vectors === 'float32') {
      vectors = new Float32Array(visible.length * dims);
      visible.forEach((c, r) => (vectors as Float32Array).set(new Float32Array(c.vector, 0, dims), r * dims));
    } else {
      vectors = new Int8Array(visible.length * dims);
      visible.forEach((c, r) => {
        (vectors as Int8Array).set(new Int8Array(c.vector, 0, dims), r * dims);
        scales[r] = c.scale;
      });
    }
    return encodeDump({ info: { ...toInfo(meta), docs: dumpDocs.length, chunks: chunks.length }, docs: dumpDocs, chunks, vectors, scales });
  }, { index: name, operation: 'export' });
}

/** Replaces `name` with the export's content in one transaction; the export's model must be `model`. */
export async function importIndex(name: string, data: ArrayBuffer, model: string, faults?: FaultsForTests): Promise<IndexInfo> {
  const dump = decodeDump(data);
  if (dump.info.model !== model) throw mismatch(name, dump.info.model, model);
  const { dims, vectors: type } = dump.info;
  return transact(['meta', 'docs', 'chunks', 'shadow'], 'readwrite', async (tx) => {
    const old = await getMeta(tx, name);
    for (const s of ['docs', 'chunks', 'shadow'] as const) tx.objectStore(s).delete(prefix(name));
    const generation = `import-${newEpoch()}`;
    const now = Date.now();
    let bytes = metaBytes(name);
    let row = 0;
    for (const d of dump.docs) {
      const doc: DocRecord = { id: d.id, generation, length: d.length, chunks: d.chunks };
      if (d.metadata) doc.metadata = d.metadata;
      tx.objectStore('docs').put(doc, docKey(name, d.id));
      bytes += docBytes(doc);
      for (let i = 0; i < d.chunks; i++, row++) {
        const c = dump.chunks[row]!;
        const from = row * dims * (type === 'float32' ? 4 : 1);
        const vector = dump.vectors.buffer.slice(dump.vectors.byteOffset + from, dump.vectors.byteOffset + from + dims * (type === 'float32' ? 4 : 1)) as ArrayBuffer;
        const rec: ChunkRecord = { docId: d.id, generation, seq: c.seq, start: c.start, end: c.end, text: c.text, vector, scale: type === 'int8' ? dump.scales[row]! : 1 };
        tx.objectStore('chunks').put(rec, chunkKey(name, d.id, generation, c.seq));
        bytes += chunkBytes(rec);
      }
    }
    const meta: MetaRecord = {
      ...dump.info, name, docs: dump.docs.length, chunks: dump.chunks.length, bytes,
      createdAt: old?.createdAt ?? now, updatedAt: now,
      // A new epoch: a worker holding the old vectors must reload whatever the version says.
      version: (old?.version ?? 0) + 1, epoch: newEpoch(),
    };
    tx.objectStore('meta').put(meta, name);
    return toInfo(meta);
  }, { index: name, operation: 'import', faults });
}

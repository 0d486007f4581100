/**
 * reindex(): every stored chunk re-embedded with the engine's current embedding model,
 * into a shadow set of vectors that replaces the old one only at commit. Until then
 * searches keep using the old vectors; a failure or abort throws the shadow set away.
 */
import { transfer } from 'comlink';
import type { IndexInfo, IndexProgress } from '../types.js';
import type { SearchWorker } from './client.js';
import { abortError } from './add.js';
import type { CheckedAdd } from './options.js';
import type { Vectors } from './vectors.js';
import { mismatch } from './vectors.js';

export interface ReindexTarget {
  name: string;
  worker: SearchWorker;
  embed(texts: string[], signal: AbortSignal | undefined): Promise<Vectors>;
}

export async function reindex(info: IndexInfo, t: ReindexTarget, o: CheckedAdd): Promise<IndexInfo> {
  const { api, guard } = t.worker;
  const started = performance.now();
  const check = (): void => { if (o.signal?.aborted) throw abortError(o.signal); };
  let model: string | undefined;
  let chunksDone = 0;
  const docs = new Set<string>();
  const begin = async (v: Vectors): Promise<void> => {
    model = v.model;
    await guard(api.beginReindex(t.name, { model: v.model, dims: v.dims, vectors: info.vectors, chunk: info.chunk }));
  };
  try {
    let cursor: string | undefined;
    do {
      check();
      const page = await guard(api.readChunks(t.name, cursor, o.batchSize));
      cursor = page.next;
      if (page.chunks.length === 0) continue;
      const v = await t.embed(page.chunks.map((c) => c.text), o.signal);
      if (model === undefined) await begin(v);
      // Routing may move the engine to another model mid-way (a local failure, then the remote).
      else if (v.model !== model) throw mismatch(t.name, model, v.model);
      check();
      const packed = v.pack(0, page.chunks.length);
      await guard(api.writeVectors(t.name, page.chunks.map((c) => ({ docId: c.docId, seq: c.seq })), transfer(packed, [packed.buffer])));
      chunksDone += page.chunks.length;
      for (const c of page.chunks) docs.add(c.docId);
      const seconds = (performance.now() - started) / 1000;
      // The last document seen may go on in the next page: it counts once it is behind us.
      const p: IndexProgress = { docsDone: cursor === undefined ? docs.size : docs.size - 1, docsTotal: info.docs, chunksDone, chunksPerSecond: seconds > 0 ? chunksDone / seconds : 0 };
      o.onProgress?.(p);
    } while (cursor !== undefined);
    // An empty index still changes model: one text tells which model and how many dimensions.
    if (model === undefined) await begin(await t.embed([''], o.signal));
    check();
    return await guard(api.commitReindex(t.name));
  } catch (e) {
    if (model !== undefined) await guard(api.abortReindex(t.name)).catch(() => undefined);
    throw e;
  }
}

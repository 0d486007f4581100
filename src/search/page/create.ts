/**
 * createIndex(): the `SearchIndex` apps hold. The page chunks and embeds (through the
 * engine, so routing and redaction apply); the search worker stores and searches. Every
 * vector the index takes or compares is checked to come from the model that built it.
 */
import { transfer } from 'comlink';
import { EdgewiseError } from '../../index.js';
import type { AddOptions, AddResult, IndexDocument, IndexInfo, IndexOptions, SearchHit, SearchIndex, SearchOptions } from '../types.js';
import type { IndexInit, WriteBatch } from '../worker/protocol.js';
import { addDocuments } from './add.js';
import { CHUNK_DEFAULTS } from './chunk.js';
import { acquire, release, type SearchWorker } from './client.js';
import { checkAddOptions, checkDocuments, checkIndexOptions, checkSearchOptions } from './options.js';
import { reindex } from './reindex.js';
import { embedTexts, mismatch, type Vectors } from './vectors.js';

const absent = (name: string): EdgewiseError =>
  new EdgewiseError('invalid_index', `No index named "${name}" is stored: add() documents to create it (or import() an export).`, { details: { reason: 'absent', index: name } });

/**
 * A persistent on-device search index over your documents, stored in IndexedDB under
 * `name` and searched in its own worker. Nothing runs until the first call.
 *
 * - The first add() records which embedding model built the index (`info().model`);
 *   adding, searching or importing with another model is `model_mismatch` until
 *   `reindex()`. A route change mid-call (local failure → remote) is caught per batch.
 * - `size`/`overlap` (default 800/100) and `vectors` apply to a new index; an existing one
 *   keeps its stored chunk settings unless you pass them.
 * - Each document is atomic: an abort (`aborted`) or a failure leaves a document wholly as
 *   before or wholly new; documents finished earlier in the same call stay.
 * - search(), count(), remove() and clear() on an index never written give `[]`, zeros,
 *   false and nothing; info(), export() and reindex() give `invalid_index`.
 * @example
 * import { createEngine } from 'edgewise';
 * import { createIndex } from 'edgewise/search';
 * const engine = createEngine({ embeddingModel: { id: 'all-MiniLM-L6-v2', url: '/models/all-MiniLM-L6-v2/' } });
 * const index = createIndex({ engine, name: 'notes' });
 * await index.add([{ id: 'dentist.md', text: '# Dentist\n\nTuesday at nine.' }, { id: 'report.pdf.txt', text: file }], {
 *   onProgress: ({ chunksDone, chunksPerSecond }) => console.log(chunksDone, chunksPerSecond),
 * });
 * const hits = await index.search('When is the dentist?', { k: 3 });
 * hits[0].docId; // 'dentist.md'; hits[0].start/end: where the chunk is in the text
 */
export function createIndex(options: IndexOptions): SearchIndex {
  const o = checkIndexOptions(options);
  const { name, engine } = o;
  let held: SearchWorker | undefined;
  const worker = (): SearchWorker => (held ??= acquire());
  const call = <T>(f: (w: SearchWorker) => Promise<T>): Promise<T> => {
    const w = worker();
    return w.guard(f(w));
  };
  const stored = (): Promise<IndexInfo | undefined> => call((w) => w.api.open(name));
  const embed = (texts: string[], signal: AbortSignal | undefined): Promise<Vectors> => embedTexts(engine, texts, signal);

  async function add(docs: readonly IndexDocument[], ao?: AddOptions): Promise<AddResult> {
    checkDocuments(docs);
    const checked = checkAddOptions(ao);
    const existing = await stored();
    const chunk = { ...CHUNK_DEFAULTS, ...existing?.chunk, ...o.chunk };
    let model = existing?.model;
    let opened = false;
    return addDocuments(docs, {
      chunk,
      embed: async (texts, signal) => {
        const v = await embed(texts, signal);
        if (model !== undefined && v.model !== model) throw mismatch(name, model, v.model);
        if (!opened) {
          // The first batch says which model builds the index; the worker checks it against a stored one.
          const init: IndexInit = { model: v.model, dims: v.dims, vectors: o.vectors, chunk };
          const info = await call((w) => w.api.open(name, init));
          if (info && info.model !== v.model) throw mismatch(name, info.model, v.model);
          model = v.model;
          opened = true;
        }
        return v;
      },
      write: (batches: WriteBatch[]) => call((w) => w.api.writeMany(name, transfer(batches, batches.map((b) => b.vectors.buffer)))),
      abandon: (docId, generation) => call((w) => w.api.abandon(name, docId, generation)),
    }, checked);
  }

  async function search(query: string, so?: SearchOptions): Promise<SearchHit[]> {
    const s = checkSearchOptions(query, so);
    const info = await stored();
    if (!info || info.chunks === 0) return [];
    const v = await embed([query], s.signal);
    if (v.model !== info.model) throw mismatch(name, info.model, v.model);
    if (s.signal?.aborted) throw new EdgewiseError('aborted', 'search() was aborted by its signal.', { cause: s.signal.reason });
    const vector = v.pack(0, 1);
    const q = { vector, text: query, k: s.k, mode: s.mode, alpha: s.alpha, ...(s.filter ? { filter: s.filter } : {}) };
    return call((w) => w.api.search(name, transfer(q, [vector.buffer])));
  }

  const index: SearchIndex = {
    name,
    add,
    update: (doc, ao) => add([doc], ao),
    async remove(id) {
      if (typeof id !== 'string') throw new EdgewiseError('invalid_input', 'remove() takes a document id (a string).');
      return (await stored()) ? call((w) => w.api.remove(name, id)) : false;
    },
    async clear() {
      if (await stored()) await call((w) => w.api.clear(name));
    },
    async count() {
      return (await stored()) ? call((w) => w.api.count(name)) : { docs: 0, chunks: 0 };
    },
    search,
    async info() {
      if (!(await stored())) throw absent(name);
      return call((w) => w.api.info(name));
    },
    async export() {
      if (!(await stored())) throw absent(name);
      return new Blob([await call((w) => w.api.exportIndex(name))], { type: 'application/octet-stream' });
    },
    async import(data) {
      if (!(data instanceof Blob) && !(data instanceof ArrayBuffer)) throw new EdgewiseError('invalid_input', 'import() takes a Blob or an ArrayBuffer made by export().');
      // The engine's model is known only by embedding something: one short text.
      const { model } = await embed([''], undefined);
      if (data instanceof Blob) {
        const bytes = await data.arrayBuffer();
        await call((w) => w.api.importIndex(name, transfer(bytes, [bytes]), model));
      } else {
        // The caller's buffer is copied, not transferred: it stays usable for them.
        await call((w) => w.api.importIndex(name, data, model));
      }
    },
    async reindex(ao) {
      const checked = checkAddOptions(ao);
      const info = await stored();
      if (!info) throw absent(name);
      await reindex(info, { name, worker: worker(), embed }, checked);
    },
    async close() {
      if (!held) return;
      const w = held;
      held = undefined;
      try {
        await w.guard(w.api.close(name));
      } finally {
        release(w);
      }
    },
  };
  return index;
}

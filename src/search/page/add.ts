/**
 * add(): documents → chunks → vectors (through the engine, `batchSize` chunks per embed
 * call, across documents) → the worker, a batch at a time. Each document gets a fresh
 * generation: the worker makes it the document's only with its last batch (`done`), so a
 * failure or an abort abandons the unfinished ones and leaves each document wholly as it
 * was before or wholly new.
 */
import { EdgewiseError } from '../../index.js';
import type { AddResult, Chunk, ChunkOptions, IndexDocument, IndexProgress } from '../types.js';
import type { WriteBatch } from '../worker/protocol.js';
import { chunkBlob, chunkText, type ChunkSource } from './chunk.js';
import type { CheckedAdd } from './options.js';
import { sniff } from './sniff.js';
import type { Vectors } from './vectors.js';
import { randomId } from '../../ids.js';

export interface AddTarget {
  /** Chunk settings of the index (its stored ones, or the caller's for a new index). */
  chunk: Required<ChunkOptions>;
  embed(texts: string[], signal: AbortSignal | undefined): Promise<Vectors>;
  /** One embedding batch's writes, one per document in it, stored all or nothing. */
  write(batches: WriteBatch[]): Promise<void>;
  abandon(docId: string, generation: string): Promise<void>;
}

interface Doc {
  id: string;
  generation: string;
  metadata: IndexDocument['metadata'];
  source: ChunkSource;
  /** Some batch went to the worker: an abort must abandon the generation. */
  written: boolean;
  committed: boolean;
}

interface Item {
  doc: Doc;
  chunk: Chunk;
  /** The document's last chunk: its batch is written with `done: true`. */
  last: boolean;
}

function sourceOf(text: string | Blob, chunk: Required<ChunkOptions>): ChunkSource {
  if (typeof text !== 'string') return chunkBlob(text, chunk);
  const chunks = chunkText(text, chunk);
  return { chunks: (async function* list() { yield* chunks; })(), length: () => text.length };
}

export function abortError(signal: AbortSignal): EdgewiseError {
  return new EdgewiseError('aborted', 'The index call was aborted by its signal; documents it had not finished are as they were before.', { cause: signal.reason });
}

export async function addDocuments(docs: readonly IndexDocument[], t: AddTarget, o: CheckedAdd): Promise<AddResult> {
  const started = performance.now();
  const result: AddResult = { added: 0, chunks: 0, skipped: [] };
  const open: Doc[] = [];
  let queue: Item[] = [];
  let docsDone = 0;
  let reported = -1;
  const check = (): void => { if (o.signal?.aborted) throw abortError(o.signal); };
  const progress = (): void => {
    const seconds = (performance.now() - started) / 1000;
    const p: IndexProgress = { docsDone, docsTotal: docs.length, chunksDone: result.chunks, chunksPerSecond: seconds > 0 ? result.chunks / seconds : 0 };
    reported = docsDone;
    o.onProgress?.(p);
  };

  async function flush(): Promise<void> {
    if (queue.length === 0) return;
    const items = queue;
    queue = [];
    check();
    const vectors = await t.embed(items.map((i) => i.chunk.text), o.signal);
    // Consecutive items of one document make one batch; the embedding batch's batches go
    // in one transaction (one commit per batch of small documents, not one per document).
    const batches: WriteBatch[] = [];
    const touched: Doc[] = [];
    for (let from = 0; from < items.length;) {
      const doc = items[from]!.doc;
      let to = from;
      while (to < items.length && items[to]!.doc === doc) to++;
      const part = items.slice(from, to);
      const done = part[part.length - 1]!.last;
      const batch: WriteBatch = { docId: doc.id, generation: doc.generation, chunks: part.map((i) => i.chunk), vectors: vectors.pack(from, to), done };
      if (doc.metadata !== undefined) batch.metadata = doc.metadata;
      if (done) batch.length = doc.source.length();
      batches.push(batch);
      touched.push(doc);
      from = to;
    }
    check();
    for (const doc of touched) doc.written = true;
    await t.write(batches);
    result.chunks += items.length;
    batches.forEach((b, i) => {
      if (!b.done) return;
      touched[i]!.committed = true;
      result.added++;
      docsDone++;
    });
    progress();
  }

  async function push(item: Item): Promise<void> {
    queue.push(item);
    if (queue.length >= o.batchSize) await flush();
  }

  try {
    for (const d of docs) {
      check();
      const skip = await sniff(d.text);
      if (skip) {
        result.skipped.push({ id: d.id, reason: skip });
        docsDone++;
        continue;
      }
      const doc: Doc = { id: d.id, generation: randomId(), metadata: d.metadata, source: sourceOf(d.text, t.chunk), written: false, committed: false };
      open.push(doc);
      // One chunk of lookahead: the last one is known only when the chunks end.
      let prev: Chunk | undefined;
      for await (const c of doc.source.chunks) {
        if (prev) await push({ doc, chunk: prev, last: false });
        prev = c;
        check();
      }
      if (prev) await push({ doc, chunk: prev, last: true });
      else {
        // A Blob of whitespace only: found empty once read.
        open.pop();
        result.skipped.push({ id: d.id, reason: 'empty' });
        docsDone++;
      }
    }
    await flush();
    // Skipped documents at the end still move the count to the total.
    if (reported !== docsDone) progress();
    return result;
  } catch (e) {
    // The worker keeps unfinished generations apart: drop them so they never surface.
    await Promise.all(open.filter((d) => d.written && !d.committed).map((d) => t.abandon(d.id, d.generation).catch(() => undefined)));
    throw e;
  }
}

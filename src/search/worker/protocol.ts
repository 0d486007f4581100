/**
 * The search worker's contract (comlink is only the transport): the worker owns the
 * index database (`edgewise-indexes`) and the packed vectors in memory; the page chunks
 * and embeds, then hands over finished batches. Every method is one atomic step: a
 * failure (quota, abort, a dead worker) leaves the stored index as it was before it.
 */
import type { Chunk, ChunkOptions, IndexInfo, JSONValue, SearchHit, SearchMode, VectorType } from '../types.js';

/** What a new index is made with; an existing one must match `model` (else `model_mismatch`). */
export interface IndexInit {
  model: string;
  dims: number;
  vectors: VectorType;
  chunk: Required<ChunkOptions>;
}

/**
 * Part of one document's chunks and their vectors (`vectors`: chunks.length × dims,
 * packed). A document may come in several batches (a 50 MB file streams): they share a
 * `generation`, and only the batch with `done: true` makes the new generation the
 * document's; until then searches see the document's previous content (or nothing).
 */
export interface WriteBatch {
  docId: string;
  generation: string;
  metadata?: { readonly [key: string]: JSONValue };
  /** Characters of the whole document, recorded when `done`. */
  length?: number;
  chunks: Chunk[];
  vectors: Float32Array;
  done: boolean;
}

export interface SearchQuery {
  /** The query's embedding (dims long). */
  vector: Float32Array;
  /** The query text, for the lexical half of `'hybrid'`. */
  text: string;
  k: number;
  mode: SearchMode;
  alpha: number;
  filter?: { readonly [key: string]: JSONValue };
}

/** A stored chunk's text and place, for reindexing with another model. */
export interface StoredChunk {
  docId: string;
  seq: number;
  text: string;
}

export interface SearchWorkerApi {
  /** Opens (and with `init`, creates if absent) an index; undefined when absent and no `init`. Checks `init.model` against the stored one. */
  open(name: string, init?: IndexInit): Promise<IndexInfo | undefined>;
  write(name: string, batch: WriteBatch): Promise<void>;
  /** Several batches in one transaction (all or nothing): what add() sends per embedding batch. */
  writeMany(name: string, batches: readonly WriteBatch[]): Promise<void>;
  /** Drops the chunks of an unfinished generation (an aborted or failed add). */
  abandon(name: string, docId: string, generation: string): Promise<void>;
  remove(name: string, docId: string): Promise<boolean>;
  clear(name: string): Promise<void>;
  count(name: string): Promise<{ docs: number; chunks: number }>;
  search(name: string, query: SearchQuery): Promise<SearchHit[]>;
  info(name: string): Promise<IndexInfo>;
  exportIndex(name: string): Promise<ArrayBuffer>;
  /** Replaces the index with an export made by exportIndex(); its model must equal `model`. */
  importIndex(name: string, data: ArrayBuffer, model: string): Promise<IndexInfo>;
  /** Chunks in a stable order, `limit` at a time from `cursor` (undefined to start); `next` undefined at the end. */
  readChunks(name: string, cursor: string | undefined, limit: number): Promise<{ chunks: StoredChunk[]; next?: string }>;
  /** Starts a reindex: vectors written through writeVectors() go to a shadow set that replaces the old one at commitReindex(). */
  beginReindex(name: string, init: IndexInit): Promise<void>;
  writeVectors(name: string, items: { docId: string; seq: number }[], vectors: Float32Array): Promise<void>;
  commitReindex(name: string): Promise<IndexInfo>;
  abortReindex(name: string): Promise<void>;
  /** Every stored index (engine.cache.indexes() reads the same records). */
  list(): Promise<IndexInfo[]>;
  /** Deletes an index and everything of it; false when absent. */
  drop(name: string): Promise<boolean>;
  /** Frees the worker's memory for the index; the stored index stays. */
  close(name: string): Promise<void>;
}

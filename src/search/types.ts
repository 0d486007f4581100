/**
 * The on-device search vocabulary (issue 18): documents, chunks, hits, the index's
 * public face, the worker contract that owns the vectors, and `engine.answer()`'s
 * request and parts. Types only: the page-side index (`edgewise/search`), the search
 * worker and the core's `engine.answer()` all build on it.
 */
import type { EmbeddingOptions, Part, Policy, SamplingOptions } from '../types.js';

/** A JSON value, for document metadata (it is stored in IndexedDB and crosses to the worker). */
export type JSONValue = string | number | boolean | null | readonly JSONValue[] | { readonly [key: string]: JSONValue };

export interface IndexDocument {
  /** Unique within the index; adding an id twice in one call is an `invalid_input` error, adding an existing id replaces it (as update()). */
  id: string;
  /** The text; a Blob (a dropped file) is read as UTF-8 in a stream, never whole. */
  text: string | Blob;
  metadata?: { readonly [key: string]: JSONValue };
}

export interface ChunkOptions {
  /** Target chunk length in characters; default 800. Chunks end at a sentence or heading boundary when one is near. */
  size?: number;
  /** Characters each chunk repeats from the end of the one before; default 100. */
  overlap?: number;
}

/** One chunk as the chunker makes it: UTF-16 offsets into the document's text. */
export interface Chunk {
  /** 0-based position of the chunk in its document. */
  seq: number;
  start: number;
  end: number;
  text: string;
}

export type VectorType = 'float32' | 'int8';

export interface IndexOptions extends ChunkOptions {
  /** The engine whose `embed()` makes the vectors (its embedding model, or the remote's). */
  // A structural type, so this file needs no Engine import (and no cycle with engine-api.ts).
  engine: { embed(texts: readonly string[], options?: EmbeddingOptions): Promise<Float32Array[] & { ranOn: string; model: string }>; readonly model?: unknown };
  /** Letters, digits, `.`, `_` and `-`, 1 to 64 characters: the index's key in IndexedDB. */
  name: string;
  /** How vectors are kept; default `'float32'`. `'int8'`: a quarter of the memory, one scale per vector (recall cost in docs/search.md). */
  vectors?: VectorType;
}

export interface IndexProgress {
  docsDone: number;
  docsTotal: number;
  chunksDone: number;
  /** Chunks embedded and stored per second since the call began. */
  chunksPerSecond: number;
}

export interface AddOptions {
  signal?: AbortSignal;
  onProgress?: (p: IndexProgress) => void;
  /** Chunks per `embed()` call; default 64. */
  batchSize?: number;
}

export interface AddResult {
  /** Documents now in the index from this call. */
  added: number;
  chunks: number;
  /** Documents left out, and why (`empty`: no text after trimming; `binary`: not text). */
  skipped: { id: string; reason: 'empty' | 'binary' }[];
}

/** `'vector'`: cosine similarity; `'hybrid'`: a blend with BM25 over the same chunks, for exact names and numbers. */
export type SearchMode = 'vector' | 'hybrid';

export interface SearchOptions {
  /** Hits to return; default 5, at most 100. */
  k?: number;
  /** Only chunks whose document metadata has these exact values (every key must match). */
  filter?: { readonly [key: string]: JSONValue };
  mode?: SearchMode;
  /** Hybrid only: the vector score's weight in [0, 1]; default 0.5. */
  alpha?: number;
  signal?: AbortSignal;
}

export interface SearchHit {
  /** `${docId}#${seq}`. */
  chunkId: string;
  docId: string;
  seq: number;
  /** UTF-16 offsets of the chunk in its document's text. */
  start: number;
  end: number;
  text: string;
  /** Higher is better: cosine in [-1, 1] for `'vector'`, the blended score for `'hybrid'`. */
  score: number;
  metadata?: { readonly [key: string]: JSONValue };
}

/** What an index is, as stored (also listed by `engine.cache.indexes()`). */
export interface IndexInfo {
  name: string;
  /** The embedding model that made the vectors (`id:dtype`, or `remote:<model>`); another model is a `model_mismatch` error. */
  model: string;
  dims: number;
  vectors: VectorType;
  chunk: Required<ChunkOptions>;
  docs: number;
  chunks: number;
  /** Bytes stored in IndexedDB (vectors, texts and records). */
  bytes: number;
  createdAt: number;
  updatedAt: number;
}

export interface SearchIndex {
  readonly name: string;
  /** Chunks, embeds (in batches, through the engine) and stores the documents. */
  add(docs: readonly IndexDocument[], options?: AddOptions): Promise<AddResult>;
  /** Replaces a document (same as add() of one). */
  update(doc: IndexDocument, options?: AddOptions): Promise<AddResult>;
  /** Removes a document and its chunks; false when it was not there. */
  remove(id: string): Promise<boolean>;
  clear(): Promise<void>;
  count(): Promise<{ docs: number; chunks: number }>;
  /** Ranked chunks; `[]` on an empty index. */
  search(query: string, options?: SearchOptions): Promise<SearchHit[]>;
  info(): Promise<IndexInfo>;
  /** The whole index in the versioned binary format. */
  export(): Promise<Blob>;
  /** Replaces the index's content with an export (its model must be the engine's). */
  import(data: Blob | ArrayBuffer): Promise<void>;
  /** Re-embeds every chunk with the engine's current embedding model (after a model change). */
  reindex(options?: AddOptions): Promise<void>;
  /** Lets go of the worker's memory; the stored index stays. */
  close(): Promise<void>;
}

/**
 * `engine.answer()`: retrieve from `index`, answer from the passages with numbered
 * citations. Sampling settings apply to the answer.
 */
export type AnswerRequest = Omit<SamplingOptions, 'responseFormat' | 'tools' | 'toolChoice'> & {
  question: string;
  index: Pick<SearchIndex, 'search'>;
  /** Passages to retrieve and put in the prompt; default 4. */
  k?: number;
  mode?: SearchMode;
  filter?: SearchOptions['filter'];
  policy?: Policy;
};

/** A passage the answer was given, numbered as the answer cites it (`[n]`); sent before the text. */
export interface SourcePart {
  type: 'source';
  /** The citation number in the prompt and the answer, from 1. */
  n: number;
  chunkId: string;
  docId: string;
  start: number;
  end: number;
  score: number;
}

export type AnswerPart = Part | SourcePart;

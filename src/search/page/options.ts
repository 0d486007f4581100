/**
 * Checks of what apps pass to `edgewise/search`, on the calling thread and before any
 * work: a bad option is a typed error that names it, and a bad document list fails
 * before anything is embedded or written.
 */
import { EdgewiseError } from '../../index.js';
import type { AddOptions, ChunkOptions, IndexDocument, IndexOptions, SearchMode, SearchOptions, VectorType } from '../types.js';

const NAME = /^[A-Za-z0-9._-]{1,64}$/;
const MAX_SIZE = 100_000;
const MAX_K = 100;

const option = (name: string, message: string): EdgewiseError => new EdgewiseError('invalid_option', message, { details: { option: name } });
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

export interface CheckedIndexOptions {
  engine: IndexOptions['engine'];
  name: string;
  vectors: VectorType;
  /** Only what the caller set: an existing index keeps its own settings for the rest. */
  chunk: ChunkOptions;
}

export function checkIndexOptions(o: IndexOptions): CheckedIndexOptions {
  if (typeof o !== 'object' || o === null) throw option('options', 'createIndex() needs an options object: { engine, name }.');
  if (typeof o.engine?.embed !== 'function') throw option('engine', '`engine` must be an edgewise engine (createEngine({ embeddingModel }) or one with a `remote`): its embed() makes the vectors.');
  if (typeof o.name !== 'string' || !NAME.test(o.name)) throw option('name', `\`name\` is ${JSON.stringify(o.name)}: use 1 to 64 letters, digits, '.', '_' or '-'.`);
  const vectors = o.vectors ?? 'float32';
  if (vectors !== 'float32' && vectors !== 'int8') throw option('vectors', `\`vectors\` is ${JSON.stringify(vectors)}: use 'float32' (default) or 'int8'.`);
  const chunk: ChunkOptions = {};
  if (o.size !== undefined) {
    if (!isInt(o.size) || o.size < 32 || o.size > MAX_SIZE) throw option('size', `\`size\` is ${String(o.size)}: use an integer number of characters from 32 to ${MAX_SIZE} (default 800).`);
    chunk.size = o.size;
  }
  if (o.overlap !== undefined) {
    const limit = Math.floor((o.size ?? 800) / 2);
    // More than half would let a chunk start before the previous one's middle: no progress guarantee.
    if (!isInt(o.overlap) || o.overlap < 0 || o.overlap > limit) throw option('overlap', `\`overlap\` is ${String(o.overlap)}: use an integer from 0 to half of size (${limit}); default 100.`);
    chunk.overlap = o.overlap;
  }
  return { engine: o.engine, name: o.name, vectors, chunk };
}

export interface CheckedAdd {
  signal: AbortSignal | undefined;
  onProgress: AddOptions['onProgress'];
  batchSize: number;
}

export function checkAddOptions(o: AddOptions | undefined): CheckedAdd {
  if (o === undefined) return { signal: undefined, onProgress: undefined, batchSize: 64 };
  if (typeof o !== 'object' || o === null) throw option('options', 'The options must be an object: { signal, onProgress, batchSize }.');
  checkSignal(o.signal);
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') throw new EdgewiseError('invalid_callback', '`onProgress` must be a function.');
  const batchSize = o.batchSize ?? 64;
  if (!isInt(batchSize) || batchSize < 1 || batchSize > 1024) throw option('batchSize', `\`batchSize\` is ${String(o.batchSize)}: use an integer from 1 to 1024 (default 64).`);
  return { signal: o.signal, onProgress: o.onProgress, batchSize };
}

export function checkSignal(signal: unknown): void {
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new EdgewiseError('invalid_signal', '`signal` must be an AbortSignal (from an AbortController).');
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Ids unique, texts strings or Blobs, metadata objects: checked whole, before any work. */
export function checkDocuments(docs: readonly IndexDocument[]): void {
  if (!Array.isArray(docs)) throw new EdgewiseError('invalid_input', 'add() takes an array of documents: [{ id, text, metadata? }].');
  const seen = new Set<string>();
  docs.forEach((d: unknown, i) => {
    if (!isPlainObject(d)) throw new EdgewiseError('invalid_input', `Document ${i} is not an object: pass { id, text, metadata? }.`, { details: { index: i } });
    const { id, text, metadata } = d;
    if (typeof id !== 'string' || id === '') throw new EdgewiseError('invalid_input', `Document ${i} needs a non-empty string \`id\`.`, { details: { index: i } });
    if (seen.has(id)) throw new EdgewiseError('invalid_input', `The id ${JSON.stringify(id)} appears twice in this call: ids must be unique (adding an id already in the index replaces it).`, { details: { index: i, id } });
    seen.add(id);
    if (typeof text !== 'string' && !(text instanceof Blob)) throw new EdgewiseError('invalid_input', `Document ${JSON.stringify(id)}: \`text\` must be a string or a Blob (a File).`, { details: { index: i, id } });
    if (metadata !== undefined && !isPlainObject(metadata)) throw new EdgewiseError('invalid_input', `Document ${JSON.stringify(id)}: \`metadata\` must be an object of JSON values.`, { details: { index: i, id } });
  });
}

export interface CheckedSearch {
  k: number;
  mode: SearchMode;
  alpha: number;
  filter: SearchOptions['filter'];
  signal: AbortSignal | undefined;
}

export function checkSearchOptions(query: unknown, o: SearchOptions | undefined): CheckedSearch {
  if (typeof query !== 'string') throw new EdgewiseError('invalid_input', 'search() takes the query as a string.');
  const s = o ?? {};
  if (typeof s !== 'object' || s === null) throw option('options', 'The options must be an object: { k, mode, filter, alpha, signal }.');
  const k = s.k ?? 5;
  if (!isInt(k) || k < 1 || k > MAX_K) throw option('k', `\`k\` is ${String(s.k)}: use an integer from 1 to ${MAX_K} (default 5).`);
  const mode = s.mode ?? 'vector';
  if (mode !== 'vector' && mode !== 'hybrid') throw option('mode', `\`mode\` is ${JSON.stringify(s.mode)}: use 'vector' (default) or 'hybrid'.`);
  const alpha = s.alpha ?? 0.5;
  if (typeof alpha !== 'number' || !(alpha >= 0 && alpha <= 1)) throw option('alpha', `\`alpha\` is ${String(s.alpha)}: use a number from 0 to 1 (default 0.5).`);
  if (s.filter !== undefined && !isPlainObject(s.filter)) throw option('filter', '`filter` must be an object of metadata values, e.g. { folder: "notes" }.');
  checkSignal(s.signal);
  return { k, mode, alpha, filter: s.filter, signal: s.signal };
}

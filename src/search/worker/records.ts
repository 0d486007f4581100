/**
 * What one index is in the database, record by record, and how many bytes each counts.
 * Array keys sort element by element, so every record of an index, of a document or of
 * one generation is a key range (`[]` sorts after every string and number).
 */
import type { IndexInit } from './protocol.js';
import type { IndexInfo, JSONValue } from '../types.js';
import { randomId } from '../../ids.js';

/** `meta` store, key `name`: the public IndexInfo plus what the workers coordinate with. */
export interface MetaRecord extends IndexInfo {
  /** Bumped by every write: a worker whose vectors were loaded at another version reloads them. */
  version: number;
  /** New at every creation and import, so a dropped and recreated index never looks unchanged. */
  epoch: string;
  /** Set between beginReindex() and commitReindex()/abortReindex(). */
  reindex?: IndexInit;
}

/** `docs` store, key `[name, id]`: a document's committed generation. */
export interface DocRecord {
  id: string;
  metadata?: { readonly [key: string]: JSONValue };
  generation: string;
  /** Characters of the whole document. */
  length: number;
  /** Chunks of the committed generation. */
  chunks: number;
}

/** `chunks` store, key `[name, docId, generation, seq]`; `vector` is Float32 or Int8 bytes of the normalised vector. */
export interface ChunkRecord {
  docId: string;
  generation: string;
  seq: number;
  start: number;
  end: number;
  text: string;
  vector: ArrayBuffer;
  /** Int8 only: the float each byte is multiplied by; 1 for float32. */
  scale: number;
}

/** `shadow` store, key `[name, docId, seq]`: a chunk's vector from the model a reindex moves to. */
export interface ShadowRecord {
  vector: ArrayBuffer;
  scale: number;
}

/** Every key that starts with `prefix`. */
export function prefix(...parts: (string | number)[]): IDBKeyRange {
  return IDBKeyRange.bound(parts, [...parts, []]);
}

export const docKey = (name: string, id: string): IDBValidKey => [name, id];
export const chunkKey = (name: string, docId: string, generation: string, seq: number): IDBValidKey => [name, docId, generation, seq];
export const shadowKey = (name: string, docId: string, seq: number): IDBValidKey => [name, docId, seq];

// `bytes` counts what the index stores: texts as UTF-16 (how IndexedDB keeps strings),
// vector bytes, and a flat 48 bytes per record for its key and numbers. An estimate of
// the payload, not the browser's on-disk size (which compresses and adds its own pages).
const RECORD = 48;
export const chunkBytes = (c: Pick<ChunkRecord, 'docId' | 'generation' | 'text' | 'vector'>): number =>
  RECORD + 2 * (c.text.length + c.docId.length + c.generation.length) + c.vector.byteLength;
export const docBytes = (d: DocRecord): number =>
  RECORD + 2 * (d.id.length + d.generation.length + (d.metadata ? JSON.stringify(d.metadata).length : 0));
export const metaBytes = (name: string): number => RECORD + 2 * name.length + 400;

/** The public face of a meta record. */
export function toInfo(m: MetaRecord): IndexInfo {
  return {
    name: m.name,
    model: m.model,
    dims: m.dims,
    vectors: m.vectors,
    chunk: { size: m.chunk.size, overlap: m.chunk.overlap },
    docs: m.docs,
    chunks: m.chunks,
    bytes: m.bytes,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
  };
}

export function newEpoch(): string {
  return randomId();
}

/** Deletes every record of index `name` (a transaction over all four stores); whether it existed. */
export async function dropRecords(tx: IDBTransaction, name: string): Promise<boolean> {
  const existed = (await new Promise<number>((resolve, reject) => {
    const r = tx.objectStore('meta').count(name);
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB count failed'));
  })) > 0;
  for (const s of ['meta', 'docs', 'chunks', 'shadow'] as const) tx.objectStore(s).delete(s === 'meta' ? name : prefix(name));
  return existed;
}

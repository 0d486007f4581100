/**
 * A search over a snapshot: exact cosine over every visible row, or the hybrid blend
 * with BM25, then the best `k` through a bounded heap.
 *
 * Hybrid normalisation (relative score fusion): over the rows the filter lets through,
 * the cosine is min–max scaled to [0, 1] (all equal → 1), and BM25 is divided by its
 * maximum (no query term anywhere → 0 for all, so the vectors alone rank). The hit's
 * score is `alpha · vector + (1 − alpha) · lexical`, in [0, 1]. Scaling per query keeps
 * the two halves comparable whatever the corpus size or the model's cosine range.
 */
import { EdgewiseError } from '../../errors.js';
import { Bm25 } from './bm25.js';
import type { SearchQuery } from './protocol.js';
import { scoreFloat32, scoreInt8 } from './scan.js';
import type { Snapshot } from './snapshot.js';
import { TopK } from './topk.js';
import { normaliseInto } from './vectors.js';
import type { JSONValue, SearchHit } from '../types.js';

export const DEFAULT_K = 5;
export const MAX_K = 100;

export function searchSnapshot(s: Snapshot, q: SearchQuery): SearchHit[] {
  if (q.vector.length !== s.dims) {
    throw new EdgewiseError('model_mismatch', `The query vector has ${q.vector.length} dimensions but the index's vectors have ${s.dims}: the engine embeds with another model than the index was built with. Call reindex() on the index.`, {
      details: { index: s.dims, engine: q.vector.length },
    });
  }
  if (s.rows === 0) return [];
  const k = Math.min(MAX_K, Math.max(1, Number.isInteger(q.k) ? q.k : DEFAULT_K));
  const mask = filterMask(s, q.filter);
  if (mask === null) return [];
  const query = normaliseInto(q.vector, 0, s.dims, new Float32Array(s.dims));
  const out = s.scratch;
  if (s.type === 'float32') scoreFloat32(s.f32, s.rows, s.dims, query, mask, out);
  else scoreInt8(s.i8, s.scales, s.rows, s.dims, query, mask, out);
  const top = new TopK(k);
  if (q.mode === 'hybrid') blend(s, q, mask, top);
  else for (let r = 0; r < s.rows; r++) if (!mask || mask[r] === 1) top.push(r, out[r]!);
  return top.sorted().map(({ row, score }) => hit(s, row, score));
}

function blend(s: Snapshot, q: SearchQuery, mask: Uint8Array | undefined, top: TopK): void {
  const alpha = Number.isFinite(q.alpha) ? Math.min(1, Math.max(0, q.alpha)) : 0.5;
  s.bm25 ??= new Bm25(s.texts);
  s.lexical ??= new Float32Array(s.rows);
  const lex = s.lexical;
  s.bm25.score(q.text, lex);
  const vec = s.scratch;
  let min = Infinity;
  let max = -Infinity;
  let lexMax = 0;
  for (let r = 0; r < s.rows; r++) {
    if (mask && mask[r] === 0) continue;
    const v = vec[r]!;
    if (v < min) min = v;
    if (v > max) max = v;
    if (lex[r]! > lexMax) lexMax = lex[r]!;
  }
  const span = max - min;
  for (let r = 0; r < s.rows; r++) {
    if (mask && mask[r] === 0) continue;
    const v = span > 0 ? (vec[r]! - min) / span : 1;
    const l = lexMax > 0 ? lex[r]! / lexMax : 0;
    top.push(r, alpha * v + (1 - alpha) * l);
  }
}

/** undefined: every row passes; null: none does; else 1 for rows whose document matches every key. */
function filterMask(s: Snapshot, filter: SearchQuery['filter']): Uint8Array | undefined | null {
  if (!filter) return undefined;
  const keys = Object.keys(filter);
  if (keys.length === 0) return undefined;
  const docPass = s.docs.map((d) => keys.every((key) => d.metadata !== undefined && Object.hasOwn(d.metadata, key) && jsonEqual(d.metadata[key]!, filter[key]!)));
  if (!docPass.includes(true)) return null;
  const mask = new Uint8Array(s.rows);
  for (let r = 0; r < s.rows; r++) mask[r] = docPass[s.docOf[r]!] ? 1 : 0;
  return mask;
}

export function jsonEqual(a: JSONValue, b: JSONValue): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x: JSONValue, i: number) => jsonEqual(x, (b as readonly JSONValue[])[i]!));
  }
  const ao = a as { readonly [key: string]: JSONValue };
  const bo = b as { readonly [key: string]: JSONValue };
  const ak = Object.keys(ao);
  if (ak.length !== Object.keys(bo).length) return false;
  return ak.every((key) => Object.hasOwn(bo, key) && jsonEqual(ao[key]!, bo[key]!));
}

function hit(s: Snapshot, row: number, score: number): SearchHit {
  const doc = s.docs[s.docOf[row]!]!;
  const seq = s.seq[row]!;
  const h: SearchHit = { chunkId: `${doc.id}#${seq}`, docId: doc.id, seq, start: s.start[row]!, end: s.end[row]!, text: s.texts[row]!, score };
  if (doc.metadata) h.metadata = doc.metadata;
  return h;
}

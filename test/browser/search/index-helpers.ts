/** Shared by the index and answer suites: the built edgewise/search face, typed through its source, and engines on the fixtures. */
import { createIndex } from '/dist/edgewise.search.js';
import { createEngine, isEdgewiseError, type AnswerPart, type Engine } from '/dist/edgewise.js';
import { BERT_URL } from '../embeddings/helpers.js';

export { createIndex };

export const bertEngine = (dtype: 'fp32' | 'q8' = 'fp32'): Engine => createEngine({ embeddingModel: { id: 'tiny-bert', url: BERT_URL, dtype }, cache: false });

let n = 0;
/** A name no earlier run used: indexes persist in IndexedDB between files. */
export const freshName = (tag: string): string => `${tag}-${Date.now().toString(36)}-${n++}`;

/** The code and details of the EdgewiseError `p` rejects with; fails when it resolves or rejects untyped. */
export async function failure(p: Promise<unknown> | (() => Promise<unknown>)): Promise<{ code: string; details: Readonly<Record<string, unknown>>; message: string }> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (!isEdgewiseError(e)) throw new Error(`expected an EdgewiseError, got ${String(e)}`);
    return { code: e.code, details: e.details, message: e.message };
  }
  throw new Error('expected a rejection, but the call succeeded');
}

/** Five documents on unrelated subjects, each with words no other one has. */
export const DOCS = [
  { id: 'dentist', text: 'The dentist appointment is on Tuesday at nine. Bring the insurance card and arrive ten minutes early.', metadata: { folder: 'health' } },
  { id: 'bicycle', text: 'To fix the bicycle chain, shift to the smallest cog, open the quick link with pliers and oil every roller.', metadata: { folder: 'home' } },
  { id: 'volcano', text: 'Lava from the volcano flowed into the ocean, building new basalt cliffs and clouds of steam.', metadata: { folder: 'science' } },
  { id: 'sourdough', text: 'Feed the sourdough starter with flour and water; the dough rises overnight before baking the bread.', metadata: { folder: 'home' } },
  { id: 'tax', text: 'The tax return deadline is the thirty-first of July; attach receipts for every deduction claimed.', metadata: { folder: 'money' } },
];

/** Every part of an answer, in order. */
export async function collect(parts: AsyncIterable<AnswerPart>): Promise<AnswerPart[]> {
  const out: AnswerPart[] = [];
  for await (const p of parts) out.push(p);
  return out;
}

/**
 * The engine's vectors as the index takes them: which model made them (checked against
 * the index's, so one index never mixes two models' spaces) and packed rows for the worker.
 */
import { EdgewiseError } from '../../index.js';
import type { IndexOptions } from '../types.js';

export interface Vectors {
  model: string;
  dims: number;
  /** Rows `from` to `to` packed into one new buffer (transferred to the worker). */
  pack(from: number, to: number): Float32Array;
}

export async function embedTexts(engine: IndexOptions['engine'], texts: string[], signal: AbortSignal | undefined): Promise<Vectors> {
  const rows = await engine.embed(texts, signal ? { signal } : {});
  const model: unknown = rows.model;
  if (typeof model !== 'string' || model === '') {
    throw new EdgewiseError('invalid_option', "`engine.embed()` gave vectors without a `model`: pass an edgewise engine, whose embeddings say which model made them.", { details: { option: 'engine' } });
  }
  const dims = rows[0]?.length ?? 0;
  return {
    model,
    dims,
    pack(from, to) {
      const out = new Float32Array((to - from) * dims);
      for (let i = from; i < to; i++) out.set(rows[i] as Float32Array, (i - from) * dims);
      return out;
    },
  };
}

/** An index built by one model cannot take or answer another's vectors. */
export function mismatch(name: string, index: string, engine: string): EdgewiseError {
  return new EdgewiseError(
    'model_mismatch',
    `The index "${name}" was built with the embedding model ${index}, but the engine embedded with ${engine}: use an engine with ${index}, or call index.reindex() to rebuild it with ${engine}.`,
    { details: { index, engine } },
  );
}

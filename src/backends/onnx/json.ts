/** The model folder's JSON files, parsed with a typed error for anything that is not a JSON object. */
import { EdgewiseError } from '../../errors.js';

export function parseJson(bytes: Uint8Array | undefined, path: string): Record<string, unknown> | undefined {
  if (bytes === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch { /* reported below */ }
  throw new EdgewiseError('not_a_model', `${path} is not a JSON object; check that model.url points at a model folder.`);
}

/** One item of the PII corpus; plain data, shared by every corpus file. */
import type { RedactionType } from '../../src/route/vocab.js';

export interface PiiItem {
  type: RedactionType;
  value: string;
  /** A sentence that contains `value` once. */
  context: string;
}

/** A value and a sentence template; `{}` marks where the value goes. */
export type Row = readonly [value: string, template: string];

export function rows(type: RedactionType, list: readonly Row[]): PiiItem[] {
  return list.map(([value, template]) => ({ type, value, context: template.replace('{}', () => value) }));
}

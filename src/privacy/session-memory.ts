/**
 * What one redaction middleware (one engine's remote) remembers between requests: the
 * values it hid, so that a value restored into an answer and sent back later where no
 * detector sees it (`TEL:020…`, a quote inside a URL) is still hidden, even after the
 * message that first held it has left the history. Memory only, bounded, never
 * persisted: it holds the very data redaction exists to protect.
 */
import type { RedactionType } from '../route/vocab.js';

/** Enough for a long chat (a few hundred values) while a lookup table of it stays small. */
export const REMEMBERED_VALUES = 1000;

export interface ValueMemory {
  /** Values most recently seen last; seeing one again makes it recent. */
  remember(values: Iterable<readonly [string, RedactionType]>): void;
  entries(): Iterable<readonly [string, RedactionType]>;
}

/** @example const memory = createValueMemory(); memory.remember(session.values()); */
export function createValueMemory(limit = REMEMBERED_VALUES): ValueMemory {
  // A Map iterates in insertion order, so delete-then-set keeps it ordered by recency.
  const values = new Map<string, RedactionType>();
  return {
    remember(seen) {
      for (const [value, type] of seen) {
        values.delete(value);
        values.set(value, type);
      }
      for (const oldest of values.keys()) {
        if (values.size <= limit) break;
        values.delete(oldest);
      }
    },
    entries: () => values.entries(),
  };
}

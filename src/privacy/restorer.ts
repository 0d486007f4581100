/**
 * Puts the originals back into a streamed answer. Chunks end anywhere, so a placeholder
 * may arrive as "[EMA" + "IL_1]"; the restorer holds back the tail of the text only while
 * it is still the start of a placeholder this session issued, and releases it as soon as
 * it cannot become one, so ordinary text (a "[" in code, "[1]" citations) is never
 * delayed by more than the chunk that settles it.
 */
import { placeholderPattern } from './placeholder.js';

export interface Restorer {
  /** Feeds the next chunk; returns the text that is now safe to show (maybe ''). */
  push(chunk: string): string;
  /** Ends the stream: returns whatever was held back, restored where it is complete. */
  flush(): string;
}

/** Placeholders the model did not get from us (`[EMAIL_9]` made up) pass through unchanged. */
function restoreComplete(text: string, originals: ReadonlyMap<string, string>): string {
  if (!text.includes('[')) return text;
  return text.replace(placeholderPattern(), (p) => originals.get(p) ?? p);
}

/** `originals` maps each issued placeholder to its value; it is read live, so later redactions count. */
export function createRestorer(originals: ReadonlyMap<string, string>): Restorer {
  let held = '';
  return {
    push(chunk) {
      const text = held + chunk;
      const open = text.lastIndexOf('[');
      held = '';
      if (open === -1 || text.includes(']', open)) return restoreComplete(text, originals);
      const tail = text.slice(open);
      for (const p of originals.keys()) {
        if (p.length > tail.length && p.startsWith(tail)) {
          held = tail;
          return restoreComplete(text.slice(0, open), originals);
        }
      }
      return restoreComplete(text, originals);
    },
    flush() {
      const rest = restoreComplete(held, originals);
      held = '';
      return rest;
    },
  };
}

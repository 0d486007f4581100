/**
 * Puts the originals back into a streamed answer, where it is safe to.
 *
 * Chunks end anywhere, so a placeholder may arrive as "[EMA" + "IL_1]"; the restorer holds
 * back the tail of the text only while it is still the start of a placeholder this
 * session issued (in any written form: `[email_1]`, `\[EMAIL\_1\]`), and releases it as
 * soon as it cannot become one, so ordinary text (a "[" in code, "[1]" citations) is never
 * delayed by more than the chunk that settles it.
 *
 * Restoring is also a way out: an answer steered by injected text can put `[EMAIL_1]` in
 * an image URL, and the app that renders it sends the address to whoever owns the URL.
 * So in mode `'text'` (the default) a placeholder is restored only in prose; where
 * `restore-context.ts` says the text is a URL, a link or image target, a reference
 * definition or inside an HTML tag, it stays a placeholder and is counted in
 * `unrestored()`. That context is read from text already released, so the decision costs
 * no extra holding. `'all'` restores everywhere (and so allows that channel); `'none'`
 * restores nothing.
 */
import type { RestoreMode } from '../config-types.js';
import type { RedactionType } from '../route/vocab.js';
import { canonicalPlaceholder, typeOfPlaceholder, writtenPlaceholderPattern } from './placeholder.js';
import { createRenderContext } from './restore-context.js';

/** Where an original was put back: UTF-16 offsets into everything the restorer returned. */
export interface RestoredSpan {
  start: number;
  end: number;
  type: RedactionType;
}

export interface Restorer {
  /** Feeds the next chunk; returns the text that is now safe to show (maybe ''). */
  push(chunk: string): string;
  /** Ends the stream (or gives up on it): returns whatever was held back, restored where it is complete. */
  flush(): string;
  /** Placeholders left in place because they sat where restoring is refused. */
  unrestored(): number;
  /** The originals put back so far, so an app can render them as plain text. */
  restored(): RestoredSpan[];
}

export interface RestorerOptions {
  mode: RestoreMode;
  /** Written forms the request itself contained (a user's `[email_1]`): not ours, left as they are. */
  ambiguous: ReadonlySet<string>;
}

/** Longer than any written form of a placeholder (`\[NATIONAL\_ID\_123456\]`); a longer tail is not one. */
const LONGEST_TAIL = 48;

/** `originals` maps each issued placeholder to its value; it is read live, so later redactions count. */
export function createRestorer(originals: ReadonlyMap<string, string>, options: RestorerOptions): Restorer {
  const { mode, ambiguous } = options;
  const context = mode === 'text' ? createRenderContext() : undefined;
  const spans: RestoredSpan[] = [];
  let held = '';
  let returned = 0;
  let refused = 0;

  /** Where the part of `text` that may still become a placeholder starts (`text.length`: none). */
  function holdFrom(text: string): number {
    if (mode === 'none' || originals.size === 0) return text.length;
    const open = text.lastIndexOf('[');
    if (open !== -1 && !text.includes(']', open)) {
      const start = text[open - 1] === '\\' ? open - 1 : open;
      const tail = text.slice(start);
      if (tail.length <= LONGEST_TAIL) {
        // A trailing `\` may be the start of `\_` or `\]`; canonical form drops it.
        const sofar = canonicalPlaceholder(tail);
        for (const p of originals.keys()) if (p.length > sofar.length && p.startsWith(sofar)) return start;
      }
    }
    // A lone trailing backslash may be the start of `\[`.
    return text.endsWith('\\') ? text.length - 1 : text.length;
  }

  function release(text: string): string {
    if (mode === 'none' || !text.includes('[')) {
      context?.feed(text);
      returned += text.length;
      return text;
    }
    let out = '';
    let at = 0;
    for (const m of text.matchAll(writtenPlaceholderPattern())) {
      const written = m[0];
      const canonical = canonicalPlaceholder(written);
      const value = originals.get(canonical);
      if (value === undefined || (written !== canonical && ambiguous.has(written))) continue;
      const before = text.slice(at, m.index);
      context?.feed(before);
      out += before;
      if (context?.inLink()) {
        refused++;
        context.feed(written);
        out += written;
      } else {
        const start = returned + out.length;
        spans.push({ start, end: start + value.length, type: typeOfPlaceholder(canonical) });
        context?.feed(value);
        out += value;
      }
      at = m.index + written.length;
    }
    const rest = text.slice(at);
    context?.feed(rest);
    out += rest;
    returned += out.length;
    return out;
  }

  return {
    push(chunk) {
      const text = held + chunk;
      const cut = holdFrom(text);
      held = text.slice(cut);
      return release(text.slice(0, cut));
    },
    flush() {
      const rest = held;
      held = '';
      return release(rest);
    },
    unrestored: () => refused,
    restored: () => spans.map((s) => ({ ...s })),
  };
}

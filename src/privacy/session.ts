/**
 * One redaction session: the table of placeholders for one request to the cloud.
 *
 * Detection names the values (spans from a finder, on this thread or in the worker); the
 * session numbers them in text order and then runs the literal pass: every occurrence of
 * every value in the table, and of every value the middleware remembers from earlier
 * requests, is replaced in every text of the request, wherever it sits. So a value found
 * once cannot leak where its surroundings hid it from the detectors (`(tel:020 7946 0958)`).
 *
 * Input that already contains text shaped like our placeholders (a user pasting "[EMAIL_1]",
 * a transcript of an earlier redacted chat) is hidden behind a placeholder of its own,
 * restored to that same literal text, and left out of the counts. So every placeholder the
 * model sees is one we issued, none can be confused with the user's text, and the
 * restorer can replace every known placeholder without guessing which ones were ours.
 * The alternative, escaping the lookalikes, would put the escape in front of the model,
 * which tends to drop it when quoting.
 */
import type { RedactionType } from '../route/vocab.js';
import type { ChatMessage, Redactions } from '../types.js';
import type { RedactOptions, RestoreMode } from '../config-types.js';
import { detectorsFor, findSpans } from './find.js';
import { literalMatcher } from './literal-pass.js';
import { canonicalPlaceholder, placeholderFor, writtenPlaceholderPattern } from './placeholder.js';
import { createRestorer, type Restorer } from './restorer.js';
import type { Detector, Span } from './span.js';

/**
 * What the engine holds for one request that goes to the cloud.
 *
 * @example
 * const session = openSession(options, memory.entries());
 * const texts = ['Mail jane@example.com', 'tel:415-555-0132'];
 * const outgoing = session.redactTexts(texts, await finder(texts));
 * const restore = session.restorer();
 * for await (const chunk of remoteStream(outgoing)) show(restore.push(chunk));
 * show(restore.flush());
 * finish({ redactions: { ...session.counts(), unrestored: restore.unrestored() } });
 */
export interface RedactionSession {
  /**
   * Numbers the values a finder found (`found[i]`: spans of `texts[i]`, in text order) and
   * replaces every literal occurrence of every known value in every text, longest first.
   * Same value → same placeholder within the session.
   */
  redactTexts(texts: readonly string[], found: readonly (readonly Span[])[]): string[];
  /** Detection on this thread, then {@link RedactionSession.redactTexts} over every message's content at once. */
  redactMessages(messages: readonly ChatMessage[]): ChatMessage[];
  /** Same as {@link RedactionSession.redactMessages}, for one text. */
  redactText(text: string): string;
  /** Counts by type of distinct values replaced so far (never the values). */
  counts(): Redactions;
  /** The values replaced so far (look-alikes of placeholders left out), for the middleware's memory. */
  values(): [string, RedactionType][];
  /**
   * A streaming restorer for the answer: push() chunks as they arrive, get back text safe
   * to show; flush() at the end. `mode` defaults to the session's `restore` option
   * (`'text'`: never inside URLs, link targets or HTML attributes; see `restorer.ts`).
   */
  restorer(mode?: RestoreMode): Restorer;
}

/** Options must already be validated (see `index.ts`). `known`: values remembered from earlier requests. */
export function openSession(options: RedactOptions, known: Iterable<readonly [string, RedactionType]> = []): RedactionSession {
  let detectors: Detector[] | undefined;
  const remembered = new Map(known);
  /** Keyed by the exact text, so restoration gives back exactly what was hidden ("ACME" and "Acme" are two values). */
  const placeholders = new Map<string, string>();
  const originals = new Map<string, string>();
  const typeOf = new Map<string, RedactionType>();
  const issued = new Map<RedactionType, number>();
  const counts: Redactions = {};
  /** Written forms such as `[email_1]` that the input itself holds: the restorer must not read them as ours. */
  const ambiguous = new Set<string>();

  function placeholderOf(value: string, type: RedactionType, counted: boolean): string {
    const known = placeholders.get(value);
    if (known !== undefined) return known;
    const n = (issued.get(type) ?? 0) + 1;
    issued.set(type, n);
    const p = placeholderFor(type, n);
    placeholders.set(value, p);
    originals.set(p, value);
    if (counted) {
      counts[type] = (counts[type] ?? 0) + 1;
      typeOf.set(value, type);
    }
    return p;
  }

  function noteWrittenForms(text: string): void {
    if (!text.includes('[')) return;
    for (const m of text.matchAll(writtenPlaceholderPattern())) if (m[0] !== canonicalPlaceholder(m[0])) ambiguous.add(m[0]);
  }

  function redactTexts(texts: readonly string[], found: readonly (readonly Span[])[]): string[] {
    // Values first, numbers later: placeholders are numbered in order of appearance across the request.
    const detected = new Map<string, Span>();
    texts.forEach((text, i) => {
      for (const s of found[i] ?? []) {
        const value = text.slice(s.start, s.end);
        if (!placeholders.has(value) && !detected.has(value)) detected.set(value, s);
      }
      noteWrittenForms(text);
    });
    const matcher = literalMatcher([...placeholders.keys(), ...detected.keys(), ...remembered.keys()]);
    const numbered = (value: string): string => {
      const span = detected.get(value);
      return span ? placeholderOf(value, span.type, span.counted) : placeholderOf(value, remembered.get(value) as RedactionType, true);
    };
    return texts.map((text, i) => {
      const spans = found[i] ?? [];
      const literal = matcher.matches(text, spans);
      if (spans.length === 0 && literal.length === 0) return text;
      const all = [...spans.map((s) => ({ start: s.start, end: s.end, value: text.slice(s.start, s.end) })), ...literal].sort((a, b) => a.start - b.start);
      let out = '';
      let at = 0;
      for (const r of all) {
        out += text.slice(at, r.start) + numbered(r.value);
        at = r.end;
      }
      return out + text.slice(at);
    });
  }

  function detect(texts: readonly string[]): Span[][] {
    detectors ??= detectorsFor(options);
    const using = detectors;
    return texts.map((t) => findSpans(t, using));
  }

  return {
    redactTexts,
    redactMessages(messages) {
      const texts = messages.map((m) => m.content);
      const out = redactTexts(texts, detect(texts));
      return messages.map((m, i) => ({ ...m, content: out[i] as string }));
    },
    redactText: (text) => redactTexts([text], detect([text]))[0] as string,
    counts: () => ({ ...counts }),
    values: () => [...typeOf],
    restorer: (mode = options.restore ?? 'text') => createRestorer(originals, { mode, ambiguous }),
  };
}

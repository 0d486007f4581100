/**
 * One redaction session: the table of placeholders for one request to the cloud.
 *
 * Detection names the values (spans from a finder, on this thread or in the worker); then
 * the literal pass (`literal-pass.ts`) adds every occurrence of every value in the table,
 * and of every value the middleware remembers from earlier requests, in every text of the
 * request, wherever it sits. So a value found once cannot leak where its surroundings hid
 * it from the detectors (`(tel:020 7946 0958)`). The worker runs that pass beside
 * detection when given {@link RedactionSession.known} (a 200 KB paste's pass would block
 * the page); otherwise the session runs it. Either way it numbers the spans in text order.
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
import type { FoundSpans } from './finder.js';
import { literalPass } from './literal-pass.js';
import { canonicalPlaceholder, placeholderFor, typeOfPlaceholder, writtenPlaceholderPattern } from './placeholder.js';
import { sliceClock } from './session-slices.js';
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
   * Numbers the values a finder found and replaces them. `found` is a finder's answer, or
   * detected spans alone (`found[i]`: spans of `texts[i]`, in text order). Unless the
   * finder says its spans are complete, every literal occurrence of every known value in
   * every text is replaced too, longest first. Same value → same placeholder within the session.
   */
  redactTexts(texts: readonly string[], found: readonly (readonly Span[])[] | FoundSpans): string[];
  /**
   * {@link RedactionSession.redactTexts} in slices of at most about `sliceMs` each, handing
   * the thread back between them (see `session-slices.ts`); `longestSliceMs` says what the
   * page paid in one go. Same output.
   */
  redactTextsSliced(texts: readonly string[], found: FoundSpans, sliceMs: number, signal?: AbortSignal): Promise<{ texts: string[]; longestSliceMs: number }>;
  /** The values the literal pass hides besides the detected ones (remembered, and numbered by this session), for a finder that runs it. */
  known(): [string, RedactionType][];
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

/** Options must already be validated (see `index.ts`). `earlier`: values remembered from earlier requests. */
export function openSession(options: RedactOptions, earlier: Iterable<readonly [string, RedactionType]> = []): RedactionSession {
  let detectors: Detector[] | undefined;
  const remembered = new Map(earlier);
  /** Keyed by the exact text, so restoration gives back exactly what was hidden ("ACME" and "Acme" are two values). */
  const placeholders = new Map<string, string>();
  const originals = new Map<string, string>();
  /** The counted values in the order they were numbered; a list, not a map: each is numbered once (a 200 KB paste numbers ~4,500 on the page). */
  const counted: [string, RedactionType][] = [];
  const issued = new Map<RedactionType, number>();
  const counts: Redactions = {};
  /** Written forms such as `[email_1]` that the input itself holds: the restorer must not read them as ours. */
  const ambiguous = new Set<string>();

  function placeholderOf(value: string, type: RedactionType, isCounted: boolean): string {
    const existing = placeholders.get(value);
    if (existing !== undefined) return existing;
    const n = (issued.get(type) ?? 0) + 1;
    issued.set(type, n);
    const p = placeholderFor(type, n);
    placeholders.set(value, p);
    originals.set(p, value);
    if (isCounted) {
      counts[type] = (counts[type] ?? 0) + 1;
      counted.push([value, type]);
    }
    return p;
  }

  function noteWrittenForms(text: string): void {
    if (!text.includes('[')) return;
    for (const m of text.matchAll(writtenPlaceholderPattern())) if (m[0] !== canonicalPlaceholder(m[0])) ambiguous.add(m[0]);
  }

  function known(): [string, RedactionType][] {
    const out = [...remembered];
    // The type only matters to a value not numbered yet: one of ours keeps its placeholder.
    for (const [value, p] of placeholders) if (!remembered.has(value)) out.push([value, typeOfPlaceholder(p)]);
    return out;
  }

  function apply(text: string, spans: readonly Span[]): string {
    if (spans.length === 0) return text;
    let out = '';
    let at = 0;
    for (const s of spans) {
      out += text.slice(at, s.start) + placeholderOf(text.slice(s.start, s.end), s.type, s.counted);
      at = s.end;
    }
    return out + text.slice(at);
  }

  async function redactTextsSliced(texts: readonly string[], found: FoundSpans, sliceMs: number, signal?: AbortSignal): Promise<{ texts: string[]; longestSliceMs: number }> {
    const clock = sliceClock(sliceMs, signal);
    const spans = found.complete ? found.spans : literalPass(texts, found.spans, known());
    for (const text of texts) noteWrittenForms(text);
    const out: string[] = [];
    for (const [i, text] of texts.entries()) {
      const list = spans[i] ?? [];
      let piece = '';
      let at = 0;
      for (const s of list) {
        piece += text.slice(at, s.start) + placeholderOf(text.slice(s.start, s.end), s.type, s.counted);
        at = s.end;
        const pause = clock.tick();
        if (pause) await pause;
      }
      out.push(list.length === 0 ? text : piece + text.slice(at));
    }
    clock.end();
    return { texts: out, longestSliceMs: clock.longest() };
  }

  function redactTexts(texts: readonly string[], found: readonly (readonly Span[])[] | FoundSpans): string[] {
    const given: FoundSpans | { spans: readonly (readonly Span[])[]; complete: false } = 'complete' in found ? found : { spans: found, complete: false };
    const spans = given.complete ? given.spans : literalPass(texts, given.spans, known());
    for (const text of texts) noteWrittenForms(text);
    // Placeholders are numbered in order of appearance across the request.
    return texts.map((text, i) => apply(text, spans[i] ?? []));
  }

  function detect(texts: readonly string[]): Span[][] {
    detectors ??= detectorsFor(options);
    const using = detectors;
    return texts.map((t) => findSpans(t, using));
  }

  return {
    redactTexts,
    redactTextsSliced,
    known,
    redactMessages(messages) {
      const texts = messages.map((m) => m.content);
      const out = redactTexts(texts, detect(texts));
      return messages.map((m, i) => ({ ...m, content: out[i] as string }));
    },
    redactText: (text) => redactTexts([text], detect([text]))[0] as string,
    counts: () => ({ ...counts }),
    values: () => counted.map(([value, type]) => [value, type]),
    restorer: (mode = options.restore ?? 'text') => createRestorer(originals, { mode, ambiguous }),
  };
}

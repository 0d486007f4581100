/**
 * One redaction session: the table of placeholders for one conversation with the cloud.
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
import type { RedactOptions } from '../config-types.js';
import { detectorsFor, findSpans } from './find.js';
import { placeholderFor } from './placeholder.js';
import { createRestorer, type Restorer } from './restorer.js';

/**
 * What the engine holds for one request that goes to the cloud.
 *
 * @example
 * const session = createRedactionSession();
 * const body = { messages: session.redactMessages(request.messages) };
 * const restore = session.restorer();
 * for await (const chunk of remoteStream(body)) show(restore.push(chunk));
 * show(restore.flush());
 * finish({ redactions: session.counts() });
 */
export interface RedactionSession {
  /** Replaces every detected value in every message (system and history included) with a stable placeholder; same value → same placeholder within the session. */
  redactMessages(messages: readonly ChatMessage[]): ChatMessage[];
  /** Same as {@link RedactionSession.redactMessages}, for one text. */
  redactText(text: string): string;
  /** Counts by type of distinct values replaced so far (never the values). */
  counts(): Redactions;
  /**
   * A streaming restorer for the answer: push() chunks as they arrive, get back text safe
   * to show; flush() at the end. A placeholder split across chunks (e.g. "[EMA" + "IL_1]")
   * is restored whole; text that merely looks like the start of a placeholder is held back
   * only as long as it could still become one.
   */
  restorer(): Restorer;
}

/** Options must already be validated (see `index.ts`). */
export function openSession(options: RedactOptions): RedactionSession {
  const detectors = detectorsFor(options);
  /** Keyed by the exact text, so restoration gives back exactly what was hidden ("ACME" and "Acme" are two values). */
  const placeholders = new Map<string, string>();
  const originals = new Map<string, string>();
  const issued = new Map<RedactionType, number>();
  const counts: Redactions = {};

  function placeholderOf(value: string, type: RedactionType, counted: boolean): string {
    const known = placeholders.get(value);
    if (known !== undefined) return known;
    const n = (issued.get(type) ?? 0) + 1;
    issued.set(type, n);
    const p = placeholderFor(type, n);
    placeholders.set(value, p);
    originals.set(p, value);
    if (counted) counts[type] = (counts[type] ?? 0) + 1;
    return p;
  }

  function redactText(text: string): string {
    let out = '';
    let at = 0;
    for (const span of findSpans(text, detectors)) {
      out += text.slice(at, span.start) + placeholderOf(text.slice(span.start, span.end), span.type, span.counted);
      at = span.end;
    }
    return at === 0 ? text : out + text.slice(at);
  }

  return {
    redactMessages: (messages) => messages.map((m) => ({ ...m, content: redactText(m.content) })),
    redactText,
    counts: () => ({ ...counts }),
    restorer: () => createRestorer(originals),
  };
}

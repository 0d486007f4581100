/**
 * The placeholder format: `[EMAIL_1]`, `[SECRET_URL_2]`: the type in upper case and a
 * number per type per session, in square brackets. Models copy this shape verbatim far
 * more reliably than opaque tokens, and it reads naturally in the prompt ("write to
 * [EMAIL_1]"), so the answer can still talk about the hidden value.
 */
import { REDACTION_TYPES, type RedactionType } from '../route/vocab.js';

export function placeholderFor(type: RedactionType, n: number): string {
  return `[${type.toUpperCase()}_${n}]`;
}

/**
 * Text shaped like one of our placeholders, whoever wrote it. Numbers start at 1 with no
 * leading zero, exactly as we issue them, so `[EMAIL_01]` is not one and passes untouched.
 */
const SOURCE = `\\[(?:${REDACTION_TYPES.map((t) => t.toUpperCase()).join('|')})_[1-9]\\d*\\]`;

/** A fresh global matcher (callers own its `lastIndex`). */
export function placeholderPattern(): RegExp {
  return new RegExp(SOURCE, 'g');
}

/**
 * How a model may write a placeholder back: in any case (`[email_1]`, `[Email_1]`) and
 * Markdown-escaped (`\[EMAIL\_1\]`, `\[EMAIL_1\]`), as models do when they format the answer
 * as Markdown. Longer type names first, so `SECRET_URL` is tried before `SECRET`.
 */
const WRITTEN = `\\\\?\\[(?:${[...REDACTION_TYPES].sort((a, b) => b.length - a.length).map((t) => t.split('_').join('\\\\?_')).join('|')})\\\\?_[1-9]\\d*\\\\?\\]`;

/** A fresh global, case-insensitive matcher for every written form (callers own its `lastIndex`). */
export function writtenPlaceholderPattern(): RegExp {
  return new RegExp(WRITTEN, 'gi');
}

/** The placeholder a written form stands for: `\[email\_1\]` → `[EMAIL_1]`. */
export function canonicalPlaceholder(written: string): string {
  return written.replace(/\\/g, '').toUpperCase();
}

/** The type named inside a placeholder-shaped string, e.g. `'secret_url'` for `[SECRET_URL_3]` or `\[secret\_url\_3\]`. */
export function typeOfPlaceholder(text: string): RedactionType {
  const canonical = canonicalPlaceholder(text);
  const label = canonical.slice(1, canonical.lastIndexOf('_')).toLowerCase();
  return REDACTION_TYPES.find((t) => t === label) ?? 'pattern';
}

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

/** The type named inside a placeholder-shaped string, e.g. `'secret_url'` for `[SECRET_URL_3]`. */
export function typeOfPlaceholder(text: string): RedactionType {
  const label = text.slice(1, text.lastIndexOf('_')).toLowerCase();
  return REDACTION_TYPES.find((t) => t === label) ?? 'pattern';
}

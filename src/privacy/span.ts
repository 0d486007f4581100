/**
 * What a detector reports, and the character tests every detector shares. Detectors check
 * the characters around a match by hand instead of with regex lookbehind, which Safari
 * only supports since 16.4: a lookbehind in this module would make its `import()` fail
 * with a SyntaxError on older Safari and take remote requests down with it.
 */
import type { RedactionType } from '../route/vocab.js';

export interface Span {
  start: number;
  end: number;
  type: RedactionType;
  /**
   * False for input text that merely looks like one of our placeholders: it is hidden
   * behind a placeholder of its own (see `session.ts`) but is not personal data, so it
   * stays out of `counts()`.
   */
  counted: boolean;
}

/** Appends what it finds in `text` to `found`, in any order; overlaps are resolved later. */
export type Detector = (text: string, found: Span[]) => void;

const WORD = /[\p{L}\p{N}_]/u;
const DIGIT = /\d/;

/** A letter, digit or underscore, in any script; false past either end of the text. */
export function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && WORD.test(ch);
}

export function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && DIGIT.test(ch);
}

/**
 * True when the text at `end` carries on a number or identifier: a word character, or a
 * `.`/`,`/`-` joined to a digit (`1.2.3.4.5`, `4111…1111-7`), so a match there is only
 * part of something longer.
 */
export function continuesAfter(text: string, end: number): boolean {
  const next = text[end];
  if (isWordChar(next)) return true;
  return (next === '.' || next === ',' || next === '-') && isDigit(text[end + 1]);
}

/** The mirror of {@link continuesAfter}, for the text before `start`. */
export function continuesBefore(text: string, start: number): boolean {
  const prev = text[start - 1];
  if (isWordChar(prev)) return true;
  return (prev === '.' || prev === ',' || prev === '-') && isDigit(text[start - 2]);
}

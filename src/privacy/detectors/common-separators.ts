/**
 * The separators and digits people paste: word processors turn `-` into an en dash, phone
 * apps print non-breaking or narrow spaces (U+00A0, U+202F), French typography puts a thin
 * space in an IBAN, Japanese input methods type full-width digits (`０３－１２３４－５６７８`),
 * and Arabic, Persian and Hindi text may carry their own digits. Detectors match ASCII;
 * this maps every such look-alike onto its ASCII form first. Each look-alike is one UTF-16
 * unit and so is its replacement, so an index into the mapped text is an index into the
 * original and spans need no shifting.
 */

/** Hyphen, non-breaking hyphen, figure dash, en and em dash, horizontal bar, minus, small and full-width hyphen-minus. */
const DASHES = '\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uFE58\uFE63\uFF0D';
/** No-break, en/em/thin/hair and the other fixed-width spaces, zero-width space, narrow no-break, medium mathematical, ideographic. */
const SPACES = '\u00A0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u200B\u202F\u205F\u3000';
/** Full-width `+ ( ) . /`. */
const FULL_WIDTH_PUNCTUATION: Readonly<Record<string, string>> = { '\uFF0B': '+', '\uFF08': '(', '\uFF09': ')', '\uFF0E': '.', '\uFF0F': '/' };
/** Zero of each digit block: full-width, Arabic-Indic, extended Arabic-Indic (Persian, Urdu), Devanagari. */
const DIGIT_ZEROS = [0xff10, 0x0660, 0x06f0, 0x0966];
const LOOKALIKE = new RegExp(`[${DASHES}${SPACES}\\uFF0B\\uFF08\\uFF09\\uFF0E\\uFF0F\\uFF10-\\uFF19\\u0660-\\u0669\\u06F0-\\u06F9\\u0966-\\u096F]`, 'g');

let lastIn = '';
let lastOut = '';

/**
 * `text` with look-alike dashes, spaces, digits and phone punctuation in ASCII, same length.
 * Every detector of one `findSpans` call asks for the same text, so the last answer is
 * kept: the comparison is by reference first in V8, so a hit costs nothing on a 200 KB paste.
 */
export function withAsciiForms(text: string): string {
  if (text === lastIn) return lastOut;
  LOOKALIKE.lastIndex = 0;
  const out = LOOKALIKE.test(text) ? text.replace(LOOKALIKE, ascii) : text;
  lastIn = text;
  lastOut = out;
  return out;
}

/** The first name of {@link withAsciiForms}, from when it mapped separators only; `national-id-intl.ts` imports it. */
export const withPlainSeparators = withAsciiForms;

function ascii(ch: string): string {
  if (DASHES.includes(ch)) return '-';
  if (SPACES.includes(ch)) return ' ';
  const punctuation = FULL_WIDTH_PUNCTUATION[ch];
  if (punctuation !== undefined) return punctuation;
  const code = ch.charCodeAt(0);
  const zero = DIGIT_ZEROS.find((z) => code >= z && code <= z + 9);
  return zero === undefined ? ch : String.fromCharCode(48 + code - zero);
}

/** Words that may sit between a label and its value: "call me at …", "phone number is …", "NI no …". */
const GLUE = 'is|at|on|me|my|our|her|his|number|no|nr|num|de|du|unter|under|to|or|via';

/**
 * A pattern for {@link labelledBefore}: one of `labels` (a regex alternation of lower-case
 * words) as a whole word, then only punctuation and glue words up to the value, so "call
 * me at 4155552671" is labelled and "call volume was 123 456 789" is not.
 */
export function labelPattern(labels: string): RegExp {
  return new RegExp(`(?:^|[^\\p{L}])(?:${labels})(?:[^\\p{L}\\p{N}]|(?:${GLUE})(?!\\p{L}))*$`, 'u');
}

/**
 * Whether the 40 characters before `start` (back to the previous digit, so a label of an
 * earlier number does not count) end in a label of `pattern` (from {@link labelPattern}),
 * lower-cased: a bare digit run is a phone number or an SSN only when the text says so
 * (`phone=4155552671`).
 */
export function labelledBefore(text: string, start: number, pattern: RegExp): boolean {
  let from = start;
  while (from > 0 && start - from < 40 && !isAsciiDigit(text.charCodeAt(from - 1))) from--;
  // `<td>Phone</td><td>4155552671</td>`: tags between a label and its value are layout.
  return pattern.test(text.slice(from, start).replace(/<[^<>]*>/g, ' ').toLowerCase());
}

function isAsciiDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * Phone numbers, judged by libphonenumber-js with its `max` metadata. The default `min`
 * metadata only checks a number's length, so every ten-digit run would pass as American;
 * `max` checks the digits against each country's numbering plan (about 65 kB more,
 * loaded only with this lazily imported module).
 *
 * International numbers (`+44 20 7946 0958`, `0044 …`) carry their country. A national
 * number does not, so it is tried against a short, fixed list of countries, and accepted
 * only when libphonenumber calls it valid there and it is written the way people there
 * write it. Trying every country would make almost any digit run valid somewhere; the
 * list covers the largest groups of users, and an app can add its own `patterns`.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { isWordChar, type Detector } from '../span.js';

interface NationalPlan {
  country: CountryCode;
  /** How a number of this country starts when written nationally, digits only. */
  written: RegExp;
}

const NATIONAL: readonly NationalPlan[] = [
  // NANP: the metadata itself rejects area codes that start with 0 or 1.
  { country: 'US', written: /^/ },
  // Numbers in these three are always written with their trunk 0; without it
  // libphonenumber would still accept them and match order numbers and years.
  { country: 'GB', written: /^0/ },
  { country: 'DE', written: /^0/ },
  { country: 'FR', written: /^0/ },
  // Indian mobiles (6-9…) are usually written without the 0; landlines with it.
  { country: 'IN', written: /^(?:0|[6-9])/ },
];

/** Digit groups joined by one space, dot, dash or slash (`089/1234567`), or by parentheses: `(415) 555-2671`, `+44 (0)20 7946 0958`. */
const RUN = /(?:\+|\(\+?)?\d+(?:(?:[ ./\u00A0-]|\)[ \u00A0-]?|[ \u00A0]?\()\d+)*\)?/g;
/** Dates look like national numbers to libphonenumber (`2024-06-11` is a valid German number). */
const DATE = /^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})(?!\d)/;
/** Characters that, right before a number, make it part of a code, an amount or a URL. */
const JOINED_BEFORE = new Set(['-', '.', '/', '#', '@', '=', '&', '?', ':', '$', '€', '£', '¥', '%']);

export const findPhones: Detector = (text, found) => {
  for (const m of text.matchAll(RUN)) {
    let start = m.index;
    let run = m[0];
    // A parenthesis that opens or closes something around the number is not part of it.
    if (run.endsWith(')') && count(run, '(') < count(run, ')')) run = run.slice(0, -1);
    if (run.startsWith('(') && count(run, '(') > count(run, ')')) { run = run.slice(1); start++; }
    const end = start + run.length;
    if (isPhone(run, text, start, end)) found.push({ start, end, type: 'phone', counted: true });
  }
};

function isPhone(run: string, text: string, start: number, end: number): boolean {
  const digits = run.replace(/\D/g, '');
  const international = run.startsWith('+') || run.startsWith('(+') || digits.startsWith('00');
  if (digits.length < (international ? 7 : 9) || digits.length > 15 || DATE.test(run)) return false;
  const before = text[start - 1];
  if (isWordChar(before) || (!run.startsWith('+') && before !== undefined && JOINED_BEFORE.has(before))) return false;
  const after = text[end];
  if (isWordChar(after) || after === '@' || after === '%' || ((after === '-' || after === '/' || after === '.') && isWordChar(text[end + 1]))) return false;
  if (international && !digits.startsWith('00')) return parsePhoneNumberFromString(run, { extract: false })?.isValid() === true;
  return NATIONAL.some(({ country, written }) =>
    written.test(digits) && parsePhoneNumberFromString(run, { defaultCountry: country, extract: false })?.isValid() === true,
  );
}

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}

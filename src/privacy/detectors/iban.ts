/**
 * IBANs, printed (`DE89 3704 0044 0532 0130 00`) or electronic (`DE89370400440532013000`),
 * any case, grouped by spaces or dashes of any kind (a French `FR76 3000 …` arrives with
 * narrow no-break spaces, U+202F; see `common-separators.ts`). A candidate is kept only when ibantools accepts its country length, BBAN
 * format and ISO 7064 mod-97 check digits, so a mistyped or made-up IBAN stays visible.
 */
import { electronicFormatIBAN, isValidIBAN } from 'ibantools';
import { continuesBefore, isWordChar, type Detector } from '../span.js';
import { withPlainSeparators } from './common-separators.js';

/**
 * Country code, check digits, then space- or dash-separated groups; the IBAN is some prefix of them.
 * Bounded, so a long run of codes costs a fixed amount per candidate instead of the rest of the text.
 */
const CANDIDATE = /[A-Za-z]{2}\d{2}[A-Za-z0-9]{0,30}(?:[ -][A-Za-z0-9]{1,30}){0,10}/g;
const GROUP = /[A-Za-z0-9]+/g;
/** Norway's IBANs are the shortest; ISO 13616 allows no more than 34 characters. */
const MIN = 15;
const MAX = 34;

export const findIbans: Detector = (raw, found) => {
  const text = withPlainSeparators(raw);
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(text); m !== null; m = CANDIDATE.exec(text)) {
    const end = continuesBefore(text, m.index) ? 0 : ibanLength(m[0]);
    if (end > 0 && !isWordChar(text[m.index + end])) found.push({ start: m.index, end: m.index + end, type: 'iban', counted: true });
    // On a miss, look again from the next character: "ref DE12 and DE89 3704 …" holds a real IBAN later on.
    CANDIDATE.lastIndex = m.index + Math.max(end, 1);
  }
};

/** Length of the longest valid IBAN at the start of `candidate`, or 0. */
function ibanLength(candidate: string): number {
  // Groups after the IBAN are ordinary words ("… 0130 00 is mine"): try the longest prefix first.
  const ends: number[] = [];
  let length = 0;
  for (const g of candidate.matchAll(GROUP)) {
    length += g[0].length;
    if (length > MAX) break;
    if (length >= MIN) ends.push(g.index + g[0].length);
  }
  for (let k = ends.length - 1; k >= 0; k--) {
    const end = ends[k] ?? 0;
    const iban = electronicFormatIBAN(candidate.slice(0, end).toUpperCase());
    if (iban !== null && isValidIBAN(iban)) return end;
  }
  return 0;
}

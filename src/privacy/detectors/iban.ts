/**
 * IBANs, printed (`DE89 3704 0044 0532 0130 00`) or electronic (`DE89370400440532013000`),
 * any case, grouped by spaces or dashes of any kind (a French `FR76 3000 …` arrives with
 * narrow no-break spaces, U+202F; see `common-separators.ts`). A candidate is kept only
 * when ibantools accepts its country length, BBAN format and ISO 7064 mod-97 check
 * digits, so a mistyped or made-up IBAN stays visible.
 */
import { countrySpecs, electronicFormatIBAN, isValidIBAN } from 'ibantools';
import { continuesBefore, isWordChar, type Detector } from '../span.js';
import { withAsciiForms } from './common-separators.js';

/**
 * Country code, check digits, then groups split by a dash or one or two spaces; the IBAN is some prefix of them.
 * Bounded, so a long run of codes costs a fixed amount per candidate instead of the rest of the text.
 */
const CANDIDATE = /[A-Za-z]{2}\d{2}[A-Za-z0-9]{0,30}(?:(?: {1,2}|-)[A-Za-z0-9]{1,30}){0,10}/g;
const GROUP = /[A-Za-z0-9]+/g;

export const findIbans: Detector = (raw, found) => {
  const text = withAsciiForms(raw);
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(text); m !== null; m = CANDIDATE.exec(text)) {
    const end = continuesBefore(text, m.index) ? 0 : ibanLength(m[0]);
    if (end > 0 && !isWordChar(text[m.index + end])) found.push({ start: m.index, end: m.index + end, type: 'iban', counted: true });
    // On a miss, look again from the next character: "ref DE12 and DE89 3704 …" holds a real IBAN later on.
    CANDIDATE.lastIndex = m.index + Math.max(end, 1);
  }
};

/**
 * Length of the valid IBAN at the start of `candidate`, or 0. Each country has one IBAN
 * length (ISO 13616), so only the prefix of whole groups with exactly that many
 * characters can be one ("… 0130 00 is mine" ends before "is"); one check per candidate
 * keeps a pasted column of `AB12 AB12 …` linear.
 */
function ibanLength(candidate: string): number {
  const wanted = countrySpecs[candidate.slice(0, 2).toUpperCase()]?.chars;
  if (wanted === undefined) return 0;
  let length = 0;
  for (const g of candidate.matchAll(GROUP)) {
    length += g[0].length;
    if (length < wanted) continue;
    if (length > wanted) return 0;
    const end = g.index + g[0].length;
    const iban = electronicFormatIBAN(candidate.slice(0, end).toUpperCase());
    return iban !== null && isValidIBAN(iban) ? end : 0;
  }
  return 0;
}

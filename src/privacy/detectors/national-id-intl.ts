/**
 * National identifiers beyond the US and the UK, each confirmed by its check digit or a
 * context word: German tax ID, French NIR, Indian Aadhaar and PAN, passport numbers.
 * A candidate whose check digit fails stays visible: it is more likely an order number.
 */
import { continuesAfter, continuesBefore, isWordChar, type Detector, type Span } from '../span.js';
import { withAsciiForms } from './common-separators.js';
import { isAadhaar, isNir, isSteuerId } from './id-checksums.js';

/** Steuer-ID, bare or printed in the BZSt's groups of 2-3-3-3 (`12 345 678 901`). */
const STEUER_ID = /[1-9]\d(?:\d{9}| \d{3} \d{3} \d{3})/g;
/**
 * NIR: sex, year, month, department (2A/2B in Corsica), commune, order, key; bare or in
 * the groups of the Carte Vitale (`1 84 12 76 451 089 46`). Sexes 3, 4, 7 and 8 are the
 * provisional numbers; months 20 and above stand for an unknown month (INSEE).
 */
const NIR = /[1-478] ?\d\d ?(?:0[1-9]|1[0-2]|[2-9]\d) ?(?:\d\d|2[AB]) ?\d{3} ?\d{3} ?\d\d/g;
/** Aadhaar, bare or in UIDAI's groups of four, split by spaces or dashes. */
const AADHAAR = /[2-9]\d{3}(?:\d{8}|([ -])\d{4}\1\d{4})/g;
/**
 * A bare run of 12 digits passes Verhoeff one time in ten, and such runs are mostly other
 * things (AWS account IDs, random seeds, matrix entries, all seen in a probe of real code):
 * unspaced, an Aadhaar needs its name or UIDAI's nearby. The printed 4-4-4 form does not.
 */
const AADHAAR_WORD = /aadh?aar|\buid|uidai|आधार|kyc/i;
const AADHAAR_WINDOW = 48;
/** PAN: the fourth letter is the holder type (Income Tax Department, "PAN structure"). */
const PAN = /[A-Z]{3}[PCHFATBLJG][A-Z]\d{4}[A-Z]/g;

const PASSPORT_WORD = /passport|reisepass|passeport|pasaporte|passaporto|passaporte|paspoort/gi;
/** Words that may stand between the context word and the number: "Passport No. is …". */
const FILLER = new Set([
  'no', 'nr', 'n', 'nos', 'number', 'num', 'nummer', 'numéro', 'numero', 'número', 'is', 'was', 'ist', 'lautet',
  'est', 'es', 'è', 'de', 'du', 'del', 'di', 'id', 'my', 'mein', 'meine', 'mon', 'mi', 'il', 'the', 'n°', 'nº',
]);
/** How far past the context word the number may start. */
const PASSPORT_WINDOW = 32;
/** Letters and digits of one token, in the shapes passports are printed with (ICAO 9303 allows 9 characters; some states print 6 to 10). */
const PASSPORT_NUMBER = /^[A-Z0-9]{6,10}$/i;
const TOKEN = /[^\s:#.,;()"'=|/-]+/g;

export const findInternationalIds: Detector = (original, found) => {
  if (!/\d/.test(original)) return;
  // Non-breaking and thin spaces, en dashes, Devanagari digits: same length, so spans index the original too.
  const text = withAsciiForms(original);
  scan(text, STEUER_ID, found, (m) => isSteuerId(m.replace(/\D/g, '')));
  scan(text, NIR, found, (m) => isNir(m.replace(/[ ]/g, '')));
  scan(text, AADHAAR, found, (m, start) => isAadhaar(m.replace(/\D/g, '')) && (m.length > 12 || namedNear(text, start, start + m.length)));
  scan(text, PAN, found, () => true);
  findPassports(text, found);
};

/** Whether an Aadhaar context word stands shortly before the number, or right after it ("994130450287 (Aadhaar)"). */
function namedNear(text: string, start: number, end: number): boolean {
  return AADHAAR_WORD.test(text.slice(Math.max(0, start - AADHAAR_WINDOW), start)) || AADHAAR_WORD.test(text.slice(end, end + AADHAAR_WINDOW / 2));
}

function scan(text: string, pattern: RegExp, found: Span[], valid: (match: string, start: number) => boolean): void {
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    // After a `+` the digits are an international phone number (`+447700900907`).
    if (!continuesBefore(text, start) && !continuesAfter(text, end) && text[start - 1] !== '+' && valid(m[0], start)) {
      found.push({ start, end, type: 'national_id', counted: true });
    }
    // A run that failed may hold a valid number one digit later ("0 12 345 678 901" is rare, but cheap to allow).
    pattern.lastIndex = start + 1;
  }
}

function findPassports(text: string, found: Span[]): void {
  PASSPORT_WORD.lastIndex = 0;
  for (let m = PASSPORT_WORD.exec(text); m !== null; m = PASSPORT_WORD.exec(text)) {
    let at = m.index + m[0].length;
    // The rest of a compound word is part of the label: "Reisepassnummer", "passports".
    while (isWordChar(text[at])) at++;
    const window = text.slice(at, at + PASSPORT_WINDOW);
    TOKEN.lastIndex = 0;
    for (let t = TOKEN.exec(window); t !== null; t = TOKEN.exec(window)) {
      const token = t[0];
      if (FILLER.has(token.toLowerCase())) continue;
      const start = at + t.index;
      const end = start + token.length;
      if (isPassportNumber(token) && !continuesAfter(text, end)) found.push({ start, end, type: 'national_id', counted: true });
      break;
    }
  }
}

/** Mostly digits, as every format we know is (`C01X00T47`, `12AB34567`, `123456789`); words are not numbers. */
function isPassportNumber(token: string): boolean {
  if (!PASSPORT_NUMBER.test(token)) return false;
  let digits = 0;
  for (const ch of token) if (ch >= '0' && ch <= '9') digits++;
  return digits * 2 >= token.length;
}

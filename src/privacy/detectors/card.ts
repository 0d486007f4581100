/**
 * Payment card numbers: 13 to 19 digits that pass the Luhn check (ISO/IEC 7812-1), start
 * the way an issuer's numbers start, and are written whole or in the groups cards are
 * printed in (4-4-4-4, 4-6-5 …), split by one kind of separator: a space (or two), a dash
 * or a dot, after `common-separators.ts` has put Unicode dashes, spaces and digits in ASCII.
 *
 * Digit runs that fail any of these (order numbers, timestamps, tracking numbers) stay
 * visible; a four-digit stretch of a longer run of four-digit groups is a piece of a
 * longer number, not a card (`Order 4001 2345 6789 0123 4567`).
 */
import { continuesAfter, continuesBefore, isWordChar, type Detector } from '../span.js';
import { withAsciiForms } from './common-separators.js';

/** Digit groups joined by one separator each (two spaces count as one); the card may be any consecutive groups of it. */
const RUN = /\d+(?:(?: {1,2}|[-.])\d+)*/g;
const GROUP = /(^|  ?|[-.])(\d+)/g;
/** MMYY. */
const EXPIRY = /^(?:0[1-9]|1[0-2])\d\d$/;

export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double && (d *= 2) > 9) d -= 9;
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * ISO/IEC 7812 issuer prefixes by length: 13 is old Visa, 14 Diners, 15 Amex, Diners
 * and UATP, 16 and up Visa, Mastercard (2-series and 5), Discover, JCB, UnionPay
 * (62, 81), Maestro. Millisecond timestamps (`1718064000123`) and most barcodes start
 * otherwise.
 */
function issued(digits: string): boolean {
  const first = digits[0];
  switch (digits.length) {
    case 13: return first === '4';
    case 14: return first === '3';
    case 15: return first === '3' || first === '1';
    default: return (first !== undefined && first >= '2' && first <= '6') || digits.startsWith('81');
  }
}

/** The groups cards are printed in: fours with a shorter last one (13-19 digits), Amex 4-6-5, Diners 4-6-4, or one unbroken run. */
function printed(lengths: readonly number[]): boolean {
  if (lengths.length === 1) return true;
  const shape = lengths.join('-');
  if (shape === '4-6-5' || shape === '4-6-4') return true;
  return lengths.every((n, i) => (i < lengths.length - 1 ? n === 4 : n >= 1 && n <= 4));
}

/** Whether `lengths` can still be the start of a printed card: every group but the last has four digits, or it is 4-6 (Amex, Diners). */
function canGrow(lengths: readonly number[]): boolean {
  for (let k = 0; k < lengths.length - 1; k++) if (lengths[k] !== 4 && !(k === 1 && lengths[0] === 4 && lengths[1] === 6)) return false;
  return true;
}

interface Group { at: number; digits: string; sep: string }

export const findCards: Detector = (raw, found) => {
  const text = withAsciiForms(raw);
  for (const run of text.matchAll(RUN)) {
    if (run[0].length < 13) continue;
    const start = run.index;
    const end = start + run[0].length;
    if (continuesBefore(text, start) || continuesAfter(text, end) || insideCode(text, start, end)) continue;
    const groups: Group[] = [...run[0].matchAll(GROUP)].map((g) => ({ at: start + g.index + (g[1]?.length ?? 0), digits: g[2] ?? '', sep: (g[1] ?? '').slice(0, 1) }));
    // "Order 12 4111 1111 1111 1111": the card is the longest valid stretch of whole groups.
    for (let i = 0; i < groups.length; ) {
      const last = longestCard(groups, i);
      const first = groups[i];
      const final = groups[last];
      if (last < 0 || first === undefined || final === undefined) { i++; continue; }
      found.push({ start: first.at, end: final.at + final.digits.length, type: 'card', counted: true });
      i = last + 1;
    }
  }
};

/** `SN-4111111111111111-X`: dashes to letters on both sides make the digits part of a serial number. */
function insideCode(text: string, start: number, end: number): boolean {
  return text[start - 1] === '-' && isWordChar(text[start - 2]) && text[end] === '-' && isWordChar(text[end + 1]);
}

/** Index of the last group of the longest card that starts at group `i`, or -1. */
function longestCard(groups: readonly Group[], i: number): number {
  let digits = '';
  let best = -1;
  const lengths: number[] = [];
  for (let j = i; j < groups.length; j++) {
    const g = groups[j];
    if (g === undefined || (j > i && g.sep !== groups[i + 1]?.sep)) break;
    digits += g.digits;
    lengths.push(g.digits.length);
    if (digits.length > 19 || !canGrow(lengths)) break;
    if (digits.length >= 13 && luhn(digits) && issued(digits) && printed(lengths) && !pieceOfLonger(groups, i, j)) best = j;
  }
  return best;
}

/**
 * A run of four-digit groups that goes on past the card on either side, with the same
 * separator, or an unbroken one joined to a decimal point. One last group that reads as an
 * expiry month and year (`… 1111 0927`) is what follows a card, not more of a number.
 */
function pieceOfLonger(groups: readonly Group[], i: number, j: number): boolean {
  // `1.6449340668482264`: an unbroken run after or before a dot is a decimal's digits.
  if (i === j) return (i > 0 && groups[i]?.sep === '.') || groups[j + 1]?.sep === '.';
  const sep = groups[i + 1]?.sep;
  const before = groups[i - 1];
  const after = groups[j + 1];
  if (before !== undefined && before.digits.length === 4 && groups[i]?.sep === sep) return true;
  if (after === undefined || after.digits.length !== 4 || after.sep !== sep) return false;
  return j + 2 < groups.length || !EXPIRY.test(after.digits);
}

/**
 * Payment card numbers: 13 to 19 digits, in groups split by single spaces or dashes,
 * that pass the Luhn check (ISO/IEC 7812-1). Digit runs that fail it (order numbers,
 * timestamps) stay visible; a Luhn-valid one is redacted whatever its issuer prefix,
 * because missing a real card costs more than hiding an order number.
 */
import { continuesAfter, continuesBefore, type Detector } from '../span.js';

/** Digit groups joined by one separator each; the card may be any consecutive groups of it. */
const RUN = /\d+(?:[ \u00A0-]\d+)*/g;
const GROUP = /\d+/g;

export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double && (d *= 2) > 9) d -= 9;
    sum += d;
  }
  return sum % 10 === 0;
}

export const findCards: Detector = (text, found) => {
  for (const run of text.matchAll(RUN)) {
    if (run[0].length < 13) continue;
    const start = run.index;
    const end = start + run[0].length;
    if (continuesBefore(text, start) || continuesAfter(text, end)) continue;
    const groups = [...run[0].matchAll(GROUP)].map((g) => ({ at: start + g.index, digits: g[0] }));
    // "Order 12 4111 1111 1111 1111": the card is the longest Luhn-valid stretch of whole groups.
    for (let i = 0; i < groups.length; ) {
      let digits = '';
      let last = -1;
      for (let j = i; j < groups.length; j++) {
        digits += groups[j]?.digits ?? '';
        if (digits.length > 19) break;
        if (digits.length >= 13 && luhn(digits)) last = j;
      }
      const first = groups[i];
      const final = groups[last];
      if (first === undefined || final === undefined) { i++; continue; }
      found.push({ start: first.at, end: final.at + final.digits.length, type: 'card', counted: true });
      i = last + 1;
    }
  }
};

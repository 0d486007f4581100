/**
 * National identifiers with a fixed, checkable shape: the US Social Security number and
 * the UK National Insurance number. Both are matched only in their usual printed forms
 * (`123-45-6789`, `AB 12 34 56 C`): a bare nine-digit run is far more often something else.
 */
import { continuesAfter, continuesBefore, type Detector } from '../span.js';

const SSN = /(\d{3})-(\d{2})-(\d{4})/g;
const NINO = /([A-Z]{2}) ?\d{2} ?\d{2} ?\d{2} ?[A-D]/g;
/** HMRC NIM39110: the first letter is never D, F, I, Q, U or V; the second never those or O. */
const NINO_PREFIX = /^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]$/;
/** Prefixes HMRC never allocates. */
const NINO_UNUSED = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);

/** SSA rules: no area 000, 666 or 900-999, no group 00, no serial 0000. */
function isSSN(area: string, group: string, serial: string): boolean {
  return area !== '000' && area !== '666' && area[0] !== '9' && group !== '00' && serial !== '0000';
}

export const findNationalIds: Detector = (text, found) => {
  for (const m of text.matchAll(SSN)) {
    const end = m.index + m[0].length;
    if (continuesBefore(text, m.index) || continuesAfter(text, end) || text[m.index - 1] === '-') continue;
    if (isSSN(m[1] ?? '', m[2] ?? '', m[3] ?? '')) found.push({ start: m.index, end, type: 'national_id', counted: true });
  }
  for (const m of text.matchAll(NINO)) {
    const prefix = m[1] ?? '';
    const end = m.index + m[0].length;
    if (continuesBefore(text, m.index) || continuesAfter(text, end)) continue;
    if (NINO_PREFIX.test(prefix) && !NINO_UNUSED.has(prefix)) found.push({ start: m.index, end, type: 'national_id', counted: true });
  }
};

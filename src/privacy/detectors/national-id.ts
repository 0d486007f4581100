/**
 * National identifiers with a fixed, checkable shape: the US Social Security number and
 * the UK National Insurance number, in the forms people type them: `123-45-6789`,
 * `123 45 6789`, `123.45.6789` (Unicode dashes and spaces too, see `common-separators.ts`);
 * `AB 12 34 56 C`, `AB-12-34-56-C`, `ab 12 34 56 c`, `AB 123456 C`.
 *
 * A bare nine-digit run is far more often something else (a ZIP+4, an order number), and a
 * bare lower-case `ab123456c` is often a short hash, so those two, and a NINO without its
 * suffix letter, count only after a label that names them (`SSN: 123456789`,
 * `NI number ab123456c`, `NINO AB 12 34 56`).
 */
import { continuesAfter, continuesBefore, type Detector } from '../span.js';
import { labelPattern, labelledBefore, withAsciiForms } from './common-separators.js';

/** Three groups with one separator used twice, or none (then only after a label). */
const SSN = /(\d{3})([- .]?)(\d{2})\2(\d{4})/g;
/** The suffix letter is sometimes left off (HMRC NIM39110); without it, only after a label. */
const NINO = /([A-Za-z]{2})([ -]?)(\d{2})([ -]?)\d{2}\4\d{2}(?:([ -]?)([A-Da-d]))?/g;
/** HMRC NIM39110: the first letter is never D, F, I, Q, U or V; the second never those or O. */
const NINO_PREFIX = /^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]$/;
/** Prefixes HMRC never allocates. */
const NINO_UNUSED = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);
const SSN_LABELS = labelPattern('ssn|ss#|ss no|social security|social security no|taxpayer id');
const NINO_LABELS = labelPattern('nino|national insurance|ni');

/** SSA rules: no area 000, 666 or 900-999, no group 00, no serial 0000. */
function isSSN(area: string, group: string, serial: string): boolean {
  return area !== '000' && area !== '666' && area[0] !== '9' && group !== '00' && serial !== '0000';
}

export const findNationalIds: Detector = (raw, found) => {
  const text = withAsciiForms(raw);
  for (const m of text.matchAll(SSN)) {
    const end = m.index + m[0].length;
    if (continuesBefore(text, m.index) || continuesAfter(text, end) || text[m.index - 1] === '-' || text[m.index - 1] === '.') continue;
    if (m[2] === '' && !labelledBefore(text, m.index, SSN_LABELS)) continue;
    if (isSSN(m[1] ?? '', m[3] ?? '', m[4] ?? '')) found.push({ start: m.index, end, type: 'national_id', counted: true });
  }
  for (const m of text.matchAll(NINO)) {
    const prefix = (m[1] ?? '').toUpperCase();
    const end = m.index + m[0].length;
    if (continuesBefore(text, m.index) || continuesAfter(text, end)) continue;
    if (!NINO_PREFIX.test(prefix) || NINO_UNUSED.has(prefix)) continue;
    const upper = m[0] === m[0].toUpperCase();
    const separated = m[2] !== '' || m[4] !== '' || (m[5] ?? '') !== '';
    const suffixed = m[6] !== undefined;
    if ((suffixed && (upper || separated)) || labelledBefore(text, m.index, NINO_LABELS)) found.push({ start: m.index, end, type: 'national_id', counted: true });
  }
};

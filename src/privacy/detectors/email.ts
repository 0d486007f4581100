/**
 * Email addresses. The scan starts from each `@` and walks outwards instead of running
 * one `local@domain` regex over the text: that regex retries the local part from every
 * word character and goes quadratic on long runs without an `@` (a pasted base64 blob).
 */
import type { Detector } from '../span.js';

/** The local-part characters people actually use (RFC 5322 allows more, but quotes and `'` would swallow punctuation around the address). */
const LOCAL = /[\p{L}\p{N}._%+-]/u;
/** Longest local part we walk back over (RFC 5321 §4.5.3.1.1 caps it at 64 octets). */
const MAX_LOCAL = 64;
/** Dot-separated labels and a letters-only top-level domain, not followed by more of a name. */
const DOMAIN = /(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,63}(?![\p{L}\p{N}_-])/uy;

export const findEmails: Detector = (text, found) => {
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > 0 && at - start < MAX_LOCAL && LOCAL.test(text[start - 1] ?? '')) start--;
    if (start > 0 && LOCAL.test(text[start - 1] ?? '')) continue; // longer than any real local part
    while (text[start] === '.') start++;
    if (start === at || text[at - 1] === '.') continue;
    DOMAIN.lastIndex = at + 1;
    const domain = DOMAIN.exec(text);
    if (domain) found.push({ start, end: DOMAIN.lastIndex, type: 'email', counted: true });
  }
};

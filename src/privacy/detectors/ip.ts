/**
 * IPv4 and IPv6 addresses. A dotted quad of valid octets is an IPv4 address even when
 * it was meant as a version number ("release 1.2.3.4"): the two cannot be told apart
 * by their text, and hiding a version costs less than leaking an address. A `v` or any
 * other word character in front ("v1.2.3.4") marks it as not an address.
 */
import { continuesAfter, continuesBefore, isWordChar, type Detector } from '../span.js';

const V4 = /\d{1,3}(?:\.\d{1,3}){3}/g;
/**
 * Hex digits, colons and dots (for an IPv4 tail, `::ffff:192.0.2.1`); {@link isIPv6} decides.
 * At most 46 characters (the longest form, 45, plus a closing `:` or `.`), so a long hex
 * blob is cut into short pieces instead of being rescanned from every position.
 */
const V6 = /[0-9A-Fa-f:.]{2,46}/g;
const HEXTET = /^[0-9A-Fa-f]{1,4}$/;
/** 0-255 without leading zeros: `010` is octal to some parsers and decimal to others, so it is not an address we can vouch for. */
const OCTET = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

export function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => OCTET.test(p));
}

/** RFC 4291 §2.2 text forms: eight hextets, one `::` for a run of zeros, an optional IPv4 tail. */
export function isIPv6(s: string): boolean {
  let body = s;
  let hextets = 8;
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.')) {
    if (!isIPv4(s.slice(lastColon + 1))) return false;
    body = s.slice(0, lastColon + 1);
    if (!body.endsWith('::')) body = body.slice(0, -1);
    hextets = 6;
  }
  const halves = body.split('::');
  const split = (half: string): string[] => (half === '' ? [] : half.split(':'));
  if (halves.length > 2) return false;
  const groups = halves.flatMap(split);
  if (!groups.every((g) => HEXTET.test(g))) return false;
  // A bare "::" (the unspecified address) identifies nobody.
  if (groups.length === 0 && hextets === 8) return false;
  return halves.length === 1 ? groups.length === hextets : groups.length < hextets;
}

export const findIPs: Detector = (text, found) => {
  for (const m of text.matchAll(V4)) {
    const end = m.index + m[0].length;
    if (isIPv4(m[0]) && !continuesBefore(text, m.index) && !continuesAfter(text, end) && text[m.index - 1] !== '.') {
      found.push({ start: m.index, end, type: 'ip', counted: true });
    }
  }
  if (!text.includes(':')) return;
  for (const m of text.matchAll(V6)) {
    if (!m[0].includes(':')) continue;
    // A sentence may end right after the address: "reach 2001:db8::1: it answers", "… fe80::1.".
    let candidate = m[0];
    if (!isIPv6(candidate) && /[^:][.:]$/.test(candidate)) candidate = candidate.slice(0, -1);
    const end = m.index + candidate.length;
    const joined = isWordChar(text[m.index - 1]) || text[m.index - 1] === ':' || (text[end] === ':' && isWordChar(text[end + 1]));
    if (isIPv6(candidate) && !joined && !continuesAfter(text, end)) {
      found.push({ start: m.index, end, type: 'ip', counted: true });
    }
  }
};

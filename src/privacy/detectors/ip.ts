/**
 * IPv4 and IPv6 addresses. A dotted quad of valid octets is an IPv4 address even when
 * it was meant as a version number ("release 1.2.3.4"): the two cannot be told apart
 * by their text, and hiding a version costs less than leaking an address. A `v` or any
 * other word character in front ("v1.2.3.4") marks it as not an address.
 *
 * Addresses that name no host stay visible (`ip-special.ts`): loopback, unspecified,
 * broadcast, netmasks. Private ranges (10/8, 172.16/12, 192.168/16, fc00::/7, link-local)
 * are hidden like public ones: they map the user's internal network (which host runs
 * the database, which VPN range an office uses), and a log line with a private address
 * and a time still points at one machine inside one company.
 */
import { continuesAfter, continuesBefore, isWordChar, type Detector } from '../span.js';
import { isIPv4, isIPv6, namesNoHost, namesNoHostV6 } from './ip-special.js';

export { isIPv4, isIPv6 } from './ip-special.js';

const V4 = /\d{1,3}(?:\.\d{1,3}){3}/g;
/**
 * Hex digits, colons and dots (for an IPv4 tail, `::ffff:192.0.2.1`); {@link isIPv6} decides.
 * At most 46 characters (the longest form, 45, plus a closing `:` or `.`), so a long hex
 * blob is cut into short pieces instead of being rescanned from every position. Tried only
 * from the start of the hex run around each colon: run over the whole text, it would stop
 * at every "de", "ad" and "face" of the prose.
 */
const V6 = /[0-9A-Fa-f:.]{2,46}/y;
const V6_CHAR = /[0-9A-Fa-f:.]/;

/**
 * An IPv4 address written with dashes inside a host name, as cloud providers name hosts:
 * `ip-10-0-1-23.ec2.internal`, `ec2-203-0-113-5.compute-1.amazonaws.com`. Only the digits
 * are hidden; the prefix and the domain stay.
 */
const DASHED_HOST = /\b(?:ip|ec2)-(\d{1,3}-\d{1,3}-\d{1,3}-\d{1,3})(?=\.[a-z])/gi;

export const findIPs: Detector = (text, found) => {
  findDottedAndColoned(text, found);
  if (text.includes('-')) {
    for (const m of text.matchAll(DASHED_HOST)) {
      const quad = m[1] ?? '';
      const start = m.index + m[0].length - quad.length;
      const v4 = quad.replace(/-/g, '.');
      if (isIPv4(v4) && !namesNoHost(v4)) found.push({ start, end: start + quad.length, type: 'ip', counted: true });
    }
  }
};

const findDottedAndColoned: Detector = (text, found) => {
  for (const m of text.matchAll(V4)) {
    const end = m.index + m[0].length;
    if (isIPv4(m[0]) && !namesNoHost(m[0]) && !joinedBefore(text, m.index) && !joinedAfter(text, end) && text[m.index - 1] !== '.') {
      found.push({ start: m.index, end, type: 'ip', counted: true });
    }
  }
  for (const m of v6Candidates(text)) {
    const end = v6End(text, m.index, m[0]);
    if (end > 0) { found.push({ start: m.index, end, type: 'ip', counted: true }); continue; }
    // "IP:2001:db8::1", "IPv6:2001:db8::5": a label and one colon in front; the match took the colon (and the 6) with it.
    const colon = m[0].indexOf(':');
    const start = m.index + colon + 1;
    if (m[0][colon + 1] === ':' || !isLabel(text, m.index + colon)) continue;
    const labelled = v6End(text, start, m[0].slice(colon + 1));
    if (labelled > 0) found.push({ start, end: labelled, type: 'ip', counted: true });
  }
};

/** The hex runs that hold a colon, cut as the global {@link V6} scan would cut them. */
function* v6Candidates(text: string): Generator<{ index: number; 0: string }> {
  let covered = 0;
  for (let colon = text.indexOf(':'); colon !== -1; colon = text.indexOf(':', Math.max(colon + 1, covered))) {
    let start = colon;
    while (start > covered && V6_CHAR.test(text[start - 1] ?? '')) start--;
    // A run longer than 46 is cut into 46-character pieces from its start, as the regex would.
    while (colon - start >= 46) start += 46;
    for (V6.lastIndex = start; V6.lastIndex <= colon; ) {
      const at = V6.lastIndex;
      const m = V6.exec(text);
      if (m === null) break;
      covered = V6.lastIndex;
      if (m[0].includes(':')) yield { index: at, 0: m[0] };
    }
  }
}

const QUAD_AT = /\d{1,3}(?:\.\d{1,3}){3}(?![\d.])/y;
const QUAD_BEFORE = /(?:^|[^\d.])(\d{1,3}(?:\.\d{1,3}){3})$/;

/**
 * Whether the address at `start` is the end of a longer number (`1.2.3.4.5`, `9,1.2.3.4`),
 * not the second of a list or range written without spaces (`203.0.113.5,198.51.100.7`
 * in an X-Forwarded-For header, `203.0.113.5-203.0.113.10`).
 */
function joinedBefore(text: string, start: number): boolean {
  if (!continuesBefore(text, start)) return false;
  const sep = text[start - 1];
  if (sep !== ',' && sep !== '-') return true;
  const quad = QUAD_BEFORE.exec(text.slice(Math.max(0, start - 17), start - 1))?.[1];
  return quad === undefined || !isIPv4(quad);
}

/**
 * The mirror of {@link joinedBefore}. A range that ends in a last octet alone
 * (`203.0.113.5-10`) reads like a Debian package version (`1.2.5.1-2`), so it stays joined.
 */
function joinedAfter(text: string, end: number): boolean {
  if (!continuesAfter(text, end)) return false;
  const sep = text[end];
  if (sep !== ',' && sep !== '-') return true;
  QUAD_AT.lastIndex = end + 1;
  const quad = QUAD_AT.exec(text)?.[0];
  return quad === undefined || !isIPv4(quad);
}

/** End of the IPv6 address that `candidate` at `start` is, or 0. A label colon right before `start` is the caller's to judge. */
function v6End(text: string, start: number, candidate: string): number {
  // A sentence may end right after the address: "reach 2001:db8::1: it answers", "… fe80::1.".
  let address = candidate;
  if (!isIPv6(address) && /[.:]$/.test(address)) address = address.slice(0, -1);
  const end = start + address.length;
  const before = text[start - 1];
  const joined = isWordChar(before) || (before === ':' && text[start - 2] === ':') || (text[end] === ':' && isWordChar(text[end + 1]));
  const fromLabel = before === ':' && isLabel(text, start - 1);
  if (joined || (before === ':' && !fromLabel) || !isIPv6(address) || namesNoHostV6(address) || continuesAfter(text, end)) return 0;
  return end;
}

/** Whether the word that ends at the colon `colon` is a label: word characters, at least one of them a letter (`IP`, `IPv6`, `addr`). */
function isLabel(text: string, colon: number): boolean {
  let letter = false;
  for (let i = colon - 1; i >= 0 && colon - i <= 16 && isWordChar(text[i]); i--) if (/\p{L}/u.test(text[i] ?? '')) letter = true;
  return letter;
}

/**
 * Runs the detectors over a text and settles their overlaps, so each character is
 * replaced at most once.
 */
import { REDACTION_TYPES, type RedactionType } from '../route/vocab.js';
import type { RedactOptions } from '../config-types.js';
import { findCards } from './detectors/card.js';
import { patternDetector, termDetector } from './detectors/custom.js';
import { findEmails } from './detectors/email.js';
import { findIbans } from './detectors/iban.js';
import { findIPs } from './detectors/ip.js';
import { findNationalIds } from './detectors/national-id.js';
import { findInternationalIds } from './detectors/national-id-intl.js';
import { findPhones } from './detectors/phone.js';
import { findSecretUrls } from './detectors/secret-url.js';
import { findSecrets } from './detectors/secret.js';
import { placeholderPattern, typeOfPlaceholder } from './placeholder.js';
import type { Detector, Span } from './span.js';

/** `name` and `address` have no pattern: only the model tier (`redact.model`) finds them. */
type BuiltInType = Exclude<RedactionType, 'term' | 'pattern' | 'name' | 'address'>;

/** Keyed by the closed union, so a new built-in type does not compile until it has a detector. */
const BUILT_IN: Readonly<Record<BuiltInType, Detector>> = {
  email: findEmails,
  phone: findPhones,
  card: findCards,
  iban: findIbans,
  ip: findIPs,
  secret_url: findSecretUrls,
  secret: findSecrets,
  national_id: (text, found) => {
    findNationalIds(text, found);
    findInternationalIds(text, found);
  },
};

/**
 * Who wins a tie between two spans of the same length at the same place, most specific
 * first: `123-45-6789` is an SSN before it is a phone number, `192.168.1.1` an address.
 */
const RANK: Readonly<Record<RedactionType, number>> = {
  secret: 0, secret_url: 1, email: 2, iban: 3, card: 4, national_id: 5, ip: 6, phone: 7, address: 8, name: 9, pattern: 10, term: 11,
};

/** Input text shaped like our placeholders; see `session.ts` for why it is hidden too. */
const findPlaceholderLookalikes: Detector = (text, found) => {
  if (!text.includes('[')) return;
  for (const m of text.matchAll(placeholderPattern())) {
    found.push({ start: m.index, end: m.index + m[0].length, type: typeOfPlaceholder(m[0]), counted: false });
  }
};

/** The detectors an options object asks for; `terms` and `patterns` run whenever given. */
export function detectorsFor(options: RedactOptions): Detector[] {
  const wanted = new Set<RedactionType>(options.types ?? REDACTION_TYPES);
  const detectors = [findPlaceholderLookalikes];
  for (const [type, detector] of Object.entries(BUILT_IN) as [BuiltInType, Detector][]) if (wanted.has(type)) detectors.push(detector);
  if (options.terms !== undefined && options.terms.length > 0) detectors.push(termDetector(options.terms));
  if (options.patterns !== undefined && options.patterns.length > 0) detectors.push(patternDetector(options.patterns));
  return detectors;
}

/**
 * Non-overlapping spans in text order. The longest span wins; between equals, the
 * earliest, then the more specific type. A span that overlaps a winner is dropped whole
 * (a phone number inside a secret URL is already hidden with the URL).
 */
export function findSpans(text: string, detectors: readonly Detector[]): Span[] {
  const found: Span[] = [];
  for (const detect of detectors) detect(text, found);
  if (found.length < 2) return found;
  found.sort((a, b) =>
    b.end - b.start - (a.end - a.start) || a.start - b.start || Number(a.counted) - Number(b.counted) || RANK[a.type] - RANK[b.type],
  );
  const taken = new Uint8Array(text.length);
  const kept: Span[] = [];
  for (const span of found) {
    if (taken.subarray(span.start, span.end).includes(1)) continue;
    taken.fill(1, span.start, span.end);
    kept.push(span);
  }
  return kept.sort((a, b) => a.start - b.start);
}

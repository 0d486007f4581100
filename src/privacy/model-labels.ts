/**
 * What the model tier's labels mean for redaction, pure. NER exports name their entities
 * in many ways (CoNLL's `PER`/`LOC`/`ORG`/`MISC`, PII datasets' `ADDRESS`, `PASSWORD`,
 * OpenAI privacy-filter's `private_person`, `private_address`, `account_number`, …); each
 * maps to one of our redaction types, or to none.
 *
 * Decisions (issue 16): `ORG` and `MISC` are not personal data and are ignored, as are
 * dates and ages (no redaction type for them: an app that wants them hidden can add a
 * pattern). `account_number` maps to `iban` (the bank-account type), `private_url` to
 * `secret_url`. Unknown labels are ignored rather than guessed at.
 */
import type { RedactionType } from '../route/vocab.js';
import type { Span } from './span.js';

/** Entity names, upper-cased with `private_` and separators removed, by redaction type. */
const BY_TYPE: Readonly<Record<string, RedactionType>> = {
  PER: 'name', PERSON: 'name', NAME: 'name', FIRSTNAME: 'name', LASTNAME: 'name', MIDDLENAME: 'name', FULLNAME: 'name', USERNAME: 'name', PERSONALHANDLE: 'name',
  LOC: 'address', LOCATION: 'address', ADDRESS: 'address', STREET: 'address', STREETADDRESS: 'address', BUILDINGNUMBER: 'address', CITY: 'address', ZIPCODE: 'address', POSTCODE: 'address', SECONDARYADDRESS: 'address',
  SECRET: 'secret', PASSWORD: 'secret', KEY: 'secret', APIKEY: 'secret', TOKEN: 'secret', PIN: 'secret',
  EMAIL: 'email', PHONE: 'phone', PHONENUMBER: 'phone', TELEPHONE: 'phone',
  IP: 'ip', IPADDRESS: 'ip', URL: 'secret_url',
  CREDITCARD: 'card', CREDITCARDNUMBER: 'card', IBAN: 'iban', ACCOUNTNUMBER: 'iban', BANKACCOUNT: 'iban',
  SSN: 'national_id', NATIONALID: 'national_id', IDCARD: 'national_id', PASSPORT: 'national_id',
};

/** The redaction type of an entity label (scheme prefix already removed), or undefined to ignore it. */
export function redactionTypeOf(label: string): RedactionType | undefined {
  const key = label.toUpperCase().replace(/^PRIVATE[_-]?/, '').replace(/[^A-Z]/g, '');
  return BY_TYPE[key];
}

const WORD = /[\p{L}\p{N}]/u;

/**
 * The model's entities as spans for the overlap resolution in `find.ts`, in the types the
 * options allow, each widened to whole words: a subword the model left out ("Ali" of
 * "Alice" labelled, "ce" not) must not be left showing.
 */
export function modelSpans(text: string, entities: readonly { label: string; start: number; end: number }[], allowed: ReadonlySet<RedactionType>): Span[] {
  const out: Span[] = [];
  for (const e of entities) {
    const type = redactionTypeOf(e.label);
    if (type === undefined || !allowed.has(type)) continue;
    let start = Math.max(0, e.start);
    let end = Math.min(text.length, e.end);
    // Offsets may include the space a byte-level token carries: hide the value, not its margin.
    while (start < end && /\s/.test(text[start]!)) start++;
    while (end > start && /\s/.test(text[end - 1]!)) end--;
    if (end === start) continue;
    while (start > 0 && WORD.test(text[start - 1]!)) start--;
    while (end < text.length && WORD.test(text[end]!)) end++;
    out.push({ start, end, type, counted: true });
  }
  return out;
}

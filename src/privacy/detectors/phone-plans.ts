/**
 * The countries a number written without its country code is tried against, and how
 * people there write one. Trying every country would make almost any digit run valid
 * somewhere; this list covers the largest groups of users, and an app can add its own
 * `patterns`. The first five take any grouping libphonenumber accepts; the rest only
 * their own, distinctive one, because their plans overlap the first five's (a Brazilian
 * or Chinese mobile is eleven digits, like a long American number with its `1`).
 */
import type { CountryCode } from 'libphonenumber-js/core';

export interface NationalPlan {
  country: CountryCode;
  /** Whether `run` (in ASCII forms, see `common-separators.ts`) is written the way people there write a number; `digits` is `run` without its separators. */
  written: (run: string, digits: string) => boolean;
}

const startsWith = (re: RegExp) => (_run: string, digits: string): boolean => re.test(digits);
const shaped = (re: RegExp) => (run: string): boolean => re.test(run);
/** How NANP numbers are grouped: 3-3-4 (`(415) 555-2671`, `415.555.2671`), 3-7, unbroken, each with an optional leading `1`. */
const NANP_GROUPS = new Set(['3-3-4', '1-3-3-4', '3-7', '1-3-7', '10', '11', '1-10']);
const nanp = (run: string): boolean => NANP_GROUPS.has(run.split(/\D+/).filter(Boolean).map((g) => g.length).join('-'));

export const NATIONAL: readonly NationalPlan[] = [
  // NANP: the metadata itself rejects area codes that start with 0 or 1; the grouping
  // rejects the ten digits of `42 42 42 42 42` and of a version like `126.0.6478.127`.
  { country: 'US', written: nanp },
  // Numbers in these three are always written with their trunk 0; without it
  // libphonenumber would still accept them and match order numbers and years.
  { country: 'GB', written: startsWith(/^0/) },
  { country: 'DE', written: startsWith(/^0/) },
  { country: 'FR', written: startsWith(/^0/) },
  // Indian mobiles (6-9…) are usually written without the 0; landlines with it.
  { country: 'IN', written: startsWith(/^(?:0|[6-9])/) },
  // `(11) 91234-5678`: a two-digit area code in parentheses, a dash before the last four.
  { country: 'BR', written: shaped(/^\(\d{2}\) ?9?\d{4}-\d{4}$/) },
  // `03-1234-5678`, `090-1234-5678`: trunk 0 and dashes.
  { country: 'JP', written: shaped(/^0\d{1,4}-\d{1,4}-\d{4}$/) },
  // `0412 345 678`, `(02) 9876 5432`.
  { country: 'AU', written: shaped(/^(?:04\d{2} \d{3} \d{3}|\(0[2378]\) ?\d{4} \d{4})$/) },
  // `138 0013 8000`: mobiles in 3-4-4.
  { country: 'CN', written: shaped(/^1[3-9]\d[ -]\d{4}[ -]\d{4}$/) },
  // `8 (916) 123-45-67`: trunk 8, area code in parentheses, 3-2-2.
  { country: 'RU', written: shaped(/^8 ?\(\d{3}\) ?\d{3}-\d{2}-\d{2}$/) },
];

/**
 * Countries tried only when a label says the digits are a phone number (`Móvil: 612 34
 * 56 78`, `Tel. 32 12 34 56`): their national numbers are short or shaped like amounts
 * and codes elsewhere, so without the label they would cost more look-alikes than they
 * find numbers. Ordered by users, roughly.
 */
export const LABELLED_ONLY: readonly CountryCode[] = [
  'ES', 'IT', 'MX', 'PL', 'NL', 'BE', 'CH', 'AT', 'SE', 'PT', 'CZ', 'KR', 'TR', 'ID', 'PH', 'VN', 'TH', 'EG', 'NG', 'ZA',
  'PK', 'BD', 'AR', 'CO', 'CL', 'PE', 'IL', 'IE', 'GR', 'FI', 'DK', 'NO', 'NZ', 'AE', 'SA', 'SG', 'HK', 'MY', 'UA', 'RO', 'HU',
];

/**
 * libphonenumber-js's own validity rule (`PhoneNumber.isValid()`: the national number
 * matches the country's general pattern and one number type's lengths and pattern), read
 * from the same `max` metadata, with the regular expressions compiled once. The library
 * builds a new `RegExp` from the metadata's pattern text on every check; measured, that
 * is 70% of its 45-80 µs per number, and a 200 KB support log has a few thousand numbers
 * (issue 16's budget for all detectors together is well under 60 ms). Parsing is not
 * needed: callers pass digits, with the country either known or given by a `+` prefix.
 *
 * `formats.test.ts` checks that this agrees with `parsePhoneNumberFromString(...).isValid()`.
 */
import { Metadata, getCountries, getCountryCallingCode, type CountryCode } from 'libphonenumber-js/core';
import metadataJson from 'libphonenumber-js/max/metadata';

/** The part of libphonenumber-js's `Metadata` that its own `getNumberType` reads; its published typings declare less. */
interface NumberTypeReader { pattern(): string; possibleLengths(): number[] | undefined }
interface PlanReader {
  nationalNumberPattern(): string;
  nationalPrefixForParsing(): string | undefined;
  nationalPrefixTransformRule(): string | undefined;
  type(name: string): NumberTypeReader | undefined;
}
interface MetadataReader { selectNumberingPlan(country: CountryCode): void; numberingPlan: PlanReader }

const TYPES = ['FIXED_LINE', 'MOBILE', 'PREMIUM_RATE', 'TOLL_FREE', 'SHARED_COST', 'VOIP', 'PERSONAL_NUMBER', 'PAGER', 'UAN', 'VOICEMAIL'];

interface CompiledPlan {
  general: RegExp;
  prefix: RegExp | undefined;
  transform: string | undefined;
  types: { lengths: readonly number[] | undefined; pattern: RegExp }[];
}

const plans = new Map<CountryCode, CompiledPlan>();
let byCallingCode: Map<string, CountryCode[]> | undefined;

function plan(country: CountryCode): CompiledPlan {
  const known = plans.get(country);
  if (known !== undefined) return known;
  const metadata = new Metadata(metadataJson) as unknown as MetadataReader;
  metadata.selectNumberingPlan(country);
  const p = metadata.numberingPlan;
  const prefix = p.nationalPrefixForParsing();
  const compiled: CompiledPlan = {
    general: new RegExp(`^(?:${p.nationalNumberPattern()})$`),
    prefix: prefix ? new RegExp(`^(?:${prefix})`) : undefined,
    transform: p.nationalPrefixTransformRule(),
    types: TYPES.flatMap((name) => {
      const t = p.type(name);
      const source = t?.pattern();
      return t === undefined || !source ? [] : [{ lengths: t.possibleLengths(), pattern: new RegExp(`^(?:${source})$`) }];
    }),
  };
  plans.set(country, compiled);
  return compiled;
}

function validNational(p: CompiledPlan, national: string): boolean {
  if (!p.general.test(national)) return false;
  return p.types.some((t) => (t.lengths === undefined || t.lengths.includes(national.length)) && t.pattern.test(national));
}

/** Whether `digits` is a valid national number of `p` once its trunk prefix (if any) is stripped. */
function validWithPrefix(p: CompiledPlan, digits: string, mayLengthen = false): boolean {
  const match = p.prefix?.exec(digits);
  if (match) {
    // A prefix with a captured group and a transform rule rewrites the number (a carrier code dropped). Rules
    // that add digits (an area code put before a local number, `+672 2 7812` on Norfolk Island) apply, as in
    // the library, only when the calling code names one country: under +1 it would make any 7 digits valid.
    const rewritten = p.transform && match[match.length - 1] ? digits.replace(p.prefix as RegExp, p.transform) : digits.slice(match[0].length);
    if ((mayLengthen || rewritten.length < digits.length) && validNational(p, rewritten)) return true;
  }
  return validNational(p, digits);
}

/**
 * Whether `digits`, written nationally in `country`, is a valid number there. Like
 * libphonenumber, any country that shares the calling code counts (`647…` is Canadian,
 * `07829…` may be Jersey), and so does the calling code typed without its `+`.
 */
export function isValidIn(country: CountryCode, digits: string): boolean {
  const code = getCountryCallingCode(country, metadataJson);
  const group = sharing(code);
  if (group.some((c) => validWithPrefix(plan(c), digits))) return true;
  return digits.startsWith(code) && group.some((c) => validWithPrefix(plan(c), digits.slice(code.length)));
}

/** Whether `digits` (after the `+`) is a valid number of the country its calling code names. */
export function isValidInternational(digits: string): boolean {
  for (let length = 1; length <= 3; length++) {
    const group = sharing(digits.slice(0, length));
    if (group.length > 0) return group.some((c) => validWithPrefix(plan(c), digits.slice(length), group.length === 1));
  }
  return false;
}

function sharing(callingCode: string): readonly CountryCode[] {
  byCallingCode ??= callingCodes();
  return byCallingCode.get(callingCode) ?? [];
}

function callingCodes(): Map<string, CountryCode[]> {
  const map = new Map<string, CountryCode[]>();
  for (const country of getCountries(metadataJson)) {
    const code = getCountryCallingCode(country, metadataJson);
    map.set(code, [...(map.get(code) ?? []), country]);
  }
  return map;
}

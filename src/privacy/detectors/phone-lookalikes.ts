/**
 * Digit runs that libphonenumber would accept as a national number but that are written
 * the way something else is: dates, ISBNs, thousands, counting. Each test takes the run
 * in ASCII forms (see `common-separators.ts`) and its digits alone.
 */

/** `2024-06-11`, `11.06.2024`, `06/11/2024`, but not `06.12.34.56.78` (a French number: the date would go on). */
const DATE = /^(?:\d{4}([-./])\d{1,2}\1\d{1,2}|\d{1,2}([-./])\d{1,2}\2\d{2,4})(?![-./]?\d)/;
/** `0-306-40615-2`, `0 306 40615 2`: four groups, the last one digit. */
const ISBN10_SHAPE = /^\d{1,5}([- ])\d{1,7}\1\d{1,7}\1\d$/;
/** `1 073 741 824`, `1.234.567`: thousands groups. A national phone number never ends in two groups of three with nothing else after a short first group. */
const THOUSANDS = /^\d{1,3}(?:([ .])\d{3})(?:\1\d{3})+$/;

/** `0.333333333`, `+35236450.6`: two groups and one dot are a decimal number; no plan writes a phone number so. */
const DECIMAL = /^[+(]?\d+\.\d+$/;
/** `0.8188 0.2458`: dots and spaces in one run are a row of decimals. */
const DECIMALS = /\..* |\s.*\./;
/** `036108 (2005)`: a group in parentheses at the end is a year or a note; an area code comes first. */
const TRAILING_PARENTHESES = /\d[ -]?\(\d+\)?$/;

export function looksLikeOtherNumber(run: string, digits: string): boolean {
  return DECIMAL.test(run) || DECIMALS.test(run) || TRAILING_PARENTHESES.test(run) || DATE.test(run) || isIsbn(run, digits) || isCounting(run);
}

/** Grouped in threes like an amount; Polish, Portuguese and Czech numbers are too (`512 345 678`), so a phone label overrides this one. */
export function groupedLikeAmount(run: string): boolean {
  return THOUSANDS.test(run);
}

function isIsbn(run: string, digits: string): boolean {
  if (digits.length === 10 && ISBN10_SHAPE.test(run)) return isbn10(digits);
  return digits.length === 13 && /^97[89]/.test(digits) && isbn13(digits);
}

/** ISO 2108: weights 10 down to 1, sum divisible by 11 (the `X` check digit never reaches here: it ends the run). */
function isbn10(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += (10 - i) * (digits.charCodeAt(i) - 48);
  return sum % 11 === 0;
}

/** EAN-13: weights 1 and 3. */
function isbn13(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < 13; i++) sum += (i % 2 === 0 ? 1 : 3) * (digits.charCodeAt(i) - 48);
  return sum % 10 === 0;
}

/** `1 2 3 4 5 6 7 8 9 10`: more single digits in a row of groups than any numbering plan writes (`+33 6 12 34 56 78` has one, `1 800 555 0199` one). */
function isCounting(run: string): boolean {
  let singles = 0;
  for (const group of run.split(/[^\d]+/)) if (group.length === 1) singles++;
  return singles > 2;
}

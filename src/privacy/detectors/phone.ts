/**
 * Phone numbers, judged by libphonenumber-js's `max` metadata (`phone-validity.ts`). The
 * default `min` metadata only checks a number's length, so every ten-digit run would pass
 * as American; `max` checks the digits against each country's numbering plan (about
 * 65 kB more, loaded only with this lazily imported module).
 *
 * International numbers (`+44 20 7946 0958`, `0044 …`, `%2B44…` in a query string) carry
 * their country. A national number does not, so it is tried against the countries of
 * `phone-plans.ts`, and is accepted only when written the way people there write one,
 * when it is not written like a date, an ISBN or a thousands-grouped amount
 * (`phone-lookalikes.ts`), and, if it is one bare digit run (`4155552671`) or eight digits
 * long, only when a label such as "phone" or "call" comes before it: a bare run is far
 * more often a counter, a barcode or an ID (`2147483647`, `036000291452`). A label also
 * opens the countries of `LABELLED_ONLY`.
 */
import { isWordChar, type Detector } from '../span.js';
import { labelPattern, labelledBefore, withAsciiForms } from './common-separators.js';
import { groupedLikeAmount, looksLikeOtherNumber } from './phone-lookalikes.js';
import { LABELLED_ONLY, NATIONAL } from './phone-plans.js';
import { isValidIn, isValidInternational } from './phone-validity.js';

/** Digit groups joined by one space, dot, dash or slash (`089/1234567`), or by parentheses: `(415) 555-2671`, `+44 (0)20 7946 0958`. */
const RUN = /(?:\+|\(\+?)?\d+(?:(?:[ ./-]|\)[ -]?| ?\()\d+)*\)?/g;
/** An extension after the number belongs to it: `ext. 123`, `x204`, `#12`. */
const EXTENSION = / ?,? ?(?:ext\.?|extn\.?|extension|x|#) ?\d{1,6}(?![\p{L}\p{N}])/iuy;
/** Characters that, right before a number, make it part of a code, an amount or a URL. */
const JOINED_BEFORE = new Set(['-', '.', '/', '#', '@', '&', '?', '$', '€', '£', '¥', '%']);
/** Words that say the number after them is a phone number, whole words only (`tel`, not the `tel` of `TELEGRAM_BOT_TOKEN`), in the languages of `phone-plans.ts` and a few more. */
const LABELS = labelPattern(
  'tel|tél|phone|telephone|téléphone|telefon|telefono|teléfono|telefone|telemóvel|mobile?|mobiel|mob|cell|cellphone|cellulare|gsm|natel|komórka|puhelin|' +
    'fax|call(?:ed)?|ring|text me|sms|whatsapp|contact|dial|reach|handy|portable|numéro|móvil|celular|tlf|電話|携帯|手机|电话|휴대폰|전화|тел|телефон',
);

export const findPhones: Detector = (raw, found) => {
  const text = withAsciiForms(raw);
  for (const m of text.matchAll(RUN)) {
    let start = m.index;
    let run = m[0];
    // A parenthesis that opens or closes something around the number is not part of it.
    if (run.endsWith(')') && count(run, '(') < count(run, ')')) run = run.slice(0, -1);
    if (run.startsWith('(') && count(run, '(') > count(run, ')')) { run = run.slice(1); start++; }
    let end = start + run.length;
    // `?to=%2B14155552671`: a `+` escaped in a query string.
    if (!run.startsWith('+') && text.slice(start - 3, start).toUpperCase() === '%2B') { start -= 3; run = `+${run}`; }
    EXTENSION.lastIndex = end;
    const extension = EXTENSION.exec(text);
    if (extension !== null) end += extension[0].length;
    if (isPhone(run, text, start, end)) found.push({ start, end, type: 'phone', counted: true });
  }
};

function isPhone(run: string, text: string, start: number, end: number): boolean {
  const digits = run.replace(/\D/g, '');
  const international = run.startsWith('+') || run.startsWith('(+') || digits.startsWith('00');
  if (digits.length < (international ? 7 : 8) || digits.length > 15 || looksLikeOtherNumber(run, digits)) return false;
  const before = text[start - 1];
  if (isWordChar(before) || (!run.startsWith('+') && before !== undefined && JOINED_BEFORE.has(before))) return false;
  const after = text[end];
  if (isWordChar(after) || after === '@' || after === '%' || ((after === '-' || after === '/' || after === '.' || after === ':') && isWordChar(text[end + 1]))) return false;
  if (international) return isValidInternational(digits.startsWith('00') ? digits.slice(2) : digits);
  let labelled: boolean | undefined;
  const isLabelled = (): boolean => (labelled ??= labelledBefore(text, start, LABELS));
  if ((run === digits || digits.length < 9 || groupedLikeAmount(run)) && !isLabelled()) return false;
  if (NATIONAL.some(({ country, written }) => written(run, digits) && isValidIn(country, digits))) return true;
  return isLabelled() && LABELLED_ONLY.some((country) => isValidIn(country, digits));
}

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}

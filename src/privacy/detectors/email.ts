/**
 * Email addresses. The scan starts from each `@` and walks outwards instead of running
 * one `local@domain` regex over the text: that regex retries the local part from every
 * word character and goes quadratic on long runs without an `@` (a pasted base64 blob).
 *
 * Not addresses, and left visible: `user@localhost` and other hosts without a top-level
 * domain (a local mailbox, not one the cloud could write to or tie to a person), image
 * and source files (`icon@2x.png`, `logo@3x.jpg`: the domain ends in a file extension no
 * registry hands out), package versions (`pkg@1.2.3`: no letters in the top level), and
 * the `git@host:org/repo` and `ssh://git@host/org/repo` remotes of a code host (a service
 * account, not a person).
 *
 * Addresses hidden from scrapers with a bracketed "at" (`jane [at] example [dot] com`,
 * `jane(at)example.com`) are still addresses; without brackets ("meet jane at example dot
 * com") the words are too common to tell.
 */
import type { Detector } from '../span.js';

/** The local-part characters people actually use (RFC 5322 allows more, but quotes would swallow punctuation around the address). */
const LOCAL = /[\p{L}\p{N}._%+-]/u;
const LETTER = /\p{L}/u;
/** Longest local part we walk back over (RFC 5321 §4.5.3.1.1 caps it at 64 octets). */
const MAX_LOCAL = 64;
/** Dot-separated labels and a letters-only top-level domain, not followed by more of a name. */
const DOMAIN = /(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+(\p{L}{2,63})(?![\p{L}\p{N}_-])/uy;
/** File extensions that are not top-level domains in the IANA root zone (`.zip` and `.mov` are, so they are not here). */
const FILE_EXTENSIONS = new Set([
  'png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'avif', 'ico', 'bmp', 'tif', 'tiff', 'heic',
  'js', 'mjs', 'cjs', 'ts', 'tsx', 'jsx', 'css', 'scss', 'less', 'map', 'json', 'yaml', 'yml', 'toml', 'lock', 'txt', 'log', 'pdf', 'html', 'htm', 'vue', 'wasm',
]);

/** A bracketed `at` with at most one space on either side; the scan walks out from it as from an `@`. */
const AT_WORD = / ?[[({<]at[\])}>] ?/giu;
/** Labels joined by `.` or a bracketed `dot`. */
const SPELLED_DOMAIN = /[\p{L}\p{N}-]+(?: ?(?:\.|[[({<]dot[\])}>]) ?[\p{L}\p{N}-]+)+/iuy;
const TLD = /[\p{L}]{2,63}$/u;

export const findEmails: Detector = (text, found) => {
  findPlainEmails(text, found);
  if (/[[({<]at[\])}>]/i.test(text)) findSpelledEmails(text, found);
};

const findSpelledEmails: Detector = (text, found) => {
  for (const m of text.matchAll(AT_WORD)) {
    const start = localStart(text, m.index);
    if (start < 0) continue;
    SPELLED_DOMAIN.lastIndex = m.index + m[0].length;
    const domain = SPELLED_DOMAIN.exec(text);
    if (domain === null || !TLD.test(domain[0]) || /[\p{L}\p{N}_]/u.test(text[SPELLED_DOMAIN.lastIndex] ?? '')) continue;
    found.push({ start, end: SPELLED_DOMAIN.lastIndex, type: 'email', counted: true });
  }
};

const findPlainEmails: Detector = (text, found) => {
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    const start = localStart(text, at);
    if (start < 0) continue;
    DOMAIN.lastIndex = at + 1;
    const domain = DOMAIN.exec(text);
    if (domain === null || FILE_EXTENSIONS.has((domain[1] ?? '').toLowerCase())) continue;
    const end = DOMAIN.lastIndex;
    if (text.slice(start, at) === 'git' && (text[end] === '/' || (text[end] === ':' && /[\w~./-]/.test(text[end + 1] ?? '')))) continue;
    found.push({ start, end, type: 'email', counted: true });
  }
};

/**
 * Where the local part before the `@` at `at` starts, or -1. An apostrophe between two
 * letters is part of it (`kevin.o'brien@…`, RFC 5322 atext allows it); one that opens a
 * quotation (`'jane@…'`) is not.
 */
function localStart(text: string, at: number): number {
  let start = at;
  for (; start > 0 && at - start < MAX_LOCAL; start--) {
    const ch = text[start - 1] ?? '';
    if (LOCAL.test(ch)) continue;
    if ((ch === "'" || ch === '\u2019') && LETTER.test(text[start - 2] ?? '') && LETTER.test(text[start] ?? '')) continue;
    break;
  }
  if (start > 0 && LOCAL.test(text[start - 1] ?? '')) return -1; // longer than any real local part
  while (text[start] === '.') start++;
  if (start === at || text[at - 1] === '.') return -1;
  return start;
}

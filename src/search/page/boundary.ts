/**
 * Where a chunk ends: the best boundary near the target length, ranked heading >
 * paragraph > sentence > line > word. Pure functions over a window of the text; every
 * decision reads at most `LOOKAHEAD` characters past the target, which is what lets the
 * streaming chunker make the same cuts as the whole-string one.
 */

/** Characters past `pos + size` a cut may read: a heading's `###### ` marker, a word's end. */
export const LOOKAHEAD = 64;

const RANK = { word: 1, line: 2, sentence: 3, paragraph: 4, heading: 5 } as const;

/** Unicode White_Space (what `\s` matches), without a regex per character. */
export function isSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0x85) return false;
  return code === 0x85 || code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a)
    || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}

const ws = (b: string, i: number): boolean => i < b.length && isSpace(b.charCodeAt(i));
const SENTENCE_END = new Set(['.', '!', '?', '\u2026']);
// Full stops that need no space after them (CJK).
const WIDE_END = new Set(['\u3002', '\uff01', '\uff1f']);
const CLOSERS = new Set([')', ']', '"', "'", '\u201d', '\u2019', '\u00bb']);
const HEADING = /#{1,6}[ \t]/y;
const LOWER = /\p{Ll}/u;

/** A Markdown ATX heading starts at line start `i`. */
function headingAt(b: string, i: number): boolean {
  if (b[i - 1] !== '\n' || b[i] !== '#') return false;
  HEADING.lastIndex = i;
  return HEADING.test(b);
}

/** The line before line start `i` holds only spaces: a blank-line paragraph break. */
function paragraphAt(b: string, i: number, floor: number): boolean {
  if (b[i - 1] !== '\n') return false;
  let j = i - 2;
  while (j >= floor && (b[j] === ' ' || b[j] === '\t' || b[j] === '\r')) j--;
  return j >= floor && b[j] === '\n';
}

/**
 * A sentence ends before whitespace `i`: `.`, `!`, `?` or `…`, maybe closed by quotes or
 * brackets, and the next word does not start in lower case ("e.g. this" is one sentence).
 */
function sentenceAt(b: string, i: number, floor: number): boolean {
  if (WIDE_END.has(b[i - 1] ?? '')) return true;
  if (!ws(b, i)) return false;
  let j = i - 1;
  while (j > floor && CLOSERS.has(b[j] ?? '')) j--;
  if (!SENTENCE_END.has(b[j] ?? '')) return false;
  let k = i;
  while (k < i + 8 && ws(b, k)) k++;
  return !LOWER.test(b[k] ?? '');
}

function rankAt(b: string, i: number, floor: number): number {
  if (headingAt(b, i)) return RANK.heading;
  if (paragraphAt(b, i, floor)) return RANK.paragraph;
  if (sentenceAt(b, i, floor)) return RANK.sentence;
  if (b[i - 1] === '\n') return RANK.line;
  // The end of a word: whitespace here, none just before.
  return ws(b, i) && !ws(b, i - 1) ? RANK.word : 0;
}

export interface Cut {
  /** Index in the window where the chunk's text stops (before trimming). */
  at: number;
  /** The next chunk starts at a heading: no overlap is carried across a section break. */
  heading: boolean;
}

/**
 * The cut for a chunk starting at `p` when the text goes on past `p + size`. Headings
 * count from a quarter of `size`, other boundaries from half; with none there, the last
 * word end, then the first word end within `LOOKAHEAD` past `size`, then a hard cut that
 * never splits a surrogate pair.
 */
export function findCut(b: string, p: number, size: number): Cut {
  const hi = Math.min(p + size, b.length);
  const headLo = p + Math.floor(size / 4);
  const lo = p + Math.floor(size / 2);
  let best = 0;
  let at = -1;
  let fallback = -1;
  for (let i = hi; i > p; i--) {
    if (i < headLo && (at >= 0 || fallback >= 0)) break;
    const r = rankAt(b, i, p);
    if (r === 0) continue;
    if (i >= lo || (r === RANK.heading && i >= headLo)) {
      if (r > best) {
        best = r;
        at = i;
      }
    } else if (fallback < 0) fallback = i;
  }
  if (at >= 0) return { at, heading: best === RANK.heading };
  if (fallback >= 0) return { at: fallback, heading: false };
  for (let i = hi; i < Math.min(p + size + LOOKAHEAD, b.length); i++) if (ws(b, i)) return { at: i, heading: false };
  const code = b.charCodeAt(hi - 1);
  return { at: code >= 0xd800 && code <= 0xdbff ? hi - 1 : hi, heading: false };
}

/** The chunk's end without trailing whitespace. */
export function trimEnd(b: string, p: number, end: number): number {
  let e = end;
  while (e > p && ws(b, e - 1)) e--;
  return e;
}

/**
 * Where the next chunk starts: the first word start at most `overlap` characters before
 * the cut, so the overlap repeats whole words; the cut itself when no word starts there
 * (a word longer than the overlap) or after a heading break.
 */
export function nextStart(b: string, p: number, cut: Cut, overlap: number): number {
  if (cut.heading || overlap === 0) return cut.at;
  for (let i = Math.max(cut.at - overlap, p + 1); i < cut.at; i++) if (!ws(b, i) && ws(b, i - 1)) return i;
  return cut.at;
}

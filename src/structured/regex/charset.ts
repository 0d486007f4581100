/**
 * Sets of Unicode code points as sorted, disjoint, inclusive ranges: what a regex
 * character class, `.` or `\d` stands for, in JavaScript's `u`-mode meaning. The
 * translation to the grammar engine's dialect works on these sets, never on syntax.
 */

/** Sorted, disjoint, non-adjacent `[lo, hi]` ranges (inclusive). */
export type CharSet = readonly (readonly [number, number])[];

/** The last Unicode code point. */
export const MAX_CODE_POINT = 0x10ffff;

/** Normalises any list of ranges: sorted, overlapping and adjacent ones merged. */
export function charSet(ranges: readonly (readonly [number, number])[]): CharSet {
  const sorted = ranges.filter(([lo, hi]) => lo <= hi).map(([lo, hi]) => [lo, hi] as [number, number]).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else out.push(r);
  }
  return out;
}

/** Every character in any of the sets. */
export function union(...sets: CharSet[]): CharSet {
  return charSet(sets.flat());
}

/** Every code point (U+0000-U+10FFFF) not in the set. */
export function complement(set: CharSet): CharSet {
  const out: [number, number][] = [];
  let next = 0;
  for (const [lo, hi] of set) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

/** Characters in both sets. */
export function intersect(a: CharSet, b: CharSet): CharSet {
  const out: [number, number][] = [];
  for (const [alo, ahi] of a) {
    for (const [blo, bhi] of b) {
      const lo = Math.max(alo, blo);
      const hi = Math.min(ahi, bhi);
      if (lo <= hi) out.push([lo, hi]);
    }
  }
  return charSet(out);
}

/** Characters of `a` not in `b`. */
export function subtract(a: CharSet, b: CharSet): CharSet {
  return intersect(a, complement(b));
}

/** How many characters the set holds. */
export function size(set: CharSet): number {
  return set.reduce((n, [lo, hi]) => n + hi - lo + 1, 0);
}

/** The set of one character. */
export const single = (cp: number): CharSet => [[cp, cp]];

/** `\d`. */
export const DIGIT: CharSet = [[0x30, 0x39]];
/** `\w` (ASCII letters, digits and `_`, as without the `i` flag). */
export const WORD: CharSet = charSet([[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]]);
/** ECMAScript WhiteSpace + LineTerminator (ECMA-262 §22.2.2.9, CharacterClassEscape `s`). */
export const SPACE: CharSet = charSet([
  [0x09, 0x0d], [0x20, 0x20], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a],
  [0x2028, 0x2029], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000], [0xfeff, 0xfeff],
]);
/** `.` without the `s` flag: anything but a line terminator. */
export const DOT: CharSet = complement(charSet([[0x0a, 0x0a], [0x0d, 0x0d], [0x2028, 0x2029]]));
/** UTF-16 surrogates are not characters: UTF-8 cannot carry them, so no grammar produces them. */
export const SURROGATES: CharSet = [[0xd800, 0xdfff]];
/** U+0000-U+007F. */
export const ASCII: CharSet = [[0, 0x7f]];

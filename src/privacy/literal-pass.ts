/**
 * The literal pass: once detection has named the values of a request, every other place
 * the same text occurs is hidden too, whether or not a detector would see it there
 * (`(tel:020 7946 0958)`, a value the model wrote back inside `TEL:…`, a tool argument).
 *
 * Two steps per text, both mostly native code: a RegExp of the values' first two
 * characters finds the places where a value may start, and there a Set lookup per
 * length that values with that start have, longest first, says which value is there.
 * Measured (test/node/privacy/literal-pass.test.ts, 200 KB, 2000 values): 3 to 4 ms of
 * CPU once V8 has optimized it. A 2000-way alternation of the values themselves spent
 * about 10 ms in every request, mostly compiling; a binary search over the sorted values
 * was as fast once optimized but about 20 ms on its first runs, while V8 interprets it.
 *
 * {@link literalPass} is the pass over one request, wherever it runs: in the session on
 * the page, or in the worker beside detection (see `finder.ts`), so both give the same spans.
 */
import type { RedactionType } from '../route/vocab.js';
import type { Span } from './span.js';

export interface LiteralMatch {
  start: number;
  end: number;
  value: string;
}

export interface LiteralMatcher {
  /** Non-overlapping occurrences in text order, the longest value first at each place, outside `taken` (sorted, non-overlapping). */
  matches(text: string, taken?: readonly Span[]): LiteralMatch[];
}

const ALNUM = /[\p{L}\p{N}]/u;
const DIGIT = /\p{N}/u;
const JOINS_DIGITS = '.,-';

/**
 * True when the occurrence that starts (or ends) between `outside` and `inside` is part
 * of a longer word or number: both are letters or digits (`Ann` in `Annual`, `1.2.3.4`
 * in `v1.2.3.4`), or a `.`, `,` or `-` joins two digits (`1.2.3.4` in `1.2.3.4.5`), the
 * rule the detectors follow too (`span.ts`). That is a different token, judged by the
 * detectors on its own. Anything else may border a value: `tel:020…`, `(…)`, `_K-1234_`.
 */
function joined(inside: string | undefined, outside: string | undefined, beyond: string | undefined): boolean {
  if (inside === undefined || outside === undefined) return false;
  if (ALNUM.test(inside) && ALNUM.test(outside)) return true;
  return JOINS_DIGITS.includes(outside) && beyond !== undefined && DIGIT.test(inside) && DIGIT.test(beyond);
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** `values` may repeat; empty strings are ignored. */
export function literalMatcher(values: Iterable<string>): LiteralMatcher {
  const exact = new Set<string>();
  for (const v of values) if (v.length > 0) exact.add(v);
  /** For each start (the first two characters, or the one of a one-character value): the lengths of values so starting, longest first. */
  const lengths = new Map<string, number[]>();
  for (const v of exact) {
    const start = v.slice(0, 2);
    const list = lengths.get(start) ?? [];
    if (!list.includes(v.length)) list.push(v.length);
    lengths.set(start, list);
  }
  for (const list of lengths.values()) list.sort((a, b) => b - a);
  // Two-character starts before one-character ones, so `ab` is found where both `ab` and `a` begin.
  const starts = [...lengths.keys()].sort((a, b) => b.length - a.length);
  const starter = new RegExp(starts.map(escape).join('|'), 'g');

  /** The length of the longest value at `at` that ends by `limit` and does not cut a word or number; 0 if none. */
  function longestAt(text: string, at: number, start: string, limit: number): number {
    if (joined(text[at], text[at - 1], text[at - 2])) return 0;
    const tried = start.length === 2 ? [lengths.get(start) ?? [], lengths.get(start[0] as string) ?? []] : [lengths.get(start) ?? []];
    for (const list of tried) {
      for (const length of list) {
        const end = at + length;
        if (end > limit || !exact.has(text.slice(at, end)) || joined(text[end - 1], text[end], text[end + 1])) continue;
        return length;
      }
    }
    return 0;
  }

  return {
    matches(text, taken = []) {
      const found: LiteralMatch[] = [];
      if (exact.size === 0) return found;
      let next = 0;
      for (let i = 0; i < text.length;) {
        starter.lastIndex = i;
        const hit = starter.exec(text);
        if (hit === null) break;
        const at = hit.index;
        while (taken[next] !== undefined && (taken[next] as Span).end <= at) next++;
        const gap = taken[next];
        if (gap !== undefined && at >= gap.start) {
          i = gap.end;
          continue;
        }
        const length = longestAt(text, at, hit[0], gap?.start ?? text.length);
        if (length > 0) {
          found.push({ start: at, end: at + length, value: text.slice(at, at + length) });
          i = at + length;
        } else i = at + 1;
      }
      return found;
    },
  };
}

/**
 * The literal pass over one request's texts: the detected spans (`found[i]` for
 * `texts[i]`, non-overlapping, in text order) plus every other occurrence of every
 * detected value and every `known` value, merged in text order. Every span of one value
 * carries the same type and `counted`, those the session numbers it with: a detected
 * value's from its first detected span across the texts, a value only known from the
 * type it was known as, counted.
 */
export function literalPass(texts: readonly string[], found: readonly (readonly Span[])[], known: Iterable<readonly [string, RedactionType]>): Span[][] {
  const detected = new Map<string, Span>();
  texts.forEach((text, i) => {
    for (const s of found[i] ?? []) {
      const value = text.slice(s.start, s.end);
      if (!detected.has(value)) detected.set(value, s);
    }
  });
  const knownTypes = new Map(known);
  const matcher = literalMatcher([...detected.keys(), ...knownTypes.keys()]);
  const spanOf = (start: number, end: number, value: string): Span => {
    const first = detected.get(value);
    return first ? { start, end, type: first.type, counted: first.counted } : { start, end, type: knownTypes.get(value) as RedactionType, counted: true };
  };
  return texts.map((text, i) => {
    const spans = found[i] ?? [];
    const literal = matcher.matches(text, spans);
    const all: Span[] = [];
    let next = 0;
    // Both lists are in text order and never overlap: a merge, not a sort.
    for (const s of spans) {
      while (next < literal.length && (literal[next] as LiteralMatch).start < s.start) {
        const m = literal[next++] as LiteralMatch;
        all.push(spanOf(m.start, m.end, m.value));
      }
      all.push(spanOf(s.start, s.end, text.slice(s.start, s.end)));
    }
    for (; next < literal.length; next++) {
      const m = literal[next] as LiteralMatch;
      all.push(spanOf(m.start, m.end, m.value));
    }
    return all;
  });
}

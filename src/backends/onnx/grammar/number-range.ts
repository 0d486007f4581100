/**
 * EBNF for JSON numbers within bounds. XGrammar 0.1.27 writes its own range grammars
 * wrongly (measured in test/node/structured/xgrammar-features.test.ts):
 *
 * - `{ type: 'integer', minimum: 5 }` allows 1 to 4, `minimum: -5` a bare "-",
 *   `maximum: -5` -1 to -4, and `minimum: 0, maximum: 120` allows 121 to 129;
 * - `{ type: 'number', minimum: 0, maximum: 10 }` allows 10.5; a fractional bound
 *   (`maximum: 9.5`) turns its "." into "any character" ("9é5").
 *
 * Its matcher also mishandles flat alternations whose branches share prefixes:
 * `x ::= [0-9] | [1-9] [0-9] | [1-9] [0-9] [0-9]` followed by anything accepts every
 * digit string (the classic DFA-minimisation bug, cf. xgrammar#618). So the rules here
 * are a trie: every alternation's branches start with disjoint digits, and what may
 * follow is nested inside (`[1-9] ([0-9] ([0-9])?)?`), which it handles correctly.
 *
 * Bounds are whole numbers (schema-check.ts refuses fractional bounds on `number`).
 */

type Interval = readonly [number, number];

/**
 * Suffixes still allowed: for each remaining width k, the values [lo, hi] the next k
 * digits may spell (leading zeros allowed); `fullFrom`: every suffix of that width or
 * more is allowed (no upper bound).
 */
interface State {
  widths: ReadonlyMap<number, Interval>;
  fullFrom: number | undefined;
}

/** One to six fraction digits, as XGrammar's own numbers: a random-weight model must be able to stop. */
const FRACTION = `("." [0-9] ${upTo('[0-9]', 5)})`;
const ZERO_FRACTION = `("." "0" ${upTo('"0"', 5)})`;

/** `a (a (a)?)?`: up to n more, nested (see the header). */
function upTo(atom: string, n: number): string {
  return n === 0 ? '' : `(${atom} ${upTo(atom, n - 1)})?`;
}

/** What may follow a whole integer part: for `number`, a fraction (only zeros after the upper bound itself). */
interface Tail {
  any: string;
  atUpper: string;
}

const DECIMAL_TAIL: Tail = { any: `${FRACTION}?`, atUpper: `${ZERO_FRACTION}?` };

/**
 * An EBNF expression for the numbers in [lo, hi] (whole numbers, or ±Infinity).
 * @example numberRangeEbnf(1, 12, 'integer') // '(("1" ([0-2])? | [2-9]))'
 */
export function numberRangeEbnf(lo: number, hi: number, type: 'integer' | 'number'): string {
  const tail = type === 'number' ? DECIMAL_TAIL : undefined;
  const parts: string[] = [];
  if (hi >= 0) parts.push(digits(Math.max(lo, 0), hi, tail));
  // For numbers "-0.5" is the way down from 0, so the negative side starts at magnitude 0.
  if (lo < 0) parts.push(`"-" ${digits(type === 'integer' ? Math.max(1, -hi) : Math.max(0, -hi), -lo, tail)}`);
  return `(${parts.join(' | ')})`;
}

/**
 * The non-negative integers in [a, b] without leading zeros, as a trie over digits,
 * each followed by `tail` when given.
 * @example digits(0, 20) // '("0" | "1" ([0-9])? | "2" ("0")? | [3-9])'
 */
export function digits(a: number, b: number, tail?: Tail): string {
  const upper = b === Infinity ? undefined : String(b);
  const end = (path: string): string => (tail === undefined ? '' : path === upper ? tail.atUpper : tail.any);
  const branches: string[] = [];
  if (a === 0) branches.push(`"0" ${end('0')}`.trim());
  // The first digit is 1-9; each digit d leaves suffixes of width k spelling [a - d·10^k, b - d·10^k].
  const groups = new Map<string, { state: State; path: string; ds: number[] }>();
  for (let d = 1; d <= 9; d++) {
    const state = afterLeading(d, a, b);
    if (state === undefined) continue;
    const path = String(d);
    const key = `${stateKey(state)}|${onUpper(path, upper)}`;
    const group = groups.get(key) ?? { state, path, ds: [] };
    group.ds.push(d);
    groups.set(key, group);
  }
  for (const { state, path, ds } of groups.values()) branches.push(`${digitClass(ds)} ${emit(state, path, upper, end)}`.trim());
  return `(${branches.join(' | ')})`;
}

/** Whether `path` is a prefix of the upper bound's digits: only then can it end at the upper bound. */
const onUpper = (path: string, upper: string | undefined): boolean => upper !== undefined && upper.startsWith(path);

function afterLeading(d: number, a: number, b: number): State | undefined {
  const widths = new Map<number, Interval>();
  const maxWidth = b === Infinity ? String(a).length : String(b).length;
  for (let k = 0; k < maxWidth; k++) {
    const span = 10 ** k;
    const lo = Math.max(a - d * span, 0);
    const hi = Math.min(b - d * span, span - 1);
    if (lo <= hi) widths.set(k, [lo, hi]);
  }
  const fullFrom = b === Infinity ? maxWidth : undefined;
  return widths.size > 0 || fullFrom !== undefined ? { widths, fullFrom } : undefined;
}

/** After one more digit e. */
function advance(state: State, e: number): State | undefined {
  const widths = new Map<number, Interval>();
  for (const [k, [lo, hi]] of state.widths) {
    if (k === 0) continue;
    const span = 10 ** (k - 1);
    const l = Math.max(lo - e * span, 0);
    const h = Math.min(hi - e * span, span - 1);
    if (l <= h) widths.set(k - 1, [l, h]);
  }
  const fullFrom = state.fullFrom === undefined ? undefined : Math.max(state.fullFrom - 1, 0);
  if (fullFrom !== undefined) for (const k of [...widths.keys()]) if (k >= fullFrom) widths.delete(k);
  return widths.size > 0 || fullFrom !== undefined ? { widths, fullFrom } : undefined;
}

function accepts(state: State): boolean {
  return state.fullFrom === 0 || state.widths.has(0);
}

/**
 * What may follow `path`: more digits, or (when the number may end here) the tail, whose
 * "." cannot be confused with a digit. '' when nothing may follow.
 */
function emit(state: State, path: string, upper: string | undefined, end: (path: string) => string): string {
  if (state.fullFrom === 0) return `[0-9]* ${end('')}`.trim();
  const groups = new Map<string, { next: State; path: string; ds: number[] }>();
  for (let e = 0; e <= 9; e++) {
    const next = advance(state, e);
    if (next === undefined) continue;
    const nextPath = path + String(e);
    const key = `${stateKey(next)}|${onUpper(nextPath, upper)}`;
    const group = groups.get(key) ?? { next, path: nextPath, ds: [] };
    group.ds.push(e);
    groups.set(key, group);
  }
  const branches = [...groups.values()].map(({ next, path: p, ds }) => `${digitClass(ds)} ${emit(next, p, upper, end)}`.trim());
  if (!accepts(state)) return `(${branches.join(' | ')})`;
  const tail = end(path);
  if (branches.length === 0) return tail;
  // The tail is optional itself, so "nothing more" is one of its own choices.
  return tail === '' ? `(${branches.join(' | ')})?` : `(${branches.join(' | ')} | ${tail.replace(/\?$/, '')})?`;
}

function stateKey(s: State): string {
  return `${[...s.widths].map(([k, [lo, hi]]) => `${k}:${lo}-${hi}`).join(',')}|${s.fullFrom ?? ''}`;
}

/** Digits as a class of runs: [0-2] or [2-5] or "7" or [13] (never empty). */
function digitClass(ds: readonly number[]): string {
  if (ds.length === 1) return `"${ds[0]!}"`;
  const runs: string[] = [];
  for (let i = 0; i < ds.length; i++) {
    let j = i;
    while (j + 1 < ds.length && ds[j + 1] === ds[j]! + 1) j++;
    runs.push(j === i ? `${ds[i]!}` : `${ds[i]!}-${ds[j]!}`);
    i = j;
  }
  return `[${runs.join('')}]`;
}

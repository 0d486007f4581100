/**
 * Parses the subset of JavaScript (`u`-mode) regular expressions that both sides can
 * honour: the grammar engine, which matches a pattern against the whole output while
 * tokens are chosen, and `RegExp`, which checks the final text. Constructs only one side
 * has (lookarounds, backreferences, `\b`, `\p{…}`, inline flags, anchors in the middle)
 * are refused with the feature's name, so a request fails before any token instead of
 * being silently enforced differently.
 */
import { charSet, complement, DIGIT, DOT, single, SPACE, union, WORD, type CharSet } from './charset.js';

export type RegexNode =
  | { readonly kind: 'alt'; readonly options: readonly RegexNode[] }
  | { readonly kind: 'seq'; readonly items: readonly RegexNode[] }
  | { readonly kind: 'repeat'; readonly body: RegexNode; readonly min: number; readonly max: number }
  | { readonly kind: 'char'; readonly cp: number }
  /**
   * `set`: what JavaScript matches. `listed`: the characters and ranges written out in
   * the class (not those from `\\s`, `.` or negation), for the grammar's non-ASCII rule
   * (to-xgrammar.ts).
   */
  | { readonly kind: 'set'; readonly set: CharSet; readonly listed: CharSet };

/** Why a pattern is refused; the name goes to `details.feature`. */
export type RegexFeature =
  | 'regex_syntax' | 'lookaround' | 'backreference' | 'word_boundary' | 'unicode_property'
  | 'inline_flags' | 'anchor' | 'repetition_too_large';

export interface RegexRefusal {
  feature: RegexFeature;
  /** Offset in the pattern (UTF-16 units). */
  index: number;
  message: string;
}

export type ParsedRegex = { ok: true; ast: RegexNode } | { ok: false; refusal: RegexRefusal };

/**
 * Bounded repetitions are unrolled by the grammar engine; past this a pattern costs
 * seconds and megabytes to compile, and no small model needs it.
 */
export const MAX_REPEAT = 1000;

class Refused extends Error {
  constructor(readonly refusal: RegexRefusal) {
    super(refusal.message);
  }
}

const refuse = (feature: RegexFeature, index: number, message: string): never => {
  throw new Refused({ feature, index, message });
};

/**
 * @example
 * parseRegex('\\d{4}-\\d{2}')  // { ok: true, ast: … }
 * parseRegex('(?=a)a')         // { ok: false, refusal: { feature: 'lookaround', … } }
 */
export function parseRegex(pattern: string): ParsedRegex {
  const modifier = inlineModifier(pattern);
  if (modifier >= 0) return { ok: false, refusal: { feature: 'inline_flags', index: modifier, message: 'inline modifiers such as (?i:…) are not supported' } };
  try {
    // RegExp is CSP-safe (no code generation); it gives the exact syntax errors for free.
    new RegExp(pattern, 'u');
  } catch (e) {
    return { ok: false, refusal: { feature: 'regex_syntax', index: 0, message: `not a valid JavaScript regular expression (u flag): ${e instanceof Error ? e.message : String(e)}` } };
  }
  try {
    const p = new Parser(pattern);
    const ast = p.alternation(0);
    if (!p.eof()) refuse('regex_syntax', p.pos, 'unexpected character');
    return { ok: true, ast };
  } catch (e) {
    if (e instanceof Refused) return { ok: false, refusal: e.refusal };
    throw e;
  }
}

/**
 * Where a `(?i:` style modifier group starts, or -1. Looked for before the syntax check,
 * which depends on the engine: Chrome 125+ knows these groups, Node 20 does not.
 */
function inlineModifier(src: string): number {
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(' && src[i + 1] === '?' && /[a-zA-Z-]/.test(src[i + 2] ?? '')) return i;
  }
  return -1;
}

class Parser {
  pos = 0;
  constructor(private readonly src: string) {}

  eof(): boolean {
    return this.pos >= this.src.length;
  }
  private peek(offset = 0): string {
    return this.src[this.pos + offset] ?? '';
  }
  private startsWith(s: string): boolean {
    return this.src.startsWith(s, this.pos);
  }

  alternation(depth: number): RegexNode {
    const options = [this.sequence(depth)];
    while (this.peek() === '|') {
      this.pos++;
      options.push(this.sequence(depth));
    }
    return options.length === 1 ? options[0]! : { kind: 'alt', options };
  }

  private sequence(depth: number): RegexNode {
    const items: RegexNode[] = [];
    const start = this.pos;
    while (!this.eof() && this.peek() !== '|' && this.peek() !== ')') {
      const c = this.peek();
      if (c === '^') {
        // The whole output is matched, so a leading `^` says nothing; anywhere else it
        // is an assertion the grammar engine ignores (it matches "a^b" against "ab").
        if (depth !== 0 || this.pos !== start) refuse('anchor', this.pos, '`^` is only supported at the start of the pattern');
        this.pos++;
        continue;
      }
      if (c === '$') {
        const next = this.peek(1);
        if (depth !== 0 || (next !== '' && next !== '|')) refuse('anchor', this.pos, '`$` is only supported at the end of the pattern');
        this.pos++;
        continue;
      }
      items.push(this.quantified(this.atom(depth)));
    }
    return items.length === 1 ? items[0]! : { kind: 'seq', items };
  }

  private quantified(body: RegexNode): RegexNode {
    const at = this.pos;
    let min: number;
    let max: number;
    const c = this.peek();
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos));
      if (!m) return body; // unreachable in u-mode: a lone `{` is a syntax error
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      this.pos += m[0].length - 1;
    } else return body;
    this.pos++;
    if (this.peek() === '?') this.pos++; // lazy: the same language when the whole text must match
    if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) refuse('repetition_too_large', at, `repetition counts above ${MAX_REPEAT} are not supported`);
    return { kind: 'repeat', body, min, max };
  }

  private atom(depth: number): RegexNode {
    const at = this.pos;
    const c = this.peek();
    if (c === '(') {
      if (this.startsWith('(?=') || this.startsWith('(?!') || this.startsWith('(?<=') || this.startsWith('(?<!')) {
        refuse('lookaround', at, 'lookahead and lookbehind are not supported by the grammar engine');
      }
      if (this.startsWith('(?:')) this.pos += 3;
      else if (this.startsWith('(?<')) this.pos = this.src.indexOf('>', this.pos) + 1;
      else if (this.startsWith('(?')) refuse('inline_flags', at, 'inline modifiers such as (?i:…) are not supported');
      else this.pos++;
      const body = this.alternation(depth + 1);
      this.pos++; // ')', guaranteed by the RegExp syntax check
      return body;
    }
    if (c === '[') return this.charClass();
    if (c === '.') {
      this.pos++;
      return { kind: 'set', set: DOT, listed: [] };
    }
    if (c === '\\') {
      const e = this.escape(false);
      return e.kind === 'char' ? e : { kind: 'set', set: e.set, listed: [] };
    }
    const cp = this.src.codePointAt(this.pos)!;
    this.pos += cp > 0xffff ? 2 : 1;
    return { kind: 'char', cp };
  }

  /** After `\`. In a class, `\b` is backspace and `\-` a hyphen. */
  private escape(inClass: boolean): { kind: 'char'; cp: number } | { kind: 'set'; set: CharSet } {
    const at = this.pos;
    this.pos++;
    const c = this.peek();
    this.pos++;
    const char = (cp: number): { kind: 'char'; cp: number } => ({ kind: 'char', cp });
    switch (c) {
      case 'd': return { kind: 'set', set: DIGIT };
      case 'D': return { kind: 'set', set: complement(DIGIT) };
      case 'w': return { kind: 'set', set: WORD };
      case 'W': return { kind: 'set', set: complement(WORD) };
      case 's': return { kind: 'set', set: SPACE };
      case 'S': return { kind: 'set', set: complement(SPACE) };
      case 'f': return char(0x0c);
      case 'n': return char(0x0a);
      case 'r': return char(0x0d);
      case 't': return char(0x09);
      case 'v': return char(0x0b);
      case '0': return char(0);
      case 'c': return char(this.src.charCodeAt(this.pos++) % 32);
      case 'x': {
        const cp = parseInt(this.src.slice(this.pos, this.pos + 2), 16);
        this.pos += 2;
        return char(cp);
      }
      case 'u': return char(this.unicodeEscape());
      case 'b':
        if (inClass) return char(0x08);
        return refuse('word_boundary', at, '\\b is not supported by the grammar engine');
      case 'B': return refuse('word_boundary', at, '\\B is not supported by the grammar engine');
      case 'k': return refuse('backreference', at, 'backreferences are not supported by the grammar engine');
      case 'p':
      case 'P': return refuse('unicode_property', at, 'Unicode property escapes (\\p{…}) are not supported by the grammar engine; list the characters in a class');
      default:
        if (c >= '1' && c <= '9') return refuse('backreference', at, 'backreferences are not supported by the grammar engine');
        // An identity escape (`\.`, `\/`, `\-`, …): the character itself.
        return char(c.codePointAt(0)!);
    }
  }

  /** After `\u`: `{…}`, or four hex digits, joined with a following low surrogate. */
  private unicodeEscape(): number {
    if (this.peek() === '{') {
      const end = this.src.indexOf('}', this.pos);
      const cp = parseInt(this.src.slice(this.pos + 1, end), 16);
      this.pos = end + 1;
      return cp;
    }
    const hi = parseInt(this.src.slice(this.pos, this.pos + 4), 16);
    this.pos += 4;
    if (hi >= 0xd800 && hi <= 0xdbff && /^\\u[dD][c-fC-F][0-9a-fA-F]{2}/.test(this.src.slice(this.pos))) {
      const lo = parseInt(this.src.slice(this.pos + 2, this.pos + 6), 16);
      this.pos += 6;
      return 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
    }
    return hi;
  }

  private charClass(): RegexNode {
    this.pos++; // '['
    const negated = this.peek() === '^';
    if (negated) this.pos++;
    const parts: CharSet[] = [];
    const listed: CharSet[] = [];
    while (this.peek() !== ']') {
      const lo = this.classAtom();
      if (this.peek() === '-' && this.peek(1) !== ']' && lo.kind === 'char') {
        this.pos++;
        const hi = this.classAtom();
        // u-mode rejects class escapes as range ends, so `hi` is a character here.
        const range = charSet([[lo.cp, hi.kind === 'char' ? hi.cp : lo.cp]]);
        parts.push(range);
        listed.push(range);
      } else if (lo.kind === 'char') {
        parts.push(single(lo.cp));
        listed.push(single(lo.cp));
      } else parts.push(lo.set);
    }
    this.pos++; // ']'
    const set = union(...parts);
    return { kind: 'set', set: negated ? complement(set) : set, listed: union(...listed) };
  }

  private classAtom(): { kind: 'char'; cp: number } | { kind: 'set'; set: CharSet } {
    if (this.peek() === '\\') return this.escape(true);
    const cp = this.src.codePointAt(this.pos)!;
    this.pos += cp > 0xffff ? 2 : 1;
    return { kind: 'char', cp };
  }
}

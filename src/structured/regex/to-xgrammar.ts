/**
 * Writes a parsed pattern in the regex dialect XGrammar compiles, so that every string
 * the grammar lets through also passes the JavaScript `RegExp` that validates the final
 * output. Measured against @mlc-ai/web-xgrammar 0.1.27 (test/node/structured):
 *
 * - its `.` matches any single byte, newline included, so `.`, `\S`, `\W`, `\D` and
 *   negated classes are always written as explicit classes;
 * - its classes work for ASCII only: `[^é]` accepts "é" and `[\u0080-\U0010FFFF]`
 *   accepts nothing; and three or more alternatives of multi-byte characters mix up
 *   their bytes (`a(\u3000|\u2000|\u2001)x` lets "a、x", U+3001, through). So `.`,
 *   class escapes and negated classes match ASCII only here (stricter than the pattern,
 *   never looser), and a class may list one non-ASCII character, written as a literal;
 *   more is refused;
 * - its `\x` takes every hex digit that follows (`\x2fbf` is U+2FBF), so an escape is
 *   always followed by `-`, `\` or `]`;
 * - inside a JSON Schema `pattern` it does not escape: `"`, `\` and control characters
 *   come out raw and break the JSON, so in `json_string` context they are written as
 *   their JSON escapes (`\"`, `\\`, `\u00XX`).
 */
import { ASCII, intersect, size, subtract, SURROGATES, charSet, type CharSet } from './charset.js';
import type { RegexNode } from './parse.js';

/** `raw`: the whole output; `json_string`: the inside of a JSON string (a schema's `pattern`). */
export type RegexContext = 'raw' | 'json_string';

/** Non-ASCII characters one class may list (see the header). */
export const MAX_LISTED_NON_ASCII = 1;

/** What JSON must escape inside a string (RFC 8259 §7). */
const JSON_ESCAPED: CharSet = charSet([[0x00, 0x1f], [0x22, 0x22], [0x5c, 0x5c]]);

/** The translated pattern, or why the grammar engine cannot match it. */
export type EmitResult = { ok: true; pattern: string } | { ok: false; message: string };

/**
 * @example
 * const parsed = parseRegex('[a-z]+');
 * if (parsed.ok) toXGrammarRegex(parsed.ast, 'raw'); // { ok: true, pattern: '[\\x61-\\x7a]+' }
 */
export function toXGrammarRegex(ast: RegexNode, context: RegexContext): EmitResult {
  try {
    // A top-level alternation is parenthesised: XGrammar puts a JSON pattern between
    // quotes as it is, so "a|b" would read as `"\"" a | b "\""`.
    return { ok: true, pattern: group(ast, context) };
  } catch (e) {
    if (e instanceof Unsatisfiable) return { ok: false, message: e.message };
    throw e;
  }
}

class Unsatisfiable extends Error {}

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');
const byteEscape = (cp: number): string => `\\x${hex2(cp)}`;

function emit(node: RegexNode, ctx: RegexContext): string {
  switch (node.kind) {
    case 'alt': return node.options.map((o) => emit(o, ctx)).join('|');
    case 'seq': return node.items.map((n) => group(n, ctx)).join('');
    case 'repeat': {
      const body = atomic(node.body, ctx);
      const { min, max } = node;
      if (min === 0 && max === Infinity) return `${body}*`;
      if (min === 1 && max === Infinity) return `${body}+`;
      if (min === 0 && max === 1) return `${body}?`;
      if (max === Infinity) return `${body}{${min},}`;
      return min === max ? `${body}{${min}}` : `${body}{${min},${max}}`;
    }
    case 'char': return literal(node.cp, ctx);
    case 'set': return charClass(node.set, node.listed, ctx);
    default: {
      const never: never = node;
      return never;
    }
  }
}

/** An alternation inside a sequence needs its parentheses back. */
function group(node: RegexNode, ctx: RegexContext): string {
  return node.kind === 'alt' ? `(${emit(node, ctx)})` : emit(node, ctx);
}

/** A quantifier applies to one atom: anything longer is wrapped. */
function atomic(node: RegexNode, ctx: RegexContext): string {
  const s = emit(node, ctx);
  return /^(\[[^\]]*\]|[A-Za-z0-9])$/.test(s) ? s : `(${s})`;
}

function literal(cp: number, ctx: RegexContext): string {
  if (ctx === 'json_string' && intersect([[cp, cp]], JSON_ESCAPED).length > 0) return jsonEscape(cp);
  if (cp >= 0x80) return String.fromCodePoint(cp);
  // In a class of its own: XGrammar reads `\x` greedily ("\x2ea" is U+02EA, not ".a").
  return /[A-Za-z0-9]/.test(String.fromCharCode(cp)) ? String.fromCharCode(cp) : `[${byteEscape(cp)}]`;
}

/** The JSON text of a character that must be escaped, as a pattern over that text. */
function jsonEscape(cp: number): string {
  if (cp === 0x22) return '\\x5c\\x22';
  if (cp === 0x5c) return '\\x5c\\x5c';
  return `\\x5cu00${hex2(cp)}`;
}

function charClass(input: CharSet, listed: CharSet, ctx: RegexContext): string {
  const set = subtract(input, SURROGATES);
  const pieces: string[] = [];
  let ascii = intersect(set, ASCII);
  if (ctx === 'json_string') {
    const escaped = intersect(ascii, JSON_ESCAPED);
    ascii = subtract(ascii, JSON_ESCAPED);
    if (escaped.length > 0) pieces.push(...escapedAlternatives(escaped));
  }
  if (ascii.length > 0) pieces.unshift(`[${ascii.map(([lo, hi]) => (lo === hi ? byteEscape(lo) : `${byteEscape(lo)}-${byteEscape(hi)}`)).join('')}]`);
  const nonAscii = subtract(intersect(set, listed), ASCII);
  if (size(nonAscii) > MAX_LISTED_NON_ASCII) {
    throw new Unsatisfiable('a character class lists several non-ASCII characters, which the grammar engine (XGrammar 0.1.27) mixes up; list at most one per class, or write the words out');
  }
  for (const [lo] of nonAscii) pieces.push(String.fromCodePoint(lo));
  if (pieces.length === 0) {
    throw new Unsatisfiable('a character class matches only non-ASCII characters the grammar engine cannot list (from \\s, . or a negated class); write the character itself');
  }
  return pieces.length === 1 ? pieces[0]! : `(${pieces.join('|')})`;
}

/** `"` and `\` as themselves escaped; the control characters as `\u00XX`, compactly when all are in. */
function escapedAlternatives(escaped: CharSet): string[] {
  const out: string[] = [];
  const controls = intersect(escaped, [[0x00, 0x1f]]);
  if (size(controls) === 32) out.push('\\x5cu00[\\x30\\x31][\\x30-\\x39\\x61-\\x66]');
  else for (const [lo, hi] of controls) for (let cp = lo; cp <= hi; cp++) out.push(jsonEscape(cp));
  if (intersect(escaped, [[0x22, 0x22]]).length > 0) out.push(jsonEscape(0x22));
  if (intersect(escaped, [[0x5c, 0x5c]]).length > 0) out.push(jsonEscape(0x5c));
  return out;
}

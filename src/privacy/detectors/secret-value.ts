/**
 * Reading the value after a secret's label: the separator (`=`, `:`, `:=`, a CLI flag's
 * space, a `value="…"` attribute, prose "is"), then a quoted or bare value. Values that
 * only stand for a secret (empty, `***`, `${PASSWORD}`, `<password>`, `[REDACTED]`, a type
 * name or an expression in pasted code) are not one, and come back `undefined`.
 */

export interface LabelValue {
  start: number;
  end: number;
  text: string;
  quoted: boolean;
  /** `assign`: after `=` or `:`; `loose`: after a space or "is", where the value must look like a password. */
  form: 'assign' | 'loose';
}

const BLANK = /[ \t]*/y;
const XML_VALUE = /[ \t]+value[ \t]*=[ \t]*/iy;
const IS = /[ \t]+(?:is|was|ist|lautet|est|es)[ \t]+/iy;
const FLAG_SPACE = /[ \t]+/y;
/** A bare value ends at whitespace, a quote, a list or statement separator, or a closing bracket. */
const BARE = /[^\s"'`,;<>)\]}]{1,512}/y;
/** `&name=` after a bare value starts the next form field (`password=x&remember=1`). */
const NEXT_FIELD = /&[A-Za-z_][\w.-]*=/;
const QUOTE_MAX = 1024;

const MASK = /^[*•xX#.?_…:-]+$/;
/** Stand-ins and references: `${X}`, `$X`, `{{ x }}`, `%X%`, `<x>`, `[REDACTED]`, `#{x}`, and paths or regex literals (`/…`). */
const TEMPLATE = /^(?:\$[{(]|\$[A-Za-z_]\w*$|\{|%|<|\[|#\{|\/)/;
const STAND_INS = new Set([
  'null', 'none', 'nil', 'undefined', 'true', 'false', 'redacted', 'hidden', 'masked', 'removed', 'omitted', 'required',
  'optional', 'string', 'str', 'number', 'int', 'integer', 'bool', 'boolean', 'any', 'text', 'varchar', 'bytes', 'char',
  'secretstr', 'object', 'unknown', 'void', 'env', 'example', 'placeholder', 'empty',
  // A variable passed on in code: `connect(user=user, password=password)`, `{ password: pwd }`.
  'password', 'passwd', 'pwd', 'pass', 'passphrase',
]);
/** `process.env.DB_PASSWORD`, `settings.SECRET_KEY`: a reference in code, not the value. */
export const DOTTED_PATH = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/;

function sticky(pattern: RegExp, text: string, at: number): number {
  pattern.lastIndex = at;
  return pattern.test(text) ? pattern.lastIndex : -1;
}

/**
 * Which separators besides `=` and `:` a label accepts: `flag`, a space after a CLI flag
 * (`--password x`); `prose`, that too after a password word, and "is" (`my password is …`).
 */
export type Looseness = 'none' | 'flag' | 'prose';

/**
 * The value after the label `text[labelStart, labelEnd)`. `password`: the label names a
 * password, so an XML `value="…"` attribute after it counts too.
 */
export function readValue(text: string, labelStart: number, labelEnd: number, password: boolean, loose: Looseness): LabelValue | undefined {
  const at = separatorEnd(text, labelStart, labelEnd, password, loose);
  if (at === undefined) return undefined;
  const value = at.quote ? quotedAt(text, at.index) : bareAt(text, at.index);
  if (value === undefined || standsIn(value.text, value.quoted)) return undefined;
  const result = { ...value, form: at.form };
  if (result.form === 'loose' && !looksLikePassword(result.text, at.spaced)) return undefined;
  // "Password: at least 12 characters": a bare word followed by more words is prose, not a value.
  if (!result.quoted && /^[\p{L}]+$/u.test(result.text) && /^ \p{L}/u.test(text.slice(result.end, result.end + 2))) return undefined;
  return result;
}

/**
 * Without `=` or `:` the value must look made up: not a word, and after a bare space
 * (`password Hunter2024`) a digit among other characters, not `password 3 times`.
 */
function looksLikePassword(value: string, spaced: boolean): boolean {
  if (value.length < 4 || /^[\p{L}]+$/u.test(value)) return false;
  return !spaced || (/\d/.test(value) && /\D/.test(value));
}

/** Where the value starts, after the separator; `undefined` when the label is not assigned. */
export function separatorEnd(
  text: string, labelStart: number, labelEnd: number, password: boolean, loose: Looseness,
): { index: number; quote: boolean; form: LabelValue['form']; spaced: boolean } | undefined {
  let i = labelEnd;
  // A quote closes the label only when one opened it: `"password": …`, not `"Valid password" : …`.
  const closing = (text[i] === '"' || text[i] === "'") && text[labelStart - 1] === text[i];
  if (closing) i++;
  // Markdown bold or italic around the label: `**Password**: …`.
  else while (text[i] === '*' && i - labelEnd < 2) i++;
  let form: LabelValue['form'] = 'assign';
  let spaced = false;
  const afterBlank = sticky(BLANK, text, i);
  const ch = text[afterBlank];
  const next = text[afterBlank + 1];
  // `"passwd:gecos"`: a namespaced symbol inside one string, not a label and its value.
  if (ch === ':' && !closing && afterBlank === i && /^["']$/.test(text[labelStart - 1] ?? '') && /[A-Za-z]/.test(next ?? '')) return undefined;
  if (ch === ':' && next !== ':' && next !== '/') {
    i = afterBlank + (next === '=' ? 2 : 1);
  } else if (ch === '=' && next !== '=' && next !== '>' && next !== '~') {
    i = afterBlank + 1;
  } else if (password && closing && sticky(XML_VALUE, text, i) !== -1) {
    i = XML_VALUE.lastIndex;
  } else if (loose === 'prose' && !closing && sticky(IS, text, i) !== -1) {
    i = IS.lastIndex;
    form = 'loose';
  } else if (loose !== 'none' && !closing && sticky(FLAG_SPACE, text, i) !== -1) {
    i = FLAG_SPACE.lastIndex;
    form = 'loose';
    spaced = loose === 'prose';
  } else {
    return undefined;
  }
  i = sticky(BLANK, text, i);
  const q = text[i];
  return { index: i, quote: q === '"' || q === "'" || q === '`', form, spaced };
}

function quotedAt(text: string, open: number): Omit<LabelValue, 'form'> | undefined {
  const quote = text[open];
  for (let j = open + 1; j < text.length && j - open < QUOTE_MAX; j++) {
    const ch = text[j];
    if (ch === '\\') j++;
    else if (ch === '\n') return undefined;
    else if (ch === quote) return { start: open + 1, end: j, text: text.slice(open + 1, j), quoted: true };
  }
  return undefined;
}

function bareAt(text: string, at: number): Omit<LabelValue, 'form'> | undefined {
  BARE.lastIndex = at;
  const m = BARE.exec(text);
  if (m === null) return undefined;
  let value = m[0];
  const field = NEXT_FIELD.exec(value);
  if (field !== null) value = value.slice(0, field.index);
  // A sentence may end right after the value: "password=hunter2." keeps the full stop out.
  if (value.length > 1) value = value.replace(/[.:]+$/, '');
  return { start: at, end: at + value.length, text: value, quoted: false };
}

/** `IDataType`, `SecureString`: a type in pasted code (`password: IDataType`), not a value. */
const TYPE_NAME = /^(?:I[A-Z][A-Za-z]+|[A-Z][a-z]+(?:[A-Z][a-z]*)+)$/;
/** `master_user_password`, `call_assertion_pass_hook`: a variable or constant in pasted code. */
const IDENTIFIER = /^[A-Za-z]+(?:[_-][A-Za-z]+)+$/;
/** `FORCE_CHANGE_PASSWORD`, `no-password-required`: an enum or option named after the label. */
const NAMED_AFTER_LABEL = /^[A-Za-z_-]*pass(?:word|wd)[A-Za-z_-]*$/i;
/** `challengePassword`: a camel-case name with the label as one of its humps. */
const CAMEL_AFTER_LABEL = /^[a-z]+(?:[A-Z][a-z]*)*Pass(?:word|wd)?(?:[A-Z][a-z]*)*$/;

function standsIn(value: string, quoted: boolean): boolean {
  if (value.trim() === '' || MASK.test(value) || TEMPLATE.test(value) || value.includes('...') || value.includes('…')) return true;
  if ((NAMED_AFTER_LABEL.test(value) && /[_-]/.test(value)) || CAMEL_AFTER_LABEL.test(value)) return true;
  // An AWS resource name, or a sentence describing the value ("The password for the … user").
  if (value.startsWith('arn:') || (value.match(/ /g)?.length ?? 0) >= 5) return true;
  const lower = value.toLowerCase();
  if (STAND_INS.has(lower) || lower.replace(/[-_ ]/g, '').startsWith('your')) return true;
  // Bare, these are code: a short name (`password=pw`), a call or index (`getenv(…)`, `m[2]`),
  // a field path, a type or a snake_case identifier. Quoted, any of them may be the password.
  return !quoted && (value.length < 3 || value.includes('(') || value.includes('[') || DOTTED_PATH.test(value) || TYPE_NAME.test(value) || IDENTIFIER.test(value));
}

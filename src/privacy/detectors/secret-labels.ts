/**
 * Secrets that have no shape of their own and are known by their label: password
 * assignments (`DB_PASSWORD=…`, `"password": "…"`, `--password …`, `pass:` in YAML),
 * keys and tokens under a secret name (`api_key = "…"`, `X-Api-Key: …`,
 * `aws_secret_access_key = …`), and authorization header values. Only the value is
 * hidden; the label stays, so the model still knows what was there.
 */
import type { Span } from '../span.js';
import { DOTTED_PATH, readValue, separatorEnd, type LabelValue } from './secret-value.js';

type LabelKind = 'password' | 'short' | 'token' | 'authorization';

/** Stems of every label we judge; the whole label around a hit decides. */
const STEM = /pass|pwd|secret|token|key|authorization|credential|contrase|senha/gi;
/** `=`, `:`, `"`, `'`, space, tab and the `*` of Markdown emphasis. */
const FOLLOWS_LABEL = new Set([61, 58, 34, 39, 32, 9, 42]);
const LABEL_MAX = 64;
/** Endings of a password label, lower-cased with `-`, `_` and `.` removed. */
const PASSWORD_ENDINGS = ['password', 'passwort', 'passwd', 'passphrase', 'passcode', 'contraseña', 'contrasena', 'senha'];
/** `pass` and `pwd` end many words (bypass, compass): they count only as a whole word or after `_`, `-`, `.` or a camel-case step. */
const SHORT_PASSWORDS = ['pass', 'pwd'];
/** Endings of a key or token label (`client_secret`, `X-Auth-Token`, `SecretAccessKey`). */
const TOKEN_ENDINGS = [
  'secret', 'token', 'apikey', 'accesskey', 'secretkey', 'privatekey', 'accountkey', 'authkey', 'signingkey',
  'encryptionkey', 'masterkey', 'privkey', 'secretkeybase', 'credential', 'credentials',
];
const AUTHORIZATION = new Set(['authorization', 'proxyauthorization']);
const DOC_TAG = /[:@](?:param|arg|type|argument)\s+$/;
const NOT_CREDENTIALS = /(?:next|page|pagination|continuation|client|clientrequest|change|idempotency|sync|cancellation|resume|start|max|request)tokens?$/;

export function findLabelled(text: string, found: Span[]): void {
  STEM.lastIndex = 0;
  for (let m = STEM.exec(text); m !== null; m = STEM.exec(text)) {
    const stemEnd = m.index + m[0].length;
    let end = stemEnd;
    while (end < text.length && end - m.index < LABEL_MAX && isLabelChar(text.charCodeAt(end))) end++;
    // A full stop or dash after the label ends the sentence or starts the value, it is not part of the name.
    while (end > stemEnd && (text[end - 1] === '.' || text[end - 1] === '-')) end--;
    STEM.lastIndex = end;
    // Most hits are prose ("the key idea"): only a separator, a closing quote or a space can follow a label.
    if (!FOLLOWS_LABEL.has(text.charCodeAt(end))) continue;
    let start = m.index;
    while (start > 0 && m.index - start < LABEL_MAX && isLabelChar(text.charCodeAt(start - 1))) start--;
    // `arn:aws:secretsmanager:…:secret:Name`: a segment of a resource name, not a label;
    // `:param password: …`, `@param password …`: documentation of a parameter.
    if (text[start - 1] === ':' || DOC_TAG.test(text.slice(Math.max(0, start - 10), start))) continue;
    const raw = text.slice(start, end);
    const kind = kindOf(raw);
    if (kind === undefined) continue;
    if (kind === 'authorization') {
      const at = separatorEnd(text, start, end, false, 'none');
      const span = at === undefined ? undefined : credentialAt(text, at.index);
      if (span !== undefined) found.push({ ...span, type: 'secret', counted: true });
      continue;
    }
    const flag = raw.startsWith('-');
    const value = readValue(text, start, end, kind !== 'token', kind === 'token' ? 'none' : flag ? 'flag' : kind === 'password' ? 'prose' : 'none');
    if (value === undefined || !keep(kind, raw, value) || passesVariable(text, start, raw, value)) continue;
    // `'password=' + value`: the label and its `=` are a string literal of their own, and the quote after them closes it.
    const q = text[start - 1];
    if (value.quoted && (q === '"' || q === "'" || q === '`') && text[end] !== q && text[value.start - 1] === q) continue;
    found.push({ start: value.start, end: value.end, type: 'secret', counted: true });
  }
}

/** Letters, digits, `_`, `.`, `-` and the `ñ` of contraseña. */
function isLabelChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95 || code === 46 || code === 45 || code === 241;
}

/**
 * Code that hands a variable on: `self.password = user`, `username, password = parts`,
 * `userid = passwd = acct`. A bare lower-case word after an object's field or inside a
 * multiple assignment names a variable; in a config file (`password = hunter`) it is the value.
 */
function passesVariable(text: string, start: number, raw: string, value: LabelValue): boolean {
  if (value.quoted || !/^[a-z]+$/.test(value.text)) return false;
  if (/^(?:self|this|cls|obj)\./.test(raw) || raw.startsWith('@')) return true;
  const before = text.slice(Math.max(0, start - 2), start);
  return before === ', ' || before === '= ';
}

function kindOf(raw: string): LabelKind | undefined {
  const label = raw.replace(/^-+/, '');
  const name = label.toLowerCase().replace(/[-_.]/g, '');
  // .NET's publicKeyToken and other public keys are published on purpose; paging and
  // idempotency tokens (AWS `NextToken`, `ClientRequestToken`) grant nothing.
  if (name.includes('public') || NOT_CREDENTIALS.test(name)) return undefined;
  if (AUTHORIZATION.has(name)) return 'authorization';
  if (PASSWORD_ENDINGS.some((e) => name.endsWith(e))) return 'password';
  for (const short of SHORT_PASSWORDS) {
    if (!name.endsWith(short)) continue;
    const at = label.length - short.length;
    const before = label[at - 1];
    const first = label[at] ?? '';
    if (before === undefined || '-_.'.includes(before) || (/[a-z0-9]/.test(before) && /[A-Z]/.test(first))) return 'short';
  }
  if (TOKEN_ENDINGS.some((e) => name.endsWith(e))) return 'token';
  return undefined;
}

/**
 * Key and token values are random: long enough, with letters and digits, no spaces. The
 * short labels need more than a bare count (`pass: 12` in a test report) or a directory
 * (`PWD=/home/ci`, the shell's working directory).
 */
function keep(kind: LabelKind, raw: string, value: LabelValue): boolean {
  const v = value.text;
  if (kind === 'password') return true;
  if (kind === 'short') return v.length >= 4 && !/^\d+$/.test(v) && !(/pwd$/i.test(raw) && /^[/~]/.test(v));
  return v.length >= 8 && !/\s/.test(v) && /[A-Za-z]/.test(v) && /\d/.test(v);
}

const SCHEME = /^(?:bearer|basic|token|bot|apikey|api-key|sso-key|ssws|oauth|negotiate|ntlm|aws4-hmac-sha256)[ \t]+/i;
const SNAKE_CASE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$/;
const CREDENTIAL = /^[A-Za-z0-9._~+/=:-]{8,4096}/;

/** The credential of an `Authorization` value starting at `at`, after its scheme: `Bearer <hidden>`. */
function credentialAt(text: string, at: number): { start: number; end: number } | undefined {
  const open = text[at] === '"' || text[at] === "'" || text[at] === '`' ? at + 1 : at;
  const rest = text.slice(open, open + 4200);
  const scheme = SCHEME.exec(rest);
  const offset = scheme === null ? 0 : scheme[0].length;
  const credential = CREDENTIAL.exec(rest.slice(offset));
  if (credential === null) return undefined;
  const token = credential[0];
  // A word ("Bearer realm", "Authorization: Required") is prose; a random credential has digits or runs long.
  // `req.headers.authorization` and a bare `auth_token` are code that passes one on.
  if (/^[A-Za-z]{1,19}$/.test(token) || DOTTED_PATH.test(token) || (open === at && SNAKE_CASE.test(token))) return undefined;
  return { start: open + offset, end: open + offset + token.length };
}

/** A bearer token written without its header: "send it with Bearer abc…123". */
const BEARER = /\b[Bb]earer[ \t]+([A-Za-z0-9._~+/-]{20,4096}=*)/g;

export function findBareBearer(text: string, found: Span[]): void {
  if (!text.includes('earer')) return;
  BEARER.lastIndex = 0;
  for (let m = BEARER.exec(text); m !== null; m = BEARER.exec(text)) {
    const token = m[1] ?? '';
    if (!/\d/.test(token) || !/[A-Za-z]/.test(token) || /[A-Za-z0-9_]/.test(text[m.index + m[0].length] ?? '')) continue;
    const start = m.index + m[0].length - token.length;
    found.push({ start, end: start + token.length, type: 'secret', counted: true });
  }
}

/**
 * URLs that carry a credential: a password in the user info (`https://u:pw@host`,
 * `postgres://app:pw@db/prod`), a token-like user name (`https://ghp_…@github.com`), or a
 * query or fragment parameter whose name says it is a secret (`?api_key=…`,
 * `#access_token=…`, `X-Amz-Signature=…`), or a path that is itself the credential: a
 * chat webhook (Slack, Discord, Teams), a Telegram bot token (`/bot123:AA…/`), a JWT, or a
 * random-looking segment after a step that mails one out (`/reset-password/8f14e4…`,
 * `/invite/Zx9Kq2…`): whoever holds such a link can act as its owner. The whole URL is
 * hidden: a host and path next to a hidden token still tell the cloud whose resource it
 * is. Ordinary URLs pass, long paths with commit hashes and numeric IDs included. A URL
 * pasted without its scheme (`app.example.com/reset?token=…`) counts when its host has a
 * top-level domain.
 */
import type { Detector } from '../span.js';

/** A URL runs from its start (below) up to whitespace or a delimiter, CJK and guillemet quotes and full stops included. */
const URL_BODY = /[^\s<>"'`|«»「」『』。、…，；（）]+/y;
const SCHEME_CHAR = /[A-Za-z0-9+.-]/;
const LETTER = /[A-Za-z]/;
/** Longest scheme we look back over for a `://` (`mongodb+srv` is 11). */
const MAX_SCHEME = 20;
/** Punctuation that ends the sentence rather than the URL. */
const TRAILING = /[.,;:!?'"*_]+$/;
/** Parameter names, lower-cased with `-`, `_` and `.` removed, that are secrets on their own. */
const SECRET_NAMES = new Set([
  'token', 'accesstoken', 'apikey', 'key', 'secret', 'password', 'passwd', 'pwd', 'pass', 'sig', 'signature',
  'auth', 'session', 'sessionid', 'sid', 'code', 'jwt', 'credential', 'credentials', 'otp',
  'ticket', 'authorization', 'bearer', 'passcode', 'hmac', 'authcode', 'accesscode', 'resetcode',
  'confirmationcode', 'verificationcode', 'activationcode', 'magiclink', 'pin', 'pincode', 'passphrase', 'csrf', 'xsrf', 'ott',
  'samlresponse', 'samlrequest',
]);
/** …and endings that make any name a secret (`refresh_token`, `client_secret`, `X-Amz-Signature`, `PHPSESSID`). */
const SECRET_ENDINGS = [
  'token', 'secret', 'password', 'signature', 'apikey', 'accesskey', 'privatekey', 'secretkey', 'sessionid', 'sessid', 'credential',
  'authkey', 'appkey', 'clientkey', 'licensekey', 'signingkey', 'sharedkey', 'assertion',
];
/** A user name this long with no password is a token in disguise (GitHub and GitLab clone URLs). */
const TOKEN_USER_LENGTH = 20;
/** Hosts and path starts where the path is the credential: Slack, Discord and Microsoft Teams incoming webhooks. */
const WEBHOOKS: readonly (readonly [host: RegExp, path: string])[] = [
  [/^hooks\.slack\.com$/, '/services/'],
  [/^(?:\w+\.)?discord(?:app)?\.com$/, '/api/webhooks/'],
  [/(?:^|\.)(?:outlook\.office|webhook\.office)\.com$/, '/webhook'],
];
/** Path steps that mail out a link whose next segments are the credential (lower-cased, `-` and `_` removed). */
const TOKEN_STEPS = new Set([
  'reset', 'resetpassword', 'passwordreset', 'verify', 'verifyemail', 'verification', 'confirm', 'confirmemail', 'activate',
  'activation', 'magic', 'magiclink', 'loginlink', 'invite', 'invitation', 'invitations', 'token', 'tokens', 'webhook', 'webhooks',
]);
/** `bot<id>:<35 characters>`, the form of every Telegram bot token. */
const TELEGRAM_BOT = /^bot\d{5,}:[\w-]{30,}$/;
const JWT = /^eyJ[\w-]{5,}\.eyJ[\w-]{5,}\.[\w-]*$/;
/** A segment that reads as random: 16+ URL-safe characters with letters and at least three digits (not `getting-started-v2`). */
const RANDOM_SEGMENT = /^(?=(?:[^\d]*\d){3})(?=[^A-Za-z]*[A-Za-z])[\w-]{16,}$/;

export const findSecretUrls: Detector = (text, found) => {
  let covered = 0;
  for (const start of urlStarts(text)) {
    // A URL inside the one before it (`?next=https://…`) was judged with it.
    if (start < covered) continue;
    URL_BODY.lastIndex = start;
    const body = URL_BODY.exec(text);
    if (body === null) continue;
    const whole = cutAtUnopened(body[0]);
    covered = start + whole.length;
    const url = trimEnd(whole);
    if (hasSecret(url)) found.push({ start, end: start + url.length, type: 'secret_url', counted: true });
  }
};

/**
 * Where URLs start, in text order: any scheme before a `://` (`https`, `wss`, `postgres`,
 * `mongodb+srv` …) or a bare `www.`. Found from the `://` and the `www.` outwards: a regex
 * for the scheme would try up to 20 characters from every letter of the text.
 */
function urlStarts(text: string): number[] {
  const starts: number[] = [];
  for (let at = text.indexOf('://'); at !== -1; at = text.indexOf('://', at + 3)) {
    let start = at;
    while (start > 0 && at - start < MAX_SCHEME && SCHEME_CHAR.test(text[start - 1] ?? '')) start--;
    while (start < at && !LETTER.test(text[start] ?? '')) start++;
    if (start < at) starts.push(start);
  }
  for (let at = text.indexOf('www.'); at !== -1; at = text.indexOf('www.', at + 4)) starts.push(at);
  if (text.includes('=')) starts.push(...schemelessStarts(text));
  return starts.sort((a, b) => a - b);
}

/** A host name with a top-level domain and maybe a port, as the whole authority of a URL typed without a scheme. */
const BARE_HOST = /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,63}(?::\d{1,5})?$/;
/** What a scheme-less host and path are made of, walking back from the `?`; a `:` only before a port. */
const HOST_PATH_CHAR = /[A-Za-z0-9._~%/+-]/;

/**
 * `app.example.com/reset?token=…` pasted without `https://`: a host name, then a query or
 * fragment. Found from each `?` and `#` backwards, never past the previous one, so a run of
 * them costs one pass.
 */
function schemelessStarts(text: string): number[] {
  const starts: number[] = [];
  let floor = 0;
  for (const mark of text.matchAll(/[?#]/g)) {
    let start = mark.index;
    while (start > floor && (HOST_PATH_CHAR.test(text[start - 1] ?? '') || (text[start - 1] === ':' && /\d/.test(text[start] ?? '')))) start--;
    floor = mark.index + 1;
    const head = text.slice(start, mark.index);
    const slash = head.indexOf('/');
    if (BARE_HOST.test(slash === -1 ? head : head.slice(0, slash))) starts.push(start);
  }
  return starts;
}

/** A `)` or `]` the URL did not open ends it: `[![badge](https://x/b.svg?token=…)](https://x/)` holds two URLs. */
function cutAtUnopened(body: string): string {
  let parens = 0;
  let brackets = 0;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '(') parens++;
    else if (ch === '[') brackets++;
    else if ((ch === ')' && --parens < 0) || (ch === ']' && --brackets < 0)) return body.slice(0, i);
  }
  return body;
}

function trimEnd(url: string): string {
  let out = url.replace(TRAILING, '');
  // A closing bracket belongs to the URL only when the URL opened it: "(see https://x/a?key=1)".
  for (const [open, close] of [['(', ')'], ['[', ']'], ['{', '}']] as const) {
    while (out.endsWith(close) && out.split(close).length > out.split(open).length) out = out.slice(0, -1).replace(TRAILING, '');
  }
  return out;
}

export function hasSecret(url: string): boolean {
  const schemeEnd = url.indexOf('://');
  const rest = schemeEnd === -1 ? url : url.slice(schemeEnd + 3);
  const authority = rest.slice(0, rest.search(/[/?#]|$/));
  const at = authority.lastIndexOf('@');
  if (at > 0) {
    const userInfo = authority.slice(0, at);
    const colon = userInfo.indexOf(':');
    if (colon !== -1 ? colon < userInfo.length - 1 : userInfo.length >= TOKEN_USER_LENGTH) return true;
  }
  if (pathIsSecret(authority.slice(at + 1).replace(/:\d*$/, '').toLowerCase(), rest.slice(authority.length))) return true;
  const query = rest.slice(authority.length).search(/[?#;]/);
  if (query === -1) return false;
  return rest
    .slice(authority.length + query + 1)
    .split(/[?&#;]/)
    .some((param) => {
      const eq = param.indexOf('=');
      return eq > 0 && eq < param.length - 1 && isSecretName(param.slice(0, eq));
    });
}

function isSecretName(raw: string): boolean {
  let name = raw;
  try { name = decodeURIComponent(raw); } catch { /* a malformed escape: judge the raw name */ }
  name = name.toLowerCase().replace(/[-_.[\]]/g, '');
  return SECRET_NAMES.has(name) || SECRET_ENDINGS.some((ending) => name.endsWith(ending));
}

/** Whether the path (with what follows it) of a URL on `host` carries a credential by itself. */
function pathIsSecret(host: string, afterHost: string): boolean {
  const end = afterHost.search(/[?#;]/);
  const path = end === -1 ? afterHost : afterHost.slice(0, end);
  if (path.length < 2) return false;
  if (WEBHOOKS.some(([hostPattern, start]) => hostPattern.test(host) && path.startsWith(start) && path.length > start.length + 8)) return true;
  let afterStep = false;
  for (const segment of path.split('/')) {
    // A token ends where its characters do: `/reset/AbC123…,` in a CSV row, `/invite/Zx9…&w=1`.
    const token = /^[\w:.-]*/.exec(segment)?.[0] ?? '';
    if (TELEGRAM_BOT.test(token) || JWT.test(token) || (afterStep && RANDOM_SEGMENT.test(/^[\w-]*/.exec(token)?.[0] ?? ''))) return true;
    if (TOKEN_STEPS.has(segment.toLowerCase().replace(/[-_]/g, ''))) afterStep = true;
  }
  return false;
}

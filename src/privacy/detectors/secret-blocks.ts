/**
 * Secrets known by their frame rather than their characters: PEM private keys (the whole
 * block), chat webhook URLs whose path is the credential, and the user and password of a
 * connection string.
 */
import type { Span } from '../span.js';

/** RFC 7468 labels: `PRIVATE KEY`, `RSA PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`, `OPENSSH PRIVATE KEY`, PGP's `PRIVATE KEY BLOCK`. */
const PEM_BEGIN = /-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----/g;
const PEM_END = /^-----END (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----/;
/** A 16384-bit RSA key is about 12 KB in PEM; PGP blocks with subkeys run longer. */
const PEM_MAX = 64 * 1024;
/** The shortest private key (an Ed25519 seed in PKCS #8) is 64 base64 characters; a body of a few is documentation. */
const PEM_MIN_BODY = 40;
/**
 * The lines of a block: whole lines of base64, RFC 1421 and OpenPGP armor headers
 * (`Proc-Type: …`, `Version: …`) and blank lines, after real or escaped (`\n`) breaks.
 * Any other line ends the block.
 */
const PEM_BODY = /(?:(?:\r?\n|\\n)[ \t]*(?:[A-Za-z0-9+/=]{1,8192}(?=[ \t]*(?:\r?\n|\\n|$))|[A-Za-z-]{1,20}: [^\r\n\\]{0,200})?)*/y;

export function findPemKeys(text: string, found: Span[]): void {
  if (!text.includes('PRIVATE KEY')) return;
  PEM_BEGIN.lastIndex = 0;
  for (let m = PEM_BEGIN.exec(text); m !== null; m = PEM_BEGIN.exec(text)) {
    const start = m.index;
    const bodyStart = start + m[0].length;
    let end = -1;
    for (let at = text.indexOf('-----END ', bodyStart); at !== -1 && at - start < PEM_MAX; at = text.indexOf('-----END ', at + 1)) {
      const close = PEM_END.exec(text.slice(at, at + 80));
      if (close !== null) { end = at + close[0].length; break; }
    }
    // What there is of the body when the END line is missing, or when prose stands between
    // the two lines (documentation naming the markers: "a file with '-----BEGIN …' and '-----END …'").
    PEM_BODY.lastIndex = bodyStart;
    PEM_BODY.test(text);
    const body = text.slice(bodyStart, PEM_BODY.lastIndex).replace(/(?:\s|\\n)+$/, '');
    if (end === -1 || !/^(?:\s|\\n)*-----END /.test(text.slice(bodyStart + body.length, end))) end = bodyStart + body.length;
    if (body.replace(/\s|\\n/g, '').length < PEM_MIN_BODY) continue;
    found.push({ start, end, type: 'secret', counted: true });
    PEM_BEGIN.lastIndex = end;
  }
}

/** Incoming webhooks of Slack, Discord and Microsoft Teams: the path alone lets anyone post. */
const WEBHOOK = /https?:\/\/(?:hooks\.slack\.com\/(?:services|workflows|triggers)\/|(?:(?:canary|ptb)\.)?discord(?:app)?\.com\/api\/webhooks\/|[\w-]+\.webhook\.office\.com\/webhookb2\/|outlook\.office(?:365)?\.com\/webhook\/)[^\s<>"'`]{8,2048}/g;
/** Punctuation that ends the sentence rather than the URL; the same rule as the secret_url detector, so the two find the same span. */
const TRAILING = /[.,;:!?'"*_]+$/;

export function findWebhooks(text: string, found: Span[]): void {
  if (!text.includes('hook')) return;
  WEBHOOK.lastIndex = 0;
  for (let m = WEBHOOK.exec(text); m !== null; m = WEBHOOK.exec(text)) {
    found.push({ start: m.index, end: m.index + trimEnd(m[0]).length, type: 'secret', counted: true });
  }
}

function trimEnd(url: string): string {
  let out = url.replace(TRAILING, '');
  // A closing bracket belongs to the URL only when the URL opened it: "(see https://…/B1/x)".
  for (const [open, close] of [['(', ')'], ['[', ']'], ['{', '}']] as const) {
    while (out.endsWith(close) && out.split(close).length > out.split(open).length) out = out.slice(0, -1).replace(TRAILING, '');
  }
  return out;
}

/** `user:password@` right after `scheme://`. */
const USER_INFO = /([^\s:@/?#'"<>[\]]{0,128}):([^\s@/?#'"<>[\]]{1,256})@/y;
const SCHEME_CHAR = /[A-Za-z0-9+.-]/;

/**
 * The credentials of `postgres://app:pw@db/prod` and its kin. The secret_url detector
 * hides such URLs whole; this span keeps the user and password hidden when an app turns
 * that type off (`types: ['secret']`).
 */
export function findUrlCredentials(text: string, found: Span[]): void {
  for (let at = text.indexOf('://'); at !== -1; at = text.indexOf('://', at + 3)) {
    if (!SCHEME_CHAR.test(text[at - 1] ?? '')) continue;
    USER_INFO.lastIndex = at + 3;
    const m = USER_INFO.exec(text);
    if (m === null) continue;
    const user = m[1] ?? '';
    const password = m[2] ?? '';
    // Documentation writes the parts' names or a mask: `https://user:password@host`, `u:****@`, `u:${PW}@`.
    if (/^(?:\*+|x+|\$\{?\w+\}?|pass(?:word|wd)?|pwd|secret)$/i.test(password)) continue;
    const start = user === '' ? at + 4 : at + 3;
    found.push({ start, end: at + 3 + user.length + 1 + password.length, type: 'secret', counted: true });
  }
}

/** `curl -u user:pass`, `--user=user:pass`, `wget --http-password …` is a label; this is the pair form. */
const CLI_USER = /(?:^|\s)(?:-u|--user|--proxy-user)(?:\s+|=)(["']?)([^\s:"']{1,64}):([^\s"']{3,256})\1/g;

/** The password half of a command line's `user:password` pair; the user name stays, as in a URL. */
export function findCliCredentials(text: string, found: Span[]): void {
  if (!text.includes('-u') && !text.includes('-user')) return;
  CLI_USER.lastIndex = 0;
  for (const m of text.matchAll(CLI_USER)) {
    const password = m[3] ?? '';
    if (/^(?:\*+|x+|\$\{?\w+\}?|pass(?:word|wd)?|pwd|secret|<[^>]*>)$/i.test(password)) continue;
    const end = m.index + m[0].length - (m[1] ?? '').length;
    found.push({ start: end - password.length, end, type: 'secret', counted: true });
  }
}

/**
 * Provider credentials recognised by their own prefix and shape: the formats each
 * provider documents (or that its secret-scanning partners publish), with a check on the
 * characters where a prefix alone could be a CSS class or an identifier.
 */
import { isWordChar, type Span } from '../span.js';

interface TokenRule {
  /** A literal every match contains; the pattern is not run on text without it. */
  hint: string;
  /** Global; the whole match is the secret. */
  pattern: RegExp;
  /** Extra structure the pattern cannot say; `text` and `start` allow a look at the context. */
  valid?: (token: string, text: string, start: number) => boolean;
}

const UPPER = /[A-Z]/;
const LOWER = /[a-z]/;
const DIGIT = /\d/;

/** Random keys mix character classes; `sk-button-primary-large` does not. */
function classes(token: string): number {
  return Number(UPPER.test(token)) + Number(LOWER.test(token)) + Number(DIGIT.test(token));
}

const TWILIO_CONTEXT = /twilio|account_?sid|api_?key_?sid/i;
/** How far around a Twilio SID its context word may be. */
const TWILIO_WINDOW = 120;

/** Discord bot tokens start with the bot's user ID (a snowflake, 17 to 20 digits) in base64. */
function isSnowflakeBase64(token: string): boolean {
  const first = token.slice(0, token.indexOf('.'));
  try {
    return /^\d{17,20}$/.test(atob(first.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (first.length % 4)) % 4)));
  } catch {
    return false;
  }
}

export const TOKEN_RULES: readonly TokenRule[] = [
  // OpenAI (sk-, sk-proj-, sk-svcacct-, sk-admin-), Anthropic (sk-ant-api03-…), and the
  // 32-hex `sk-` keys of OpenAI-compatible hosts such as DeepSeek.
  {
    hint: 'sk-',
    pattern: /sk-(?:(?:proj|svcacct|admin|None|ant-[a-z]{2,5}\d\d)-)?[A-Za-z0-9_-]{20,300}/g,
    valid: (t) => classes(t.slice(3)) === 3 || /^sk-[0-9a-f]{32,}$/.test(t),
  },
  // AWS access key IDs: long-term (AKIA), temporary (ASIA), and the two service prefixes.
  { hint: 'A', pattern: /(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}/g },
  { hint: 'gh', pattern: /gh[pousr]_[A-Za-z0-9]{36,251}/g },
  { hint: 'github_pat_', pattern: /github_pat_[A-Za-z0-9_]{50,255}/g },
  { hint: 'gl', pattern: /gl(?:pat|dt|rt|ptt|cbt|ft|soat|oas)-[A-Za-z0-9_-]{20,64}/g, valid: (t) => classes(t.slice(t.indexOf('-'))) >= 2 },
  { hint: 'xox', pattern: /xox[abposr]-[A-Za-z0-9-]{10,250}/g, valid: (t) => DIGIT.test(t.slice(5)) },
  { hint: 'xapp-', pattern: /xapp-\d-[A-Za-z0-9-]{20,250}/g },
  // Stripe secret and restricted keys; test-mode ones too, as they read the account's test data. Publishable pk_ keys are public.
  { hint: 'k_', pattern: /[sr]k_(?:live|test)_[A-Za-z0-9]{10,250}/g, valid: (t) => classes(t.slice(8)) >= 2 },
  // A Slack incoming-webhook path without its host (`SLACK_HOOK_PATH=/services/T…/B…/…`); with the host, the whole URL is hidden.
  { hint: '/services/T', pattern: /\/services\/T[A-Z0-9]{8,12}\/B[A-Z0-9]{8,12}\/[A-Za-z0-9]{24}/g },
  { hint: 'whsec_', pattern: /whsec_[A-Za-z0-9+/=]{20,100}/g },
  { hint: 'AIza', pattern: /AIza[A-Za-z0-9_-]{35}/g },
  { hint: 'ya29.', pattern: /ya29\.[A-Za-z0-9_-]{20,2048}/g },
  { hint: 'GOCSPX-', pattern: /GOCSPX-[A-Za-z0-9_-]{28}/g },
  { hint: 'npm_', pattern: /npm_[A-Za-z0-9]{36}/g },
  { hint: 'hf_', pattern: /hf_[A-Za-z0-9]{30,40}/g, valid: (t) => UPPER.test(t) && LOWER.test(t.slice(3)) },
  { hint: 'SG.', pattern: /SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}/g },
  // Twilio SIDs are 32 hex digits after SK or AC; alone they could be any hash, so a context word must be near.
  {
    hint: '',
    pattern: /(?:SK|AC)[0-9a-f]{32}/g,
    valid: (_t, text, start) => TWILIO_CONTEXT.test(text.slice(Math.max(0, start - TWILIO_WINDOW), start + 34 + TWILIO_WINDOW)),
  },
  { hint: '.', pattern: /[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40}/g, valid: isSnowflakeBase64 },
  // Telegram: the bot's numeric ID, a colon, 35 characters that start with AA.
  { hint: ':AA', pattern: /\d{8,10}:AA[A-Za-z0-9_-]{33}/g },
  // JWTs: three base64url parts, the first two JSON objects (`{"` is `eyJ`); an unsigned one ends in a dot.
  { hint: 'eyJ', pattern: /eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g },
];

/** A token character: more of one means the match is part of something longer. */
function isTokenChar(ch: string | undefined): boolean {
  return ch !== undefined && (isWordChar(ch) || ch === '-');
}

/** Telegram bot URLs glue the token to `bot` (`/bot123:AA…/sendMessage`). */
function gluedToBot(text: string, start: number): boolean {
  return text.slice(start - 3, start) === 'bot' && !isTokenChar(text[start - 4]);
}

export function findTokens(text: string, found: Span[]): void {
  for (const rule of TOKEN_RULES) {
    if (!text.includes(rule.hint)) continue;
    rule.pattern.lastIndex = 0;
    for (let m = rule.pattern.exec(text); m !== null; m = rule.pattern.exec(text)) {
      const start = m.index;
      const end = start + m[0].length;
      if (isTokenChar(text[end]) || (isTokenChar(text[start - 1]) && !gluedToBot(text, start))) continue;
      if (rule.valid !== undefined && !rule.valid(m[0], text, start)) continue;
      found.push({ start, end, type: 'secret', counted: true });
      if (m[0].startsWith('AKIA') || m[0].startsWith('ASIA')) findAwsSecretNear(text, start, end, found);
    }
  }
}

/** 40 base64 characters: an AWS secret access key (it has no prefix of its own). */
const AWS_SECRET = /[A-Za-z0-9/+]{40}/g;
/** How far from its key ID the secret key may be: the next line or two of a credentials file or a JSON object. */
const AWS_WINDOW = 300;

/** The secret access key printed next to an access key ID, in any order. */
function findAwsSecretNear(text: string, start: number, end: number, found: Span[]): void {
  const from = Math.max(0, start - AWS_WINDOW);
  const window = text.slice(from, end + AWS_WINDOW);
  AWS_SECRET.lastIndex = 0;
  for (let m = AWS_SECRET.exec(window); m !== null; m = AWS_SECRET.exec(window)) {
    const before = window[m.index - 1];
    const after = window[m.index + 40];
    if (before !== undefined && /[A-Za-z0-9/+=]/.test(before)) continue;
    if (after !== undefined && /[A-Za-z0-9/+=]/.test(after)) continue;
    // Git hashes are 40 hex digits; a random base64 key mixes cases and digits.
    if (classes(m[0]) === 3) found.push({ start: from + m.index, end: from + m.index + 40, type: 'secret', counted: true });
  }
}

import { describe, expect, it } from 'vitest';
import { createRedactionSession } from '../../../src/privacy/index.js';
import { detectorsFor, findSpans } from '../../../src/privacy/find.js';
import { NEAR_MISSES_SECRETS } from '../../corpus/near-misses-secrets.js';
import { PII_CORPUS } from '../../corpus/pii.js';
import { SECRETS } from '../../corpus/secrets.js';

function redact(text: string, types?: readonly ('secret' | 'secret_url')[]): string {
  return createRedactionSession(types === undefined ? {} : { types: [...types] }).redactText(text);
}

/** The share of items whose value no longer appears once redacted. */
function recall(items: readonly { value: string; context: string }[]): number {
  return items.filter((item) => !redact(item.context).includes(item.value)).length / items.length;
}

describe('secrets in context', () => {
  it(`hides every corpus value (recall ≥ 99.5% of ${SECRETS.length})`, () => {
    const r = recall(SECRETS);
    console.log(`secrets: recall ${(r * 100).toFixed(1)}% of ${SECRETS.length}`);
    expect(SECRETS.length).toBeGreaterThanOrEqual(70);
    expect(r).toBeGreaterThanOrEqual(0.995);
  });

  it.each(SECRETS.map((item) => [item.value.slice(0, 40), item]))('hides %s… as one secret and nothing else', (_v, item) => {
    expect(redact(item.context)).toBe(item.context.replace(item.value, '[SECRET_1]'));
  });

  it('keeps the corpus honest: JWTs decode to JSON, AIza keys are 39 characters, GitHub tokens 40', () => {
    for (const { value } of SECRETS) {
      if (value.startsWith('eyJ')) for (const part of value.split('.').slice(0, 2)) expect(() => JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/'))), value).not.toThrow();
      if (value.startsWith('AIza')) expect(value).toHaveLength(39);
      if (/^gh[pousr]_/.test(value)) expect(value).toHaveLength(40);
    }
  });
});

describe('what a secret span covers', () => {
  it('hides the value of a password assignment, not its label', () => {
    expect(redact('DB_PASSWORD=hunter22 and PORT=5432')).toBe('DB_PASSWORD=[SECRET_1] and PORT=5432');
    expect(redact('{"user": "app", "password": "p\\"w0rd"}')).toBe('{"user": "app", "password": "[SECRET_1]"}');
  });

  it('hides the credential of an Authorization header and keeps its scheme', () => {
    expect(redact("curl -H 'Authorization: Bearer abc123def456ghi789' https://api.example.com")).toBe(
      "curl -H 'Authorization: Bearer [SECRET_1]' https://api.example.com",
    );
  });

  it('hides a PEM key whole, and what there is of one whose END line is missing', () => {
    const body = 'MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\nKUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQ';
    expect(redact(`key:\n-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----\nbye`)).toBe('key:\n[SECRET_1]\nbye');
    expect(redact(`-----BEGIN PRIVATE KEY-----\n${body}\n\nIs this the right key?`)).toBe('[SECRET_1]\n\nIs this the right key?');
  });

  it('finds an AWS secret access key next to its key ID, without a label', () => {
    const text = 'creds: AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    expect(redact(text)).toBe('creds: [SECRET_1] [SECRET_2]');
    // A git hash near a key ID is not its secret.
    expect(redact('AKIAIOSFODNN7EXAMPLE rotated in 9fceb02d0ae598e95dc970b74767f19372d61af8')).toBe(
      '[SECRET_1] rotated in 9fceb02d0ae598e95dc970b74767f19372d61af8',
    );
  });

  it('hides connection-string credentials: the whole URL by default, user and password with secret_url off', () => {
    expect(redact('DATABASE_URL=postgres://app:Pa55w0rd@db.example.com:5432/prod')).toBe('DATABASE_URL=[SECRET_URL_1]');
    expect(redact('DATABASE_URL=postgres://app:Pa55w0rd@db.example.com:5432/prod', ['secret'])).toBe(
      'DATABASE_URL=postgres://[SECRET_1]@db.example.com:5432/prod',
    );
    expect(redact('redis://:s3cr3t@cache:6379', ['secret'])).toBe('redis://:[SECRET_1]@cache:6379');
  });

  it('hides a webhook URL whole as a secret, even when secret_url is off', () => {
    const hook = 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX';
    expect(redact(`POST to ${hook}.`)).toBe('POST to [SECRET_1].');
    expect(redact(`POST to ${hook}.`, ['secret'])).toBe('POST to [SECRET_1].');
  });

  it('hides a Slack webhook path given without its host, and a PGP private key block', () => {
    expect(redact('SLACK_HOOK_PATH=/services/T0A1B2C3D/B4E5F6G7H8/AbCdEfGhIjKlMnOpQrStUvWx')).toBe('SLACK_HOOK_PATH=[SECRET_1]');
    const pgp = '-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBF0abcdEFGHijklMNOPqrstUVWXyz0123456789+/abcdEFGH\n=ab12\n-----END PGP PRIVATE KEY BLOCK-----';
    expect(redact(`my key:\n${pgp}\n`)).toBe('my key:\n[SECRET_1]\n');
  });

  it('finds a Telegram token glued to "bot" in an API URL when secret_url is off', () => {
    expect(redact('https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0/getMe', ['secret'])).toBe(
      'https://api.telegram.org/bot[SECRET_1]/getMe',
    );
  });

  it('does not cut a token out of a longer identifier', () => {
    expect(redact('xghp_AxSdkrZ2f0GnqyB0anruROzns2ybRf1aar9o and AKIAM7LXOBUHJOEXJ7HCX')).toBe(
      'xghp_AxSdkrZ2f0GnqyB0anruROzns2ybRf1aar9o and AKIAM7LXOBUHJOEXJ7HCX',
    );
  });
});

describe('look-alikes of secrets', () => {
  const secretMisses = NEAR_MISSES_SECRETS.filter((n) => !/Steuer|Verhoeff|NIR|PAN|passport|Aadhaar|digits|timestamp/.test(n.why));

  it(`leaves at least 99% of ${NEAR_MISSES_SECRETS.length} look-alikes unchanged`, () => {
    const unchanged = NEAR_MISSES_SECRETS.filter((n) => redact(n.text) === n.text).length / NEAR_MISSES_SECRETS.length;
    console.log(`secret and ID look-alikes: ${((1 - unchanged) * 100).toFixed(1)}% false positives of ${NEAR_MISSES_SECRETS.length}`);
    expect(NEAR_MISSES_SECRETS.length).toBeGreaterThanOrEqual(40);
    expect(unchanged).toBeGreaterThanOrEqual(0.99);
  });

  it.each(secretMisses.map((n) => [n.why, n.text]))('leaves %s unchanged: %s', (_why, text) => {
    expect(redact(text)).toBe(text);
  });
});

describe('speed', () => {
  /** About 200 KB of the whole corpus, look-alikes and prose, like a pasted log or config dump. */
  function paste(): string {
    const parts = [...PII_CORPUS.map((i) => i.context), ...NEAR_MISSES_SECRETS.map((n) => n.text)];
    const prose = 'The deploy failed again after the token rotation; see the stack trace below and the config. ';
    let out = '';
    for (let i = 0; out.length < 200_000; i++) out += `${parts[i % parts.length] ?? ''}\n${i % 3 === 0 ? prose : ''}`;
    return out;
  }

  it('runs every detector over a dense 200 KB paste in linear time (well under 300 ms of CPU; the speed itself is in the bench)', () => {
    const text = paste();
    const detectors = detectorsFor({});
    for (let i = 0; i < 3; i++) findSpans(text, detectors);
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const start = process.cpuUsage();
      findSpans(text, detectors);
      const used = process.cpuUsage(start);
      times.push((used.user + used.system) / 1000);
    }
    const sorted = [...times].sort((a, b) => a - b);
    console.log(`all detectors over ${text.length} characters: best ${sorted[0]?.toFixed(1)}, median ${sorted[3]?.toFixed(1)} ms of CPU`);
    // A guard against super-linear scans, not a speed figure: speed belongs to the bench
    // (privacy part: 17 ms at 200 KB in the page). The best run, as other processes' cache
    // traffic stretches even this process's CPU time: median 31 ms alone, 53 ms at load 8,
    // and a best of 70 ms while the rest of the suite ran beside it (a 60 ms bound failed
    // a clean-clone CI run). A quadratic scan of 200 KB would take seconds.
    expect(sorted[0]).toBeLessThan(300);
  });

  it('stays linear on long runs that look like the start of a secret', () => {
    for (const blob of ['sk-'.repeat(20_000), 'password='.repeat(10_000), 'eyJa.'.repeat(20_000), '-----BEGIN PRIVATE KEY-----\n' + 'A'.repeat(100_000), 'a:'.repeat(50_000) + '@', 'M'.repeat(60_000) + '.']) {
      const start = process.cpuUsage();
      findSpans(blob, detectorsFor({ types: ['secret', 'national_id'] }));
      const used = process.cpuUsage(start);
      expect((used.user + used.system) / 1000, blob.slice(0, 12)).toBeLessThan(200);
    }
  });
});

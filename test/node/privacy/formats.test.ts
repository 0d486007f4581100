import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { isValidIn, isValidInternational } from '../../../src/privacy/detectors/phone-validity.js';
import { createRedactionSession } from '../../../src/privacy/index.js';

function redact(text: string): string {
  return createRedactionSession().redactText(text);
}

/** Through the phone detector alone: some look-alikes below hold a secret of another type (a bot token). */
function redactPhones(text: string): string {
  return createRedactionSession({ types: ['phone'] }).redactText(text);
}

/** A fixed pseudo-random sequence, so a disagreement found once is found every run. */
function digitsSource(seed: number): (length: number, first: string) => string {
  let state = seed;
  const next = (): number => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  return (length, first) => {
    let out = first;
    while (out.length < length) out += String(Math.floor(next() * 10));
    return out;
  };
}

describe('phone validity read from the metadata', () => {
  it('agrees with libphonenumber isValid() on random national numbers of every default country', () => {
    const make = digitsSource(7);
    const disagree: string[] = [];
    for (const country of ['US', 'GB', 'DE', 'FR', 'IN', 'BR', 'JP', 'AU', 'CN', 'RU'] satisfies CountryCode[]) {
      for (let i = 0; i < 1500; i++) {
        // Half start with a trunk 0, the most common national prefix; "00…" is an international call prefix, judged elsewhere.
        const digits = make(9 + (i % 4), i % 2 === 0 ? '0' : String(1 + (i % 9)));
        if (digits.startsWith('00')) continue;
        const expected = parsePhoneNumberFromString(digits, { defaultCountry: country, extract: false })?.isValid() === true;
        if (isValidIn(country, digits) !== expected) disagree.push(`${country} ${digits}: library says ${expected}`);
      }
    }
    expect(disagree).toEqual([]);
  });

  it('agrees with libphonenumber isValid() on random international numbers, non-geographic +800/+808/+870/+878/+88x/+979 aside (not in the country plans)', () => {
    const make = digitsSource(11);
    const disagree: string[] = [];
    for (let i = 0; i < 12000; i++) {
      const digits = make(8 + (i % 7), String(1 + (i % 9)));
      if (/^(?:80[08]|87[08]|88[1-38]|979)/.test(digits)) continue;
      const expected = parsePhoneNumberFromString(`+${digits}`, { extract: false })?.isValid() === true;
      if (isValidInternational(digits) !== expected) disagree.push(`+${digits}: library says ${expected}`);
    }
    expect(disagree).toEqual([]);
  });
});

describe('phone numbers as people write them', () => {
  it.each([
    ['Mon portable : 06.12.34.56.78', 'Mon portable : [PHONE_1]'],
    ['Tel:+44 20 7946 0958', 'Tel:[PHONE_1]'],
    ['phone=0207946 0958&x=1', 'phone=[PHONE_1]&x=1'],
    ['{"phone":"4155552671"}', '{"phone":"[PHONE_1]"}'],
    ['/sms?to=%2B14155552671&body=hi', '/sms?to=[PHONE_1]&body=hi'],
    ['Call (415) 555-2671 ext. 123 today', 'Call [PHONE_1] today'],
    ['Desk 415-555-2671 x204.', 'Desk [PHONE_1].'],
    ['Cell 415\u2013555\u20132671', 'Cell [PHONE_1]'],
    ['Büro +49 (0)30 1234567', 'Büro [PHONE_1]'],
    ['Celular: (11) 91234-5678', 'Celular: [PHONE_1]'],
    ['携帯 090-1234-5678', '携帯 [PHONE_1]'],
    ['Мобильный: 8 (916) 123-45-67', 'Мобильный: [PHONE_1]'],
    ['Móvil: 612 34 56 78', 'Móvil: [PHONE_1]'],
    ['Komórka 512 345 678', 'Komórka [PHONE_1]'],
    ['call me at 4155552671', 'call me at [PHONE_1]'],
    ['<td>Phone</td><td>4155552671</td>', '<td>Phone</td><td>[PHONE_1]</td>'],
    ['value:(415) 555-2671', 'value:[PHONE_1]'],
    ['call me at (4155552671)', 'call me at [PHONE_1]'],
  ])('hides %j', (text, expected) => {
    expect(redact(text)).toBe(expected);
  });

  it.each([
    '1 2 3 4 5 6 7 8 9 10',
    'Overflow at 2147483647',
    'ISBN 0306406152',
    'See 0-306-40615-2',
    'ISBN 978 0 306 40615 7',
    'Downloaded 1 073 741 824 bytes',
    'Answer: 42 42 42 42 42',
    'Chrome 126.0.6478.127',
    'TELEGRAM_BOT_TOKEN=5308618555:AAfakefakefake',
    'order_id=4155552671',
    'Stand: 06.12.2024',
    'Call volume was 123 456 789 yesterday',
    'SMS sent: 12345678',
    'cell_count=12345678',
    'gamma = 0.5772156649',
    "Decimal('+35236450.6')",
    'x 0.8188 0.2458 y',
    'Physical Review E 71, 036108 (2005)',
  ])('leaves %j alone', (text) => {
    expect(redactPhones(text)).toBe(text);
  });
});

describe('emails', () => {
  it('keep an apostrophe inside the local part, and leave quotes around it outside', () => {
    expect(redact("Email kevin.o'brien@example.com or 'jane@example.org'")).toBe("Email [EMAIL_1] or '[EMAIL_2]'");
  });

  it('accept a bracketed at and dot, not the bare words', () => {
    expect(redact('jane [at] example [dot] com, meet jane at example dot com')).toBe('[EMAIL_1], meet jane at example dot com');
  });

  it('are not image assets, package versions, local mailboxes or git remotes', () => {
    const text = 'icon@2x.png logo@3x.jpg pkg@1.2.3 root@localhost git@github.com:org/repo.git git+ssh://git@github.com/org/repo';
    expect(redact(text)).toBe(text);
  });
});

describe('cards, IBANs and national IDs with any separator', () => {
  it.each([
    ['Card 4111.1111.1111.1111', 'Card [CARD_1]'],
    ['Card 4111  1111  1111  1111', 'Card [CARD_1]'],
    ['Card 4111\u20141111\u20141111\u20141111', 'Card [CARD_1]'],
    ['Card 4111 1111 1111 1111 0927', 'Card [CARD_1] 0927'],
    ['IBAN FR76\u202F3000\u202F6000\u202F0112\u202F3456\u202F7890\u202F189', 'IBAN [IBAN_1]'],
    ['Konto DE89-3704-0044-0532-0130-00.', 'Konto [IBAN_1].'],
    ['SSN 123 45 6789, 123.45.6789, 123\u201345\u20136789', 'SSN [NATIONAL_ID_1], [NATIONAL_ID_2], [NATIONAL_ID_3]'],
    ['SSN: 078051120', 'SSN: [NATIONAL_ID_1]'],
    ['NI ab 12 34 56 c and AB-12-34-56-C', 'NI [NATIONAL_ID_1] and [NATIONAL_ID_2]'],
  ])('hides %j', (text, expected) => {
    expect(redact(text)).toBe(expected);
  });

  it.each([
    'Order 4001 2345 6789 0123 4567',
    'Serial SN-4111111111111111-X',
    'Expires 1718064000123',
    'Zip 123456789 and hash ab123456c',
    'SSN 123 45 0000',
    'zeta2 = 1.6449340668482264',
  ])('leaves %j alone', (text) => {
    expect(redact(text)).toBe(text);
  });
});

describe('IP addresses', () => {
  it('take each address of a list or range written without spaces', () => {
    expect(redact('XFF: 203.0.113.5,198.51.100.7; range 203.0.113.5-203.0.113.10')).toBe('XFF: [IP_1],[IP_2]; range [IP_1]-[IP_3]');
    // A last octet alone after a dash reads as a package version's revision.
    expect(redact('1.2.3.4.5 and 9,1.2.3.4 and libfoo 1.2.5.1-2')).toBe('1.2.3.4.5 and 9,1.2.3.4 and libfoo 1.2.5.1-2');
  });

  it('take the address after a label and its colon', () => {
    expect(redact('IP:2001:db8::1 IPv6:2001:db8::5 addr:203.0.113.9')).toBe('IP:[IP_1] IPv6:[IP_2] addr:[IP_3]');
  });

  it('leave addresses that name no host, and code shaped like IPv6', () => {
    const text = '0.0.0.0 127.0.0.1 255.255.255.0 255.255.255.255 ::1 10.0.0.0/8 Cafe::Add std::vector 1:2:3:4:5:6:7:8 rows[1::2] s[::2]';
    expect(redact(text)).toBe(text);
  });

  it('hide private addresses: they map a network from inside', () => {
    expect(redact('db at 10.1.2.3 and 192.168.1.20')).toBe('db at [IP_1] and [IP_2]');
  });
});

describe('secret URLs whose path is the credential', () => {
  it.each([
    'https://api.telegram.org/bot123456789:AAHfakeTokenFAKEtoken1234567890abcde/getMe',
    'https://example.com/reset-password/8f14e45fceea167a5a36dedd4bea2543',
    'https://example.com/auth/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln',
    'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
  ])('hides %s', (url) => {
    expect(redact(`see ${url} now`)).toMatch(/^see \[SECRET(?:_URL)?_1\] now$/);
  });

  it('end at a bracket they did not open, so a markdown badge and its link are two URLs', () => {
    expect(redact('[![cov](https://codecov.io/gh/o/r/badge.svg?token=MHTC)](https://example.com/r?token=abc)')).toBe('[![cov]([SECRET_URL_1])]([SECRET_URL_2])');
  });

  it('count without their scheme when the host has a top-level domain, port and markup around them included', () => {
    expect(redact('go to **app.example.com/reset?token=abc123** or «example.com:8080/a?api_key=x»')).toBe('go to **[SECRET_URL_1]** or «[SECRET_URL_2]»');
    expect(redact('value:example.com?token=x, a,example.com/r/?sig=1,b')).toBe('value:[SECRET_URL_1], a,[SECRET_URL_2]');
  });

  it('lets commit, issue and numeric paths through', () => {
    const text = 'https://github.com/org/repo/commit/9fceb02d0ae598e95dc970b74767f19372d61af8 https://example.com/verify/docs/getting-started-v2';
    expect(redact(text)).toBe(text);
  });
});

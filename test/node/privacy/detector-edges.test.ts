import { describe, expect, it } from 'vitest';
import { createRedactionSession } from '../../../src/privacy/index.js';

function redact(text: string): string {
  return createRedactionSession().redactText(text);
}

describe('where a value starts and ends', () => {
  it('leaves sentence punctuation outside an email', () => {
    expect(redact('Write to jane@example.com. Or .jane@example.org!')).toBe('Write to [EMAIL_1]. Or .[EMAIL_2]!');
  });

  it('leaves sentence punctuation and unopened brackets outside a secret URL', () => {
    expect(redact('Use https://example.com/a?token=abc.')).toBe('Use [SECRET_URL_1].');
    expect(redact('[reset](https://example.com/r?token=abc)')).toBe('[reset]([SECRET_URL_1])');
    expect(redact('(see https://example.com/wiki/A_(b)?key=1)')).toBe('(see [SECRET_URL_1])');
  });

  it('leaves parentheses around a phone number outside it, and keeps its own', () => {
    expect(redact('(call 415-555-0132)')).toBe('(call [PHONE_1])');
    expect(redact('Call (415) 555-0132.')).toBe('Call [PHONE_1].');
    expect(redact('UK: +44 (0)20 7946 0958')).toBe('UK: [PHONE_1]');
  });

  it('takes an IPv6 address out of brackets, ports and sentence ends', () => {
    expect(redact('[2001:db8::42]:443')).toBe('[[IP_1]]:443');
    expect(redact('Ping 2001:db8::1: no answer; then fe80::1.')).toBe('Ping [IP_1]: no answer; then [IP_2].');
  });

  it('takes an IPv4 address out of a port or a CIDR suffix', () => {
    expect(redact('10.0.0.1:8080 and 10.10.0.0/16')).toBe('[IP_1]:8080 and [IP_2]/16');
  });

  it('ends an IBAN before the words that follow it', () => {
    expect(redact('DE89 3704 0044 0532 0130 00 is mine')).toBe('[IBAN_1] is mine');
    expect(redact('GB29 NWBK 6016 1331 9268 19 2024')).toBe('[IBAN_1] 2024');
  });
});

describe('values inside longer runs', () => {
  it('finds a card among other digit groups', () => {
    expect(redact('Order 12 4111 1111 1111 1111 paid')).toBe('Order 12 [CARD_1] paid');
  });

  it('finds an IBAN after a candidate that failed', () => {
    expect(redact('ref DE12 and DE89 3704 0044 0532 0130 00')).toBe('ref DE12 and [IBAN_1]');
  });

  it('does not cut a card, an address or an SSN out of a longer identifier', () => {
    expect(redact('id x4111111111111111 and 4111111111111111x')).toBe('id x4111111111111111 and 4111111111111111x');
    expect(redact('build v10.0.0.1 and 10.0.0.1.2')).toBe('build v10.0.0.1 and 10.0.0.1.2');
    expect(redact('part 1-123-45-6789 and A123-45-6789')).toBe('part 1-123-45-6789 and A123-45-6789');
  });

  it('does not read the digits of an amount or a code as a phone number', () => {
    expect(redact('Total $4155550132 and #4155550132 and ID-4155550132')).toBe('Total $4155550132 and #4155550132 and ID-4155550132');
  });
});

describe('secret URLs', () => {
  it('hide the whole URL, host and path included', () => {
    const out = redact('GET https://internal.example.com/users/42/export?access_token=t0k3n HTTP/1.1');
    expect(out).toBe('GET [SECRET_URL_1] HTTP/1.1');
  });

  it('recognise secret parameter names in any case and with prefixes', () => {
    for (const name of ['TOKEN', 'Api-Key', 'x-amz-signature', 'client_secret', 'PHPSESSID', 'refresh_token', 'code']) {
      expect(redact(`https://example.com/?a=1&${name}=v`), name).toBe('[SECRET_URL_1]');
    }
  });

  it('accept credentials in any scheme, a password-only user info, and a token as user name', () => {
    expect(redact('mysql://root:toor@db:3306/x')).toBe('[SECRET_URL_1]');
    expect(redact('redis://:secret@cache:6379')).toBe('[SECRET_URL_1]');
    expect(redact('https://glpat-abcdefghij0123456789@gitlab.example.com/g/p.git')).toBe('[SECRET_URL_1]');
  });

  it('let ordinary URLs and harmless parameters through', () => {
    const text = 'https://example.com/search?q=keyboard&page=2#section-token-list';
    expect(redact(text)).toBe(text);
  });
});

describe('phone numbers', () => {
  it('accept national numbers of the default countries only as they are written there', () => {
    expect(redact('GB 020 7946 0958, FR 06 12 34 56 78, DE 030 12345678, IN 98765 43210, US 212-555-0199')).toBe(
      'GB [PHONE_1], FR [PHONE_2], DE [PHONE_3], IN [PHONE_4], US [PHONE_5]',
    );
    // Valid for libphonenumber as a French number without its trunk 0, but nobody in France writes it so.
    expect(redact('Ref 1 23 45 67 89')).toBe('Ref 1 23 45 67 89');
  });

  it('accept any country with a + or 00 prefix', () => {
    expect(redact('JP +81 3-1234-5678, BR 0055 11 91234 5678')).toBe('JP [PHONE_1], BR [PHONE_2]');
  });

  it('reject international numbers that are not valid for their country', () => {
    expect(redact('+1 123 456 7890 and +44 12')).toBe('+1 123 456 7890 and +44 12');
  });
});

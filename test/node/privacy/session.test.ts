import { describe, expect, it } from 'vitest';
import { createRedactionSession } from '../../../src/privacy/index.js';
import { openSession } from '../../../src/privacy/session.js';
import type { ChatMessage } from '../../../src/types.js';

describe('placeholders within a session', () => {
  it('gives the same value the same placeholder in every message, system and history included', () => {
    const session = createRedactionSession();
    const messages: ChatMessage[] = [
      { role: 'system', content: 'You help jane@example.com (phone 415-555-0132).' },
      { role: 'user', content: 'My email is jane@example.com.' },
      { role: 'assistant', content: 'Noted: jane@example.com.' },
      { role: 'user', content: 'Also bob@example.org, and call 415-555-0132.' },
    ];
    expect(session.redactMessages(messages)).toEqual([
      { role: 'system', content: 'You help [EMAIL_1] (phone [PHONE_1]).' },
      { role: 'user', content: 'My email is [EMAIL_1].' },
      { role: 'assistant', content: 'Noted: [EMAIL_1].' },
      { role: 'user', content: 'Also [EMAIL_2], and call [PHONE_1].' },
    ]);
    expect(session.counts()).toEqual({ email: 2, phone: 1 });
  });

  it('keeps placeholders stable across calls of one session', () => {
    const session = createRedactionSession();
    expect(session.redactText('jane@example.com')).toBe('[EMAIL_1]');
    expect(session.redactText('bob@example.org then jane@example.com')).toBe('[EMAIL_2] then [EMAIL_1]');
  });

  it('numbers each type on its own, starting at 1', () => {
    const session = createRedactionSession();
    expect(session.redactText('a@example.com 192.0.2.1 b@example.com 2001:db8::1 4111 1111 1111 1111')).toBe(
      '[EMAIL_1] [IP_1] [EMAIL_2] [IP_2] [CARD_1]',
    );
  });

  it('starts afresh in a new session', () => {
    createRedactionSession().redactText('a@example.com b@example.com');
    expect(createRedactionSession().redactText('b@example.com')).toBe('[EMAIL_1]');
  });

  it('treats spellings that differ as different values, so each restores exactly', () => {
    const session = createRedactionSession();
    expect(session.redactText('Jane@Example.com / jane@example.com')).toBe('[EMAIL_1] / [EMAIL_2]');
  });

  it('leaves the input messages untouched and keeps their roles', () => {
    const messages: readonly ChatMessage[] = Object.freeze([Object.freeze({ role: 'user', content: 'jane@example.com' } as const)]);
    const out = createRedactionSession().redactMessages(messages);
    expect(out).toEqual([{ role: 'user', content: '[EMAIL_1]' }]);
    expect(messages[0]?.content).toBe('jane@example.com');
  });

  it('returns text without personal data as it is', () => {
    const session = createRedactionSession();
    expect(session.redactText('Nothing to see here.')).toBe('Nothing to see here.');
    expect(session.redactText('')).toBe('');
    expect(session.counts()).toEqual({});
  });

  it('hands out counts that the caller cannot change', () => {
    const session = createRedactionSession();
    session.redactText('jane@example.com');
    const counts = session.counts();
    counts.email = 99;
    expect(session.counts()).toEqual({ email: 1 });
  });
});

describe('several values in one message', () => {
  it('hides each of them, of every type', () => {
    const session = createRedactionSession();
    const text = [
      'Hi, I am reachable at jane.doe@example.com or +1 (212) 555-0199.',
      'Card 4242 4242 4242 4242, IBAN GB29 NWBK 6016 1331 9268 19, SSN 219-09-9999.',
      'Server 198.51.100.7 / fe80::1ff:fe23:4567:890a, reset via https://example.com/reset?token=abc.',
    ].join('\n');
    expect(session.redactText(text)).toBe([
      'Hi, I am reachable at [EMAIL_1] or [PHONE_1].',
      'Card [CARD_1], IBAN [IBAN_1], SSN [NATIONAL_ID_1].',
      'Server [IP_1] / [IP_2], reset via [SECRET_URL_1].',
    ].join('\n'));
    expect(session.counts()).toEqual({ email: 1, phone: 1, card: 1, iban: 1, national_id: 1, ip: 2, secret_url: 1 });
  });

  it('replaces values that touch each other or the edges of the text', () => {
    expect(createRedactionSession().redactText('a@example.com,b@example.com')).toBe('[EMAIL_1],[EMAIL_2]');
    expect(createRedactionSession().redactText('192.0.2.1\n192.0.2.2')).toBe('[IP_1]\n[IP_2]');
  });
});

describe('overlapping detections', () => {
  it('lets the longest match win and replaces it once', () => {
    const session = createRedactionSession();
    // The URL holds an IP address and a user:password; the whole URL is one value.
    expect(session.redactText('DB at postgres://app:pw@10.0.0.5:5432/prod now')).toBe('DB at [SECRET_URL_1] now');
    expect(session.counts()).toEqual({ secret_url: 1 });
  });

  it('calls an SSN-shaped number an SSN, not a phone number', () => {
    const session = createRedactionSession();
    expect(session.redactText('SSN 123-45-6789')).toBe('SSN [NATIONAL_ID_1]');
    expect(session.counts()).toEqual({ national_id: 1 });
  });

  it('prefers a longer app term over a shorter built-in match inside it, and the reverse', () => {
    const session = createRedactionSession({ terms: ['Acme', 'Desk 415-555-0132 East'] });
    expect(session.redactText('Desk 415-555-0132 East, mail acme@example.com')).toBe('[TERM_1], mail [EMAIL_1]');
  });
});

describe('text that looks like our placeholders', () => {
  it('is hidden behind a placeholder of its own, so the model never sees two meanings of one placeholder', () => {
    const session = createRedactionSession();
    const out = session.redactText('I typed [EMAIL_1] myself; my real one is jane@example.com');
    expect(out).toBe('I typed [EMAIL_1] myself; my real one is [EMAIL_2]');
    expect(session.redactText('jane@example.com and [EMAIL_2]')).toBe('[EMAIL_2] and [EMAIL_3]');
    const restorer = session.restorer();
    expect(restorer.push('[EMAIL_1] [EMAIL_2] [EMAIL_3]') + restorer.flush()).toBe('[EMAIL_1] jane@example.com [EMAIL_2]');
  });

  it('is not counted as personal data', () => {
    const session = createRedactionSession();
    session.redactText('See [PHONE_4] and [SECRET_URL_1].');
    expect(session.counts()).toEqual({});
  });
});

describe('a session fed by a finder (redactTexts)', () => {
  it('numbers values by first appearance across the texts, literal occurrences included', () => {
    const session = openSession({}, [['K-1', 'pattern']]);
    const texts = ['x K-1 then tel:415-555-0132', 'Call 415-555-0132, mail jane@example.com'];
    const found = [[], [{ start: 5, end: 17, type: 'phone', counted: true }, { start: 24, end: 40, type: 'email', counted: true }]] as const;
    expect(session.redactTexts(texts, found)).toEqual(['x [PATTERN_1] then tel:[PHONE_1]', 'Call [PHONE_1], mail [EMAIL_1]']);
    expect(session.counts()).toEqual({ pattern: 1, phone: 1, email: 1 });
    expect(session.values()).toEqual([['K-1', 'pattern'], ['415-555-0132', 'phone'], ['jane@example.com', 'email']]);
  });

  it('counts a remembered value only when this request holds it', () => {
    const session = openSession({}, [['jane@example.com', 'email']]);
    expect(session.redactTexts(['nothing here'], [[]])).toEqual(['nothing here']);
    expect(session.counts()).toEqual({});
  });

  it('leaves look-alikes of placeholders out of the values to remember', () => {
    const session = createRedactionSession();
    session.redactText('I typed [EMAIL_1]; mine is jane@example.com');
    expect(session.values()).toEqual([['jane@example.com', 'email']]);
  });
});

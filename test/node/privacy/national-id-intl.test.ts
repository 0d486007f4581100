import { describe, expect, it } from 'vitest';
import { detectorsFor, findSpans } from '../../../src/privacy/find.js';
import { createRedactionSession } from '../../../src/privacy/index.js';
import { isAadhaar, isNir, isSteuerId, mod11_10, nirKey } from '../../../src/privacy/detectors/id-checksums.js';
import { INTL_IDS } from '../../corpus/national-ids.js';
import { NEAR_MISSES_SECRETS } from '../../corpus/near-misses-secrets.js';

function redact(text: string): string {
  return createRedactionSession().redactText(text);
}

/** The share of items whose value no longer appears once redacted. */
function recall(items: readonly { value: string; context: string }[]): number {
  return items.filter((item) => !redact(item.context).includes(item.value)).length / items.length;
}

describe('check digits, against numbers published by their issuers or in the literature', () => {
  it('accepts known valid Steuer-IDs and rejects one changed digit or a doubled repetition', () => {
    for (const id of ['86095742719', '47036892816', '65929970489', '57549285017', '25768131411']) expect(isSteuerId(id), id).toBe(true);
    expect(isSteuerId('86095742718')).toBe(false);
    // Right check digit, but two digits repeat: not an ID since the 2016 rules.
    const twoPairs = '1122345678';
    expect(isSteuerId(twoPairs + mod11_10(twoPairs))).toBe(false);
    // A digit three times in a row is not allowed, three times apart is.
    expect(isSteuerId('1112345678' + mod11_10('1112345678'))).toBe(false);
    expect(isSteuerId('1213145678' + mod11_10('1213145678'))).toBe(true);
  });

  it('computes the NIR key as 97 − (n mod 97), with 2A and 2B counted as 19 and 18', () => {
    expect(nirKey('1841276451089')).toBe(46);
    expect(isNir('184127645108946')).toBe(true);
    expect(nirKey('2870420401214')).not.toBe(nirKey('287042A401214'));
    expect(nirKey('287042A401214')).toBe(97 - (2870419401214 % 97));
    expect(nirKey('287042B401214')).toBe(97 - (2870418401214 % 97));
  });

  it('runs Verhoeff as UIDAI does: a known Aadhaar passes, any single changed digit fails', () => {
    expect(isAadhaar('234123412346')).toBe(true);
    for (let i = 0; i < 12; i++) {
      const changed = '234123412346'.slice(0, i) + ((Number('234123412346'[i]) + 1) % 10) + '234123412346'.slice(i + 1);
      expect(isAadhaar(changed), changed).toBe(false);
    }
    expect(isAadhaar('134123412346')).toBe(false);
  });

  it('keeps the corpus honest: every Steuer-ID, NIR and Aadhaar in it passes its check', () => {
    for (const { value } of INTL_IDS) {
      const compact = value.replace(/[ -]/g, '');
      if (/^\d{11}$/.test(compact)) expect(isSteuerId(compact), value).toBe(true);
      else if (/^\d{12}$/.test(compact)) expect(isAadhaar(compact), value).toBe(true);
      else if (/^[1-8]\d{4}(?:\d\d|2[AB])\d{8}$/.test(compact)) expect(isNir(compact), value).toBe(true);
    }
  });
});

describe('international IDs in context', () => {
  it(`hides every corpus value (recall ≥ 99.5% of ${INTL_IDS.length})`, () => {
    const r = recall(INTL_IDS);
    console.log(`international IDs: recall ${(r * 100).toFixed(1)}% of ${INTL_IDS.length}`);
    expect(r).toBeGreaterThanOrEqual(0.995);
  });

  it.each(INTL_IDS.map((item) => [item.value, item]))('hides %s as one national ID and nothing else', (_v, item) => {
    expect(redact(item.context)).toBe(item.context.replace(item.value, '[NATIONAL_ID_1]'));
  });

  it('finds a passport number only after a word that says so', () => {
    expect(redact('Passport No. C01X00T47, issued 2019')).toBe('Passport No. [NATIONAL_ID_1], issued 2019');
    expect(redact('Ticket C01X00T47 closed')).toBe('Ticket C01X00T47 closed');
    expect(redact('passport photo 123456789')).toBe('passport photo 123456789');
  });

  it('reads non-breaking and thin spaces as spaces', () => {
    expect(redact('Steuer-ID 25\u00A0367\u00A0418\u00A0988, Aadhaar 9141\u202F8968\u202F7790')).toBe('Steuer-ID [NATIONAL_ID_1], Aadhaar [NATIONAL_ID_2]');
  });

  it('finds IDs next to each other in a table row', () => {
    expect(redact('| 53478072765 | BNZPM2501F | 9141 8968 7790 |')).toBe('| [NATIONAL_ID_1] | [NATIONAL_ID_2] | [NATIONAL_ID_3] |');
  });

  it('needs a context word for an unspaced Aadhaar, not for the printed 4-4-4 form, and none after a +', () => {
    expect(redact('seed 994130450287')).toBe('seed 994130450287');
    expect(redact('seed 9941 3045 0287')).toBe('seed [NATIONAL_ID_1]');
    expect(redact('UIDAI record 994130450287')).toBe('UIDAI record [NATIONAL_ID_1]');
    expect(redact('994130450287 (Aadhaar)')).toBe('[NATIONAL_ID_1] (Aadhaar)');
    expect(findSpans('+994130450287', detectorsFor({ types: ['national_id'] }))).toEqual([]);
  });

  it('does not cut an ID out of a longer number or code', () => {
    expect(redact('x53478072765 and 534780727651 and 9141896877901 and XBNZPM2501F')).toBe('x53478072765 and 534780727651 and 9141896877901 and XBNZPM2501F');
  });
});

describe('look-alikes of international IDs', () => {
  const idMisses = NEAR_MISSES_SECRETS.filter((n) => /Steuer|Verhoeff|NIR|PAN|passport|Aadhaar|digits|timestamp/.test(n.why));

  it('has a dozen or more ID look-alikes', () => {
    expect(idMisses.length).toBeGreaterThanOrEqual(12);
  });

  it.each(idMisses.map((n) => [n.why, n.text]))('leaves %s unchanged: %s', (_why, text) => {
    expect(redact(text)).toBe(text);
  });
});

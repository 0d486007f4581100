import { electronicFormatIBAN, isValidIBAN } from 'ibantools';
import { describe, expect, it } from 'vitest';
import { createRedactionSession } from '../../../src/privacy/index.js';
import { REDACTION_TYPES } from '../../../src/route/vocab.js';
import { NEAR_MISSES } from '../../corpus/near-misses.js';
import { PII_CORPUS } from '../../corpus/pii.js';

function luhn(digits: string): boolean {
  let sum = 0;
  [...digits].reverse().forEach((c, i) => {
    const d = Number(c) * (i % 2 === 1 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  });
  return sum % 10 === 0;
}

function ofType(type: string): typeof PII_CORPUS {
  return PII_CORPUS.filter((item) => item.type === type);
}

describe('the PII corpus itself', () => {
  it('holds at least 220 items, each value appearing exactly once in its context', () => {
    expect(PII_CORPUS.length).toBeGreaterThanOrEqual(220);
    for (const { value, context } of PII_CORPUS) expect(context.split(value).length - 1, context).toBe(1);
  });

  it('covers every built-in type with at least 20 items', () => {
    // `name` and `address` come from the model tier only (test/node/privacy/model-tier*).
    const builtIn = REDACTION_TYPES.filter((t) => !['term', 'pattern', 'name', 'address'].includes(t));
    for (const type of builtIn) expect(ofType(type).length, type).toBeGreaterThanOrEqual(20);
  });

  it('uses IBANs whose check digits ibantools accepts', () => {
    for (const { value } of ofType('iban')) expect(isValidIBAN(electronicFormatIBAN(value.toUpperCase()) ?? ''), value).toBe(true);
  });

  it('uses card numbers that pass Luhn, 13 to 19 digits long', () => {
    for (const { value } of ofType('card')) {
      const digits = value.replace(/\D/g, '');
      expect(digits.length, value).toBeGreaterThanOrEqual(13);
      expect(digits.length, value).toBeLessThanOrEqual(19);
      expect(luhn(digits), value).toBe(true);
    }
  });

  it('keeps its near-misses honest: the Luhn near-misses really fail Luhn', () => {
    for (const { why, text } of NEAR_MISSES.filter((n) => n.why.includes('Luhn'))) {
      const digits = /\d[\d -]+\d/.exec(text)?.[0].replace(/\D/g, '') ?? '';
      expect(luhn(digits), why).toBe(false);
    }
  });
});

describe('redacting the corpus', () => {
  it.each(PII_CORPUS.map((item) => [item.type, item.value, item]))('hides %s %s behind one placeholder', (_t, _v, item) => {
    const session = createRedactionSession();
    const out = session.redactText(item.context);
    expect(out).not.toContain(item.value);
    expect(out).toBe(item.context.replace(item.value, `[${item.type.toUpperCase()}_1]`));
    expect(session.counts()).toEqual({ [item.type]: 1 });
  });

  it('counts every item under its type when all of them go through one session', () => {
    const session = createRedactionSession();
    session.redactMessages(PII_CORPUS.map((item) => ({ role: 'user', content: item.context })));
    const distinct: Record<string, Set<string>> = {};
    for (const { type, value } of PII_CORPUS) (distinct[type] ??= new Set()).add(value);
    expect(session.counts()).toEqual(Object.fromEntries(Object.entries(distinct).map(([type, values]) => [type, values.size])));
  });

  it('still hides every value when the whole corpus is one long message', () => {
    const session = createRedactionSession();
    const out = session.redactText(PII_CORPUS.map((item) => item.context).join('\n'));
    for (const { value } of PII_CORPUS) expect(out, value).not.toContain(value);
  });
});

describe('near-misses', () => {
  it.each(NEAR_MISSES.map((n) => [n.why, n.text]))('leaves %s unchanged: %s', (_why, text) => {
    const session = createRedactionSession();
    expect(session.redactText(text)).toBe(text);
    expect(session.counts()).toEqual({});
  });

  it('redacts a dotted quad as an IPv4 address even when it reads as a version', () => {
    expect(createRedactionSession().redactText('Release 1.2.3.4 is out')).toBe('Release [IP_1] is out');
  });
});

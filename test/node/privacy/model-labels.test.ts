/** Issue 16: what the model tier's entity labels mean for redaction, and spans widened to whole words. */
import { describe, expect, it } from 'vitest';
import { modelSpans, redactionTypeOf } from '../../../src/privacy/model-labels.js';
import { REDACTION_TYPES } from '../../../src/route/vocab.js';

describe('redactionTypeOf', () => {
  it('maps CoNLL, PII-dataset and privacy-filter labels', () => {
    const cases: [string, string | undefined][] = [
      ['PER', 'name'], ['PERSON', 'name'], ['private_person', 'name'], ['personal_handle', 'name'],
      ['LOC', 'address'], ['ADDRESS', 'address'], ['STREET', 'address'], ['private_address', 'address'], ['CITY', 'address'],
      ['SECRET', 'secret'], ['PASSWORD', 'secret'], ['KEY', 'secret'], ['secret', 'secret'],
      ['private_email', 'email'], ['private_phone', 'phone'], ['ip_address', 'ip'], ['private_url', 'secret_url'], ['account_number', 'iban'],
      ['ORG', undefined], ['MISC', undefined], ['private_date', undefined], ['SOMETHING_NEW', undefined],
    ];
    expect(cases.map(([l]) => [l, redactionTypeOf(l)])).toEqual(cases);
  });
});

describe('modelSpans', () => {
  const all = new Set(REDACTION_TYPES);

  it('widens a subword entity to the whole word and trims a byte-level space', () => {
    const text = 'Ask Alicia about it';
    const spans = modelSpans(text, [{ label: 'PER', start: 3, end: 7 }], all);
    expect(spans.map((s) => [text.slice(s.start, s.end), s.type, s.counted])).toEqual([['Alicia', 'name', true]]);
  });

  it('drops ignored labels and types the options leave out', () => {
    const text = 'Bob at Acme';
    expect(modelSpans(text, [{ label: 'PER', start: 0, end: 3 }, { label: 'ORG', start: 7, end: 11 }], new Set(['email'] as const))).toEqual([]);
    expect(modelSpans(text, [{ label: 'ORG', start: 7, end: 11 }], all)).toEqual([]);
  });
});

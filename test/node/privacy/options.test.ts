import { describe, expect, it } from 'vitest';
import { isEdgewiseError } from '../../../src/errors.js';
import { createRedactionSession, validateRedactOptions } from '../../../src/privacy/index.js';

/** Runs `fn`, expects an `invalid_option` error about `redact`, returns its message. */
function invalid(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(isEdgewiseError(e)).toBe(true);
    if (!isEdgewiseError(e)) throw e;
    expect(e.code).toBe('invalid_option');
    expect(e.details).toEqual({ option: 'redact' });
    return e.message;
  }
  throw new Error('expected an invalid_option error');
}

describe('types: which built-in detectors run', () => {
  const text = 'jane@example.com, 415-555-0132, 192.0.2.1';

  it('runs every built-in detector by default', () => {
    expect(createRedactionSession().redactText(text)).toBe('[EMAIL_1], [PHONE_1], [IP_1]');
  });

  it('runs only the listed ones', () => {
    expect(createRedactionSession({ types: ['email'] }).redactText(text)).toBe('[EMAIL_1], 415-555-0132, 192.0.2.1');
    expect(createRedactionSession({ types: ['phone', 'ip'] }).redactText(text)).toBe('jane@example.com, [PHONE_1], [IP_1]');
  });

  it('runs none with an empty list, yet still runs the app’s terms and patterns', () => {
    const session = createRedactionSession({ types: [], terms: ['Falcon'], patterns: [/EMP-\d{6}/] });
    expect(session.redactText(`${text}, Falcon, EMP-123456`)).toBe(`${text}, [TERM_1], [PATTERN_1]`);
  });

  it('still hides placeholder lookalikes, whatever the types', () => {
    expect(createRedactionSession({ types: [] }).redactText('[IP_1] and 192.0.2.1')).toBe('[IP_1] and 192.0.2.1');
    const session = createRedactionSession({ types: [] });
    session.redactText('[IP_1]');
    expect(session.redactText('[IP_2]')).toBe('[IP_2]');
  });
});

describe('terms', () => {
  it('match case-insensitively and keep the spelling they had for restoration', () => {
    const session = createRedactionSession({ terms: ['Project Falcon'] });
    expect(session.redactText('project falcon and PROJECT FALCON')).toBe('[TERM_1] and [TERM_2]');
    const restorer = session.restorer();
    expect(restorer.push('[TERM_2]/[TERM_1]') + restorer.flush()).toBe('PROJECT FALCON/project falcon');
  });

  it('match whole words only', () => {
    const session = createRedactionSession({ terms: ['Ann'] });
    expect(session.redactText('Ann wrote the Annual report, annotated by ann.')).toBe('[TERM_1] wrote the Annual report, annotated by [TERM_2].');
  });

  it('prefer the longest of overlapping terms', () => {
    const session = createRedactionSession({ terms: ['Acme', 'Acme Corp'] });
    expect(session.redactText('Acme Corp bought Acme')).toBe('[TERM_1] bought [TERM_2]');
  });

  it('may contain regex syntax and punctuation at their edges', () => {
    const session = createRedactionSession({ terms: ['C++', 'a.b*c', 'Dr. Müller'] });
    expect(session.redactText('C++ and a.b*c and axbbc and Dr. Müller.')).toBe('[TERM_1] and [TERM_2] and axbbc and [TERM_3].');
  });
});

describe('patterns', () => {
  it('hide every match as type pattern', () => {
    const session = createRedactionSession({ patterns: [/EMP-\d{6}/, /\bcase #\d+/i] });
    expect(session.redactText('EMP-123456 opened Case #42; EMP-654321 closed it')).toBe('[PATTERN_1] opened [PATTERN_2]; [PATTERN_3] closed it');
    expect(session.counts()).toEqual({ pattern: 3 });
  });

  it('work whatever flags they came with, sticky and global included', () => {
    const sticky = /K-\d/y;
    const global = /K-\d/g;
    global.lastIndex = 5;
    expect(createRedactionSession({ patterns: [sticky] }).redactText('x K-1 K-2')).toBe('x [PATTERN_1] [PATTERN_2]');
    expect(createRedactionSession({ patterns: [global] }).redactText('K-1 K-2')).toBe('[PATTERN_1] [PATTERN_2]');
  });

  it('skip empty matches that validation could not foresee', () => {
    expect(createRedactionSession({ patterns: [/(?=Q)|R\d/] }).redactText('a Q R1 b')).toBe('a Q [PATTERN_1] b');
  });
});

describe('validateRedactOptions', () => {
  it('turns redaction off with false and means the defaults with undefined', () => {
    expect(validateRedactOptions(false)).toBe(false);
    expect(validateRedactOptions(undefined)).toEqual({});
  });

  it('returns a copy the caller cannot change afterwards', () => {
    const terms = ['Falcon'];
    const valid = validateRedactOptions({ types: ['email'], terms, patterns: [/x+/] });
    terms.push('Eagle');
    expect(valid).toEqual({ types: ['email'], terms: ['Falcon'], patterns: [/x+/] });
  });

  it('rejects what is not false or an options object, and says what to pass', () => {
    for (const bad of [true, null, 'email', 3, ['email'], /x/]) expect(invalid(() => validateRedactOptions(bad))).toMatch(/false \(off\) or an object/);
  });

  it('rejects an unknown key, naming the real ones', () => {
    expect(invalid(() => validateRedactOptions({ type: ['email'] }))).toMatch(/unknown key "type".*types, terms, patterns, restore and model/);
  });

  it('rejects a type name that is not a redaction type, listing the real ones', () => {
    const message = invalid(() => validateRedactOptions({ types: ['emails'] }));
    expect(message).toMatch(/unknown type "emails"/);
    expect(message).toContain("'secret_url'");
    expect(invalid(() => validateRedactOptions({ types: 'email' }))).toMatch(/`types` must be an array/);
  });

  it('rejects a term that is not a non-empty string', () => {
    for (const bad of ['', '   ', 42, null]) expect(invalid(() => validateRedactOptions({ terms: [bad] }))).toMatch(/terms\[0\].*non-empty string/);
  });

  it('rejects a pattern that is not a RegExp, or that matches the empty string', () => {
    expect(invalid(() => validateRedactOptions({ patterns: ['EMP-\\d+'] }))).toMatch(/patterns\[0\] is not a RegExp: pass a regular expression/);
    for (const bad of [/\d*/, /a?/, /(?:)/, /\b/, /^/m]) {
      expect(invalid(() => validateRedactOptions({ patterns: [/ok+/, bad] }))).toMatch(/patterns\[1\].*empty string.*at least one character/);
    }
  });

  it('is also what createRedactionSession runs', () => {
    expect(invalid(() => createRedactionSession({ types: ['nope' as 'email'] }))).toMatch(/unknown type "nope"/);
    expect(invalid(() => createRedactionSession(false as unknown as {}))).toMatch(/needs an options object/);
  });
});

describe('validateRedactOptions: restore and model', () => {
  const message = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      return (e as Error).message;
    }
    return 'did not throw';
  };
  it('accepts the three restore modes and refuses others, naming them', () => {
    for (const restore of ['text', 'all', 'none'] as const) expect(validateRedactOptions({ restore })).toEqual({ restore });
    expect(message(() => validateRedactOptions({ restore: 'urls' }))).toMatch(/restore is "urls".*'text'.*'all'.*'none'/);
  });
  it('checks the model spec field by field', () => {
    expect(validateRedactOptions({ model: { id: 'ner', url: 'http://127.0.0.1/ner/', minScore: 0.7 } })).toEqual({ model: { id: 'ner', url: 'http://127.0.0.1/ner/', minScore: 0.7 } });
    expect(message(() => validateRedactOptions({ model: 'ner' }))).toMatch(/model must be an object/);
    expect(message(() => validateRedactOptions({ model: { id: 'ner' } }))).toMatch(/model\.url/);
    expect(message(() => validateRedactOptions({ model: { id: 'ner', url: 'u', minScore: 2 } }))).toMatch(/minScore is 2/);
    expect(message(() => validateRedactOptions({ model: { id: 'ner', url: 'u', labels: [] } }))).toMatch(/unknown key "labels"/);
  });
});

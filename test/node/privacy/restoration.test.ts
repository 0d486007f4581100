import { describe, expect, it } from 'vitest';
import type { RestoreMode } from '../../../src/config-types.js';
import { createRedactionSession, type RedactionSession } from '../../../src/privacy/index.js';
import { PII_CORPUS } from '../../corpus/pii.js';

/**
 * Streams `text` through a fresh restorer, cut at the given offsets; returns what was
 * shown. Mode `'all'` by default: these tests pin down the streaming, and some corpus
 * contexts put values where `'text'` refuses them (safe-restore.test.ts covers that).
 */
function stream(session: RedactionSession, text: string, cuts: readonly number[], mode: RestoreMode = 'all'): string {
  const restorer = session.restorer(mode);
  let shown = '';
  let at = 0;
  for (const cut of [...cuts, text.length]) {
    shown += restorer.push(text.slice(at, cut));
    at = cut;
  }
  return shown + restorer.flush();
}

/** Every way to cut `text` into two chunks (one of them possibly empty). */
function everyCut(text: string): number[][] {
  return Array.from({ length: text.length + 1 }, (_, i) => [i]);
}

describe('restoring a streamed answer', () => {
  it.each(PII_CORPUS.map((item) => [item.type, item.value, item]))(
    'gives back %s %s exactly, wherever the stream is cut in two',
    (_t, _v, item) => {
      const session = createRedactionSession();
      const answer = `Sure. ${session.redactText(item.context)} Done.`;
      for (const cuts of everyCut(answer)) expect(stream(session, answer, cuts), String(cuts)).toBe(`Sure. ${item.context} Done.`);
    },
  );

  it.each(PII_CORPUS.map((item) => [item.type, item.value, item]))(
    "restores %s %s in 'text' mode the same wherever the stream is cut (in prose, or left where a link would carry it)",
    (_t, _v, item) => {
      const session = createRedactionSession();
      const answer = `Sure. ${session.redactText(item.context)} Done.`;
      const whole = stream(session, answer, [], 'text');
      for (const cuts of everyCut(answer)) expect(stream(session, answer, cuts, 'text'), String(cuts)).toBe(whole);
    },
  );

  it('gives back a message with several values when every character is its own chunk', () => {
    const session = createRedactionSession();
    const original = 'Mail jane@example.com, call +44 20 7946 0958, pay DE89 3704 0044 0532 0130 00 from 203.0.113.42.';
    const answer = session.redactText(original);
    expect(stream(session, answer, Array.from({ length: answer.length }, (_, i) => i))).toBe(original);
  });

  it('gives back every value for every cut of a placeholder into three chunks', () => {
    const session = createRedactionSession();
    const original = 'a https://admin:s3cr3t@db.example.com/admin b 123-45-6789 c';
    const answer = session.redactText(original);
    expect(answer).toBe('a [SECRET_URL_1] b [NATIONAL_ID_1] c');
    for (let i = 0; i <= answer.length; i++) {
      for (let j = i; j <= answer.length; j++) expect(stream(session, answer, [i, j]), `${i},${j}`).toBe(original);
    }
  });

  it('restores a placeholder the model repeats, and ones from earlier messages of the session', () => {
    const session = createRedactionSession();
    session.redactMessages([
      { role: 'system', content: 'The user is jane@example.com.' },
      { role: 'user', content: 'Call 415-555-0132.' },
    ]);
    expect(stream(session, 'Calling [PHONE_1] for [EMAIL_1]; [EMAIL_1] again.', [9, 20])).toBe(
      'Calling 415-555-0132 for jane@example.com; jane@example.com again.',
    );
  });
});

describe('what the restorer leaves alone', () => {
  it('passes placeholders it never issued through unchanged', () => {
    const session = createRedactionSession();
    session.redactText('jane@example.com');
    expect(stream(session, 'Try [EMAIL_9] or [PHONE_1] or [EMAIL_1].', [7, 8])).toBe('Try [EMAIL_9] or [PHONE_1] or jane@example.com.');
  });

  it('passes everything through when nothing was redacted, without holding text back', () => {
    const restorer = createRedactionSession().restorer();
    expect(restorer.push('See [1] and [EMA')).toBe('See [1] and [EMA');
    expect(restorer.push('IL_1]')).toBe('IL_1]');
    expect(restorer.flush()).toBe('');
  });

  it('holds the start of a placeholder only while it could still become one', () => {
    const session = createRedactionSession();
    session.redactText('jane@example.com');
    const restorer = session.restorer();
    expect(restorer.push('Write to [')).toBe('Write to ');
    expect(restorer.push('EMAIL_')).toBe('');
    expect(restorer.push('1')).toBe('');
    expect(restorer.push('0 now')).toBe('[EMAIL_10 now');
    expect(restorer.push(' [PH')).toBe(' [PH');
    expect(restorer.push(' [E')).toBe(' ');
    expect(restorer.push('X')).toBe('[EX');
    expect(restorer.flush()).toBe('');
  });

  it('releases a held prefix at the end of the stream as it is', () => {
    const session = createRedactionSession();
    session.redactText('jane@example.com');
    const restorer = session.restorer();
    expect(restorer.push('cut off at [EMAIL')).toBe('cut off at ');
    expect(restorer.flush()).toBe('[EMAIL');
  });

  it('does not restore again inside a restored value', () => {
    const session = createRedactionSession();
    const original = 'jane@example.com, and a literal [EMAIL_1] typed by the user';
    const redacted = session.redactText(original);
    expect(redacted).toBe('[EMAIL_1], and a literal [EMAIL_2] typed by the user');
    for (const cuts of everyCut(redacted)) expect(stream(session, redacted, cuts)).toBe(original);
  });

  it('keeps two restorers of one session independent', () => {
    const session = createRedactionSession();
    session.redactText('jane@example.com');
    const a = session.restorer();
    const b = session.restorer();
    expect(a.push('x [EMA')).toBe('x ');
    expect(b.push('y')).toBe('y');
    expect(a.push('IL_1]')).toBe('jane@example.com');
    expect(b.flush()).toBe('');
  });
});

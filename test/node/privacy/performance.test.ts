import { describe, expect, it } from 'vitest';
import { createRedactionSession } from '../../../src/privacy/index.js';
import { mixedPaste } from '../../corpus/pastes.js';

/** About 2 KB of ordinary prose with a dozen values of every type, like a support chat prompt. */
function prompt(): string {
  const parts = [
    'You are a helpful support assistant for Project Falcon. Answer briefly and politely, in the language of the user.',
    'Customer: Jane Roe, jane.roe+support@example.co.uk, phone +44 20 7946 0958 (office) or 07911 123456 (mobile).',
    'She paid order 48213 on 2024-06-11 with card 4242 4242 4242 4242 and asks for a refund to DE89 3704 0044 0532 0130 00.',
    'Our logs show requests from 203.0.113.42 and 2001:db8:85a3::8a2e:370:7334 between 10:30 and 11:15 UTC.',
    'Her reset link was https://example.com/reset?token=9f8e7d6c5b4a and the admin panel is https://example.com/admin.',
    'For tax purposes she gave SSN 219-09-9999. The internal ticket is EMP-123456, priority 2, version 3.4.1.',
    'Previous messages: she said the app crashed twice after the update, that the price of $1,299.00 was too high,',
    'and that she would like to talk to someone in Berlin at 030 12345678 or in Paris at 06 12 34 56 78.',
  ];
  let text = parts.join('\n');
  while (text.length < 2048) text += ' Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt.';
  return text.slice(0, 2048);
}

/**
 * Milliseconds of CPU this process spent in `run`, not wall-clock time: on a loaded
 * 2-core runner other processes stretch the wall clock of a 1 ms call many times over
 * (measured: a 2 KB redaction's median went from 0.6 to 1 ms, and a 20 KB blob from 30 to
 * 180 ms, with two busy loops beside the test), but they do not spend this process's CPU.
 * The bounds below are the ones this file always had; only the clock changed.
 * Absolute speed belongs in the benchmarks (test/bench).
 */
function cpuMs(run: () => void): number {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

describe('performance', () => {
  it('redacts a 2 KB prompt with every detector on in well under 2 ms of CPU (20 ms bound)', () => {
    const text = prompt();
    const options = { terms: ['Project Falcon', 'Jane Roe'], patterns: [/EMP-\d{6}/] };
    const run = (): string => createRedactionSession(options).redactMessages([{ role: 'user', content: text }])[0]?.content ?? '';
    const out = run();
    expect(out).not.toContain('jane.roe');
    expect(out).not.toContain('4242');
    for (let i = 0; i < 50; i++) run();

    const times: number[] = [];
    for (let i = 0; i < 300; i++) times.push(cpuMs(run));
    const ms = median(times);
    console.log(`redaction of a ${text.length}-byte prompt: median ${ms.toFixed(3)} ms of CPU over ${times.length} runs`);
    expect(ms).toBeLessThan(20);
  });

  // The 60 ms target of issue 16 is the privacy bench's to report (docs/benchmarks.md, median
  // 43 ms): CPU time also stretches when the two cores are shared (62 ms once in a full CI
  // run). This bound is 2.5x that target, still far below what a quadratic pass would take.
  it('redacts a 200 KB paste with every detector on in under 150 ms of CPU (the bench reports the 60 ms target)', () => {
    // A support-chat export with a value of some type on most lines, every value distinct (see pastes.ts).
    const text = mixedPaste(204_800);
    const run = (): string => createRedactionSession().redactText(text);
    expect(run()).not.toContain('+44 20 7946 0');
    for (let i = 0; i < 3; i++) run();
    const times: number[] = [];
    for (let i = 0; i < 9; i++) times.push(cpuMs(run));
    const ms = median(times);
    console.log(`redaction of a ${text.length}-byte paste: median ${ms.toFixed(1)} ms of CPU over ${times.length} runs`);
    expect(ms).toBeLessThan(150);
  });

  it('stays linear on long runs that look like the start of something (hex, digits, local parts, codes)', () => {
    const blobs = [
      'ab'.repeat(10_000) + ':',
      '1'.repeat(20_000) + '.',
      'a'.repeat(20_000) + '@',
      'AB12 '.repeat(4_000),
      '1 '.repeat(10_000),
      'https://'.repeat(2_500),
      // The scans added for issue 16: bracketed "at", escaped "+", labels, separators of every kind.
      'a'.repeat(20_000) + ' [at] ',
      'x [at] '.repeat(3_000),
      '%2B'.repeat(7_000),
      '4111 '.repeat(4_000),
      '4111.'.repeat(4_000),
      '4111\u2013'.repeat(4_000),
      '1.'.repeat(10_000),
      '1:'.repeat(10_000),
      'ab 12 '.repeat(4_000),
      '123 45 '.repeat(3_000),
      "a'".repeat(10_000) + '@example.com',
      'tel: '.repeat(5_000) + '4155552671',
      'https://example.com/' + 'reset/'.repeat(5_000),
    ];
    for (const blob of blobs) {
      const ms = cpuMs(() => createRedactionSession().redactText(blob));
      expect(ms, blob.slice(0, 12)).toBeLessThan(200);
    }
  });
});

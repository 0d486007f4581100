/**
 * Issue 16, defects 1 and 2: a value found once is hidden everywhere it occurs literally
 * (messages, prompt, tool-call arguments and results, `stop`), longest value first, and
 * values this middleware saw in earlier requests stay hidden in later ones.
 */
import { describe, expect, it } from 'vitest';
import type { BackendPart, BackendRequest } from '../../../src/backends/backend.js';
import { wrap } from '../../../src/backends/middleware.js';
import type { RedactOptions } from '../../../src/config-types.js';
import type { SpanFinder } from '../../../src/privacy/finder.js';
import { createRedactionSession } from '../../../src/privacy/index.js';
import { redaction } from '../../../src/privacy/middleware.js';
import type { Span } from '../../../src/privacy/span.js';
import { request } from '../remote/helpers.js';
import { recordingRemote } from './recording-remote.js';

async function drain(parts: AsyncIterable<BackendPart> | undefined): Promise<void> {
  for await (const _ of parts ?? []) { /* read to the end */ }
}

/** One middleware instance (as an engine holds one) around a recording remote. */
function guarded(options: RedactOptions = {}, finder?: () => SpanFinder) {
  const remote = recordingRemote();
  const backend = wrap(remote.backend, redaction(options, finder));
  /** With `prompt` set, the request has no messages. */
  const send = async (overrides: Partial<BackendRequest>): Promise<BackendRequest> => {
    const { messages, ...rest } = request(overrides);
    await drain(backend.generate?.(overrides.prompt === undefined && messages ? { ...rest, messages } : rest));
    const last = remote.sent.at(-1);
    if (!last) throw new Error('nothing was sent');
    return last;
  };
  return { backend, send, remote };
}

const PHONE = '020 7946 0958';

describe('a value found once is hidden wherever it occurs', () => {
  it('hides the copy the detector cannot see, next to the one it can', async () => {
    const out = await guarded().send({ messages: [{ role: 'user', content: `Call ${PHONE} (tel:${PHONE})` }] });
    expect(out.messages?.[0]?.content).toBe('Call [PHONE_1] (tel:[PHONE_1])');
  });

  it('hides a copy that no detector can see, whatever the detectors learn', async () => {
    // `_` is a word character, so the pattern's \b cannot match inside `_K-1234_`; only the literal pass can.
    const out = await guarded({ types: [], patterns: [/\bK-\d{4}\b/] }).send({ messages: [{ role: 'user', content: 'Order K-1234 (ref _K-1234_)' }] });
    expect(out.messages?.[0]?.content).toBe('Order [PATTERN_1] (ref _[PATTERN_1]_)');
  });

  it('hides it in every message, tool-call argument (strings and keys), tool result and prompt of the request', async () => {
    const out = await guarded().send({
      messages: [
        { role: 'system', content: `Support line TEL:${PHONE}.` },
        { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'dial', arguments: { to: `TEL:${PHONE}`, [`TEL:${PHONE}`]: [`x:${PHONE}`] } }] },
        { role: 'tool', toolCallId: 'c1', content: `{"dialled":"TEL:${PHONE}"}` },
        { role: 'user', content: `Please call ${PHONE} again.` },
      ],
    });
    const body = JSON.stringify(out);
    expect(body).not.toContain(PHONE);
    expect(out.messages?.[0]?.content).toBe('Support line TEL:[PHONE_1].');
    expect(out.messages?.[1]).toMatchObject({ toolCalls: [{ arguments: { to: 'TEL:[PHONE_1]', 'TEL:[PHONE_1]': ['x:[PHONE_1]'] } }] });
    expect(out.messages?.[2]?.content).toBe('{"dialled":"TEL:[PHONE_1]"}');
  });

  it('replaces the longest known value first, so a value that contains another wins', async () => {
    const out = await guarded({ types: [], patterns: [/\bID-\d{4}(?:-\d{2})?\b/] }).send({
      messages: [
        { role: 'user', content: 'Ticket ID-1234 first.' },
        { role: 'user', content: 'Then ID-1234-56.' },
        // `_` is a word character, so the pattern's \b does not see these two; the literal pass does.
        { role: 'user', content: 'See _ID-1234-56_ and _ID-1234_.' },
      ],
    });
    expect(out.messages?.map((m) => m.content)).toEqual(['Ticket [PATTERN_1] first.', 'Then [PATTERN_2].', 'See _[PATTERN_2]_ and _[PATTERN_1]_.']);
  });

  it('does not cut a word or number that merely contains a value', async () => {
    const out = await guarded({ terms: ['Ann'] }).send({
      messages: [
        { role: 'user', content: 'Ann wrote the Annual report (by:Ann).' },
        { role: 'user', content: 'Version 1.2.3.4 is out; v1.2.3.4 and 1.2.3.4.5 are versions, ip=1.2.3.4 is not.' },
      ],
    });
    expect(out.messages?.map((m) => m.content)).toEqual([
      '[TERM_1] wrote the Annual report (by:[TERM_1]).',
      'Version [IP_1] is out; v1.2.3.4 and 1.2.3.4.5 are versions, ip=[IP_1] is not.',
    ]);
  });
});

describe('stop sequences (defect 2)', () => {
  it('go out with the same placeholders as the messages', async () => {
    const out = await guarded().send({ messages: [{ role: 'user', content: `Write to jane@example.com, call ${PHONE}.` }], stop: ['jane@example.com', `Tel: ${PHONE}`, '\n\n'] });
    expect(out.stop).toEqual(['[EMAIL_1]', 'Tel: [PHONE_1]', '\n\n']);
  });

  it('are redacted for a prompt request too', async () => {
    const out = await guarded().send({ prompt: 'Mail bob@example.org', stop: ['bob@example.org'] });
    expect(out.prompt).toBe('Mail [EMAIL_1]');
    expect(out.stop).toEqual(['[EMAIL_1]']);
  });
});

describe('values seen in earlier requests of the same engine', () => {
  it('stay hidden in a later request where the detector cannot see them', async () => {
    const g = guarded();
    await g.send({ messages: [{ role: 'user', content: `My number is ${PHONE}.` }] });
    const later = await g.send({ messages: [{ role: 'user', content: `The model wrote TEL:${PHONE}; fix it.` }] });
    expect(later.messages?.[0]?.content).toBe('The model wrote TEL:[PHONE_1]; fix it.');
  });

  it('stay hidden where no detector can see them, after the message that held them left the history', async () => {
    const g = guarded({ types: [], patterns: [/\bK-\d{4}\b/] });
    await g.send({ messages: [{ role: 'user', content: 'Order K-1234.' }] });
    const later = await g.send({ messages: [{ role: 'user', content: 'The answer said _K-1234_.' }] });
    expect(later.messages?.[0]?.content).toBe('The answer said _[PATTERN_1]_.');
  });

  it('are remembered per middleware instance, not across engines', async () => {
    const options: RedactOptions = { types: [], patterns: [/\bK-\d{4}\b/] };
    await guarded(options).send({ messages: [{ role: 'user', content: 'Order K-1234.' }] });
    const other = await guarded(options).send({ messages: [{ role: 'user', content: '_K-1234_' }] });
    expect(other.messages?.[0]?.content).toBe('_K-1234_');
  });

  it('are bounded: the oldest of more than 1000 values is forgotten', async () => {
    const g = guarded({ types: [], patterns: [/\bK\d{4}\b/] });
    const many = Array.from({ length: 1001 }, (_, i) => `K${String(i).padStart(4, '0')}`);
    await g.send({ messages: [{ role: 'user', content: many.join(' ') }] });
    const later = await g.send({ messages: [{ role: 'user', content: '_K0000_ _K0001_ _K1000_' }] });
    expect(later.messages?.[0]?.content).toBe('_K0000_ _[PATTERN_1]_ _[PATTERN_2]_');
  });

  it('are hidden in embedding inputs too', async () => {
    const g = guarded({ types: [], patterns: [/\bK-\d{4}\b/] });
    await g.send({ messages: [{ role: 'user', content: 'Order K-1234.' }] });
    await g.backend.embed?.({ texts: ['_K-1234_', 'K-5678 (_K-5678_)'], batchSize: 8, normalize: true });
    expect(g.remote.embedded[0]?.texts).toEqual(['_[PATTERN_1]_', '[PATTERN_2] (_[PATTERN_2]_)']);
  });
});

describe('the finder seam', () => {
  it('asks the finder once per request, with every text the request carries', async () => {
    const calls: string[][] = [];
    const finder: SpanFinder = async (texts) => {
      calls.push([...texts]);
      const spans = texts.map((t): Span[] => {
        const at = t.indexOf('Jane Roe');
        return at === -1 ? [] : [{ start: at, end: at + 8, type: 'name', counted: true }];
      });
      return { spans, complete: false };
    };
    const out = await guarded({}, () => finder).send({
      messages: [
        { role: 'user', content: 'I am Jane Roe.' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'note', arguments: { who: 'Jane Roe' } }] },
        { role: 'tool', toolCallId: 'c1', content: 'saved' },
      ],
      stop: ['Bye Jane Roe'],
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toEqual(expect.arrayContaining(['I am Jane Roe.', 'who', 'Jane Roe', 'saved', 'Bye Jane Roe']));
    expect(out.messages?.[0]?.content).toBe('I am [NAME_1].');
    expect(out.stop).toEqual(['Bye [NAME_1]']);
  });
});

describe('speed of the literal pass', () => {
  function cpuMs(run: () => void): number {
    const start = process.cpuUsage();
    run();
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000;
  }

  it('covers 200 KB with 2000 known values in one pass, not one scan per value', () => {
    const values = Array.from({ length: 2000 }, (_, i) => (i % 2 ? `user${i}@example${i % 37}.com` : `+44 20 ${7000 + i} ${String((i * 7) % 10000).padStart(4, '0')}`));
    let text = '';
    for (let i = 0; text.length < 200_000; i++) text += `Some prose, words and numbers ${i}, then ${values[(i * 7) % values.length]} and more, user stuff. `;
    const times: number[] = [];
    for (let run = 0; run < 7; run++) {
      const session = createRedactionSession({ types: [] });
      // Register the values as found (spans over a list of them), then time the pass over the big text alone.
      let list = '';
      const spans: Span[] = [];
      for (const v of values) { spans.push({ start: list.length, end: list.length + v.length, type: 'term', counted: true }); list += `${v}\n`; }
      session.redactTexts([list], [spans]);
      let out = '';
      times.push(cpuMs(() => { out = session.redactTexts([text], [[]])[0] ?? ''; }));
      expect(out).not.toContain('@example');
    }
    times.sort((a, b) => a - b);
    const [best = Number.NaN] = times;
    const median = times[3] ?? Number.NaN;
    console.log(`literal pass over ${text.length} chars with ${values.length} values: best ${best.toFixed(2)} ms, median ${median.toFixed(2)} ms of CPU (${times.map((t) => t.toFixed(1)).join(', ')})`);
    // A guard against the naive shape (one indexOf scan of the lower-cased text per known
    // value: 127 ms here, quiet), not a speed figure: the best run measured 3 to 4 ms
    // quiet and 12.5 ms once on a loaded 2-core CI run, which a 10 ms bound failed. The
    // speed itself is the privacy bench's to report.
    expect(best).toBeLessThan(100);
  });
});

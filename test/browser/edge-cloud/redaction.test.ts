/**
 * Acceptance (issue 7.1): with redaction on, the OpenAI-compatible server's record holds
 * none of the ≥200 personal-data items, the app receives the restored text (placeholders
 * split across SSE chunks included), and the counts by type are right.
 */
import { createEngine, type FinishPart } from '/dist/edgewise.js';
import { PII_CORPUS } from '../../corpus/pii.js';
import { assert, assertEqual } from '../helpers.js';
import { chatCalls, remoteFaults, remoteReset, testRemote } from './remote-helpers.js';

async function ask(engine: ReturnType<typeof createEngine>, messages: { role: 'system' | 'user' | 'assistant'; content: string }[]) {
  let text = '';
  let finish: FinishPart | undefined;
  for await (const p of engine.generate({ messages, maxTokens: 4000 })) {
    if (p.type === 'text') text += p.text;
    else if (p.type === 'finish') finish = p;
  }
  return { text, finish: finish as FinishPart };
}

describe('edge-cloud: redaction before the cloud', () => {
  beforeEach(remoteReset);
  after(remoteReset);

  it(`none of the ${PII_CORPUS.length} corpus items reaches the server; the app gets the restored text; counts are right`, async function () {
    this.timeout(300_000);
    assert(PII_CORPUS.length >= 200, `a corpus of at least 200 items (${PII_CORPUS.length})`);
    // Two- and three-character SSE chunks: most placeholders arrive split across chunks.
    await remoteFaults([{ match: '/chat/completions', chunkSize: 2 }]);
    // restore: 'all': some corpus contexts put a value in a link or an attribute, where the
    // default ('text') leaves the placeholder (test/node/privacy/exfiltration.test.ts); here
    // every value must come back, split across chunks or not.
    const engine = createEngine({ ...testRemote(), policy: 'remote-only', redact: { restore: 'all' } });
    const wrong: string[] = [];
    try {
      for (const item of PII_CORPUS) {
        const { text, finish } = await ask(engine, [{ role: 'user', content: item.context }]);
        if (text !== `Echo: ${item.context}`) wrong.push(`restored text differs for ${item.type} ${item.value}: ${text}`);
        if ((finish.redactions?.[item.type] ?? 0) < 1) wrong.push(`no ${item.type} counted for ${item.value}: ${JSON.stringify(finish.redactions)}`);
        if (finish.ranOn !== 'remote') wrong.push(`ran on ${finish.ranOn}`);
      }
      const sent = JSON.stringify((await chatCalls()).map((c) => c.body));
      const leaked = PII_CORPUS.filter((i) => sent.includes(i.value) || sent.includes(JSON.stringify(i.value).slice(1, -1)));
      assertEqual(leaked.map((i) => `${i.type}: ${i.value}`), [], 'no corpus value in the server record');
      assertEqual((await chatCalls()).length, PII_CORPUS.length, 'one request per item');
      assertEqual(wrong.slice(0, 5), [], `every answer restored and counted (${wrong.length} wrong)`);
    } finally {
      await engine.dispose();
    }
  });

  it('the same value gets the same placeholder across system, history and user messages; counts are by distinct value', async () => {
    const engine = createEngine({ ...testRemote(), policy: 'remote-only' });
    try {
      const { text, finish } = await ask(engine, [
        { role: 'system', content: 'The user is jane.doe@example.com, phone +44 20 7946 0958.' },
        { role: 'user', content: 'My card is 4111 1111 1111 1111.' },
        { role: 'assistant', content: 'Noted, jane.doe@example.com.' },
        { role: 'user', content: 'Email jane.doe@example.com and bob@example.org please.' },
      ]);
      const [call] = await chatCalls();
      const body = call?.body as { messages: { content: string }[] };
      const placeholders = body.messages.map((m) => m.content.match(/\[EMAIL_\d+\]/g) ?? []);
      assertEqual(placeholders.map((p) => p[0]), ['[EMAIL_1]', undefined, '[EMAIL_1]', '[EMAIL_1]'], 'one placeholder for one address everywhere');
      assert(!JSON.stringify(body).includes('example.com') && !JSON.stringify(body).includes('4111'), 'nothing personal in the body');
      assertEqual(text, 'Echo: Email jane.doe@example.com and bob@example.org please.', 'restored answer');
      assertEqual(finish.redactions, { email: 2, phone: 1, card: 1 }, 'counts by type, never values');
    } finally {
      await engine.dispose();
    }
  });

  it('redact: false sends the text as it is (the app chose so), and reports no redactions', async () => {
    const engine = createEngine({ ...testRemote(), policy: 'remote-only', redact: false });
    try {
      const { finish } = await ask(engine, [{ role: 'user', content: 'mail jane@example.com' }]);
      const [call] = await chatCalls();
      assert(JSON.stringify(call?.body).includes('jane@example.com'), 'sent unredacted');
      assertEqual(finish.redactions, {}, 'no redactions');
    } finally {
      await engine.dispose();
    }
  });

  it('app terms and patterns are redacted too', async () => {
    const engine = createEngine({ ...testRemote(), policy: 'remote-only', redact: { terms: ['Project Falcon'], patterns: [/ORD-\d{6}/g] } });
    try {
      const { text, finish } = await ask(engine, [{ role: 'user', content: 'Status of project falcon order ORD-123456?' }]);
      const sent = JSON.stringify((await chatCalls())[0]?.body);
      assert(!/falcon/i.test(sent) && !sent.includes('ORD-123456'), `terms and patterns hidden: ${sent}`);
      assertEqual(text, 'Echo: Status of project falcon order ORD-123456?', 'restored');
      assertEqual(finish.redactions, { term: 1, pattern: 1 }, 'counts');
    } finally {
      await engine.dispose();
    }
  });
});

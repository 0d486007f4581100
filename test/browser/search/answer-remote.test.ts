/**
 * engine.answer() off the device (issue 18): what the OpenAI-compatible test server
 * receives. Only the retrieved passages go out (never the other documents), redacted
 * like any remote request; a prompt over the local context goes remote under prefer-local.
 */
import { createEngine, type Engine } from '/dist/edgewise.js';
import { FIXTURE_URL, assert, assertEqual } from '../helpers.js';
import { BERT_URL } from '../embeddings/helpers.js';
import { chatCalls, remoteLog, remoteReset, testRemote } from '../edge-cloud/remote-helpers.js';
import { collect, createIndex, freshName } from './index-helpers.js';

const EMAIL = 'jane.doe@example.com';
const DOCS = [
  { id: 'contract', text: `The lease contract ends in March. Questions go to ${EMAIL} before the renewal.`, metadata: { folder: 'work' } },
  { id: 'parking', text: 'The parking permit for the office garage is renewed every January.', metadata: { folder: 'work' } },
  { id: 'garden', text: 'Marigolds keep aphids away from the tomato beds in the allotment.', metadata: { folder: 'home' } },
  { id: 'recipe', text: 'Simmer the lentil soup with cumin and a bay leaf for forty minutes.', metadata: { folder: 'home' } },
];

describe('engine.answer(): remote', function () {
  this.timeout(120_000);
  beforeEach(remoteReset);

  it('remote-only: the request holds the retrieved passages only, with the email redacted', async () => {
    const engine: Engine = createEngine({ ...testRemote(), embeddingModel: { id: 'tiny-bert', url: BERT_URL }, policy: 'remote-only', cache: false });
    const index = createIndex({ engine, name: freshName('answer-remote') });
    try {
      await index.add(DOCS);
      assertEqual((await index.info()).model, 'remote:test-model', 'embedded by the remote under remote-only, and recorded so');
      const parts = await collect(engine.answer({ question: 'Who do I ask about the lease renewal?', index, k: 4, filter: { folder: 'work' }, maxTokens: 16 }));
      const sources = parts.filter((p) => p.type === 'source');
      assertEqual(sources.map((s) => s.docId).sort(), ['contract', 'parking'], 'the filter retrieves the work documents only');
      const finish = parts.find((p) => p.type === 'finish');
      assert(finish?.type === 'finish' && finish.ranOn === 'remote', 'answered remotely');
      assertEqual(finish.redactions?.email, 1, 'the finish reports the redacted email');

      const calls = await chatCalls();
      assertEqual(calls.length, 1, 'one chat request');
      const body = JSON.stringify(calls[0]!.body);
      assert(body.includes('The lease contract ends in March.'), 'the contract passage went out');
      assert(body.includes('The parking permit for the office garage'), 'the parking passage went out');
      assert(body.includes('[EMAIL_1]'), 'the email became a placeholder');
      assert(!body.includes('Marigolds') && !body.includes('lentil'), 'the documents not retrieved stayed on the device');
      assert(body.includes('[1] ') && body.includes('[2] ') && body.includes('Question: Who do I ask'), 'numbered passages, then the question');
      assert(!JSON.stringify(await remoteLog()).includes(EMAIL), 'the address never reached the server, in no request (embeddings included)');
    } finally {
      await index.close();
      await engine.dispose();
    }
  });

  it('prefer-local: retrieval on the device, a prompt over the local context answered remotely (context_overflow)', async () => {
    const engine: Engine = createEngine({
      ...testRemote(), model: { id: 'tiny-llama', url: FIXTURE_URL, dtype: 'q4' }, embeddingModel: { id: 'tiny-bert', url: BERT_URL }, policy: 'prefer-local', cache: false,
    });
    const index = createIndex({ engine, name: freshName('answer-overflow') });
    try {
      // Four passages of ~400 characters are far over the fixture's 256 tokens.
      await index.add(DOCS.map((d) => ({ ...d, text: `${d.text} `.repeat(6) })));
      assertEqual((await index.info()).model, 'tiny-bert:fp32', 'embedded on the device');
      const parts = await collect(engine.answer({ question: 'When does the lease end?', index, k: 4, maxTokens: 8 }));
      assertEqual(parts.filter((p) => p.type === 'source').length, 4, 'four passages');
      const finish = parts.find((p) => p.type === 'finish');
      assert(finish?.type === 'finish', 'a finish');
      assertEqual([finish.ranOn, finish.route.reason], ['remote', 'context_overflow'], 'routed remote because the prompt does not fit');
      assert(!JSON.stringify((await chatCalls())[0]?.body).includes(EMAIL), 'redacted on this route too');
    } finally {
      await index.close();
      await engine.dispose();
    }
  });
});

/**
 * Acceptance (issue 8.3): remote embeddings go through the router with redaction:
 * `remote-only` hits the test server's `/embeddings` with redacted input and returns its
 * vectors; `prefer-local` without a local embedding model goes remote and says so.
 */
import { createEngine } from '/dist/edgewise.js';
import { assert, assertEqual } from '../helpers.js';
import { remoteLog, remoteReset, testRemote } from '../edge-cloud/remote-helpers.js';
import { BERT_URL, cosine } from './helpers.js';

const embedCalls = async () => (await remoteLog()).filter((e) => e.path.endsWith('/embeddings'));

describe('embeddings: remote, through the router', () => {
  beforeEach(remoteReset);
  after(remoteReset);

  it('remote-only: /embeddings gets redacted input, the app gets the server\'s vectors, in order', async () => {
    const engine = createEngine({ ...testRemote({ embeddingModel: 'test-embedder' }), policy: 'remote-only' });
    try {
      const texts = ['Write to jane.doe@example.com', 'Call +44 20 7946 0958 now', 'nothing personal here'];
      const v = await engine.embed(texts);
      const [call] = await embedCalls();
      const body = call?.body as { input: string[]; encoding_format: string; model: string };
      assertEqual(body.encoding_format, 'float', 'asks for floats');
      assertEqual(body.model, 'test-embedder', 'remote.embeddingModel names the model');
      assertEqual(body.input, ['Write to [EMAIL_1]', 'Call [PHONE_1] now', 'nothing personal here'], 'redacted input on the wire');
      assertEqual(v.ranOn, 'remote', 'ran remote');
      assertEqual(v.route.reason, 'remote_only', 'and says why');
      assertEqual(v.redactions, { email: 1, phone: 1 }, 'counts by type');
      assertEqual(v.length, 3, 'one vector per text');
      // The server's vectors are a deterministic function of the text it received.
      const again = await engine.embed(['nothing personal here']);
      assert(cosine(again[0] as Float32Array, v[2] as Float32Array) > 0.999999, 'the third vector is the third text\'s');
      assert(v.cost !== undefined && v.cost.total > 0, 'cost from the configured input price');
    } finally {
      await engine.dispose();
    }
  });

  it('prefer-local without a local embedding model goes remote and says so', async () => {
    const engine = createEngine({ ...testRemote(), policy: 'prefer-local' });
    try {
      const v = await engine.embed(['hello']);
      assertEqual([v.ranOn, v.route.reason], ['remote', 'no_local_model'], 'where and why');
      assertEqual((await embedCalls()).length, 1, 'the server saw it');
    } finally {
      await engine.dispose();
    }
  });

  it('prefer-local with a local embedding model stays on the device; the server sees nothing', async () => {
    const engine = createEngine({ ...testRemote(), embeddingModel: { id: 'tiny-bert', url: BERT_URL }, cache: false });
    try {
      const v = await engine.embed(['hello', 'world']);
      assertEqual([v.ranOn, v.route.reason], ['wasm', 'local_preferred'], 'where and why');
      assertEqual((await embedCalls()).length, 0, 'nothing left the page');
    } finally {
      await engine.dispose();
    }
  });

  it('the OpenAI face: embeddings.create returns data[i].embedding as numbers and usage', async () => {
    const engine = createEngine({ embeddingModel: { id: 'tiny-bert', url: BERT_URL }, cache: false });
    try {
      const r = await engine.embeddings.create({ input: ['a', 'b'], model: 'tiny-bert' });
      assertEqual(r.object, 'list', 'list');
      assertEqual(r.data.map((d) => [d.object, d.index, d.embedding.length]), [['embedding', 0, 32], ['embedding', 1, 32]], 'data');
      assert(typeof r.data[0]?.embedding[0] === 'number', 'plain numbers');
      assert(r.usage.prompt_tokens > 0, 'usage');
      assertEqual(r.edgewise.ranOn, 'wasm', 'edgewise extras');
      const single = await engine.embeddings.create({ input: 'a' });
      assertEqual(single.data.length, 1, 'a single string input');
    } finally {
      await engine.dispose();
    }
  });
});

/**
 * engine.answer() on the device (issue 18), through the built packages: the tiny llama
 * fixture answers from passages the tiny BERT index retrieves. Source parts come first and
 * point at real chunks, then text, then exactly one finish; bad requests are typed.
 */
import { createEngine, type Engine } from '/dist/edgewise.js';
import { FIXTURE_URL, assert, assertEqual } from '../helpers.js';
import { BERT_URL } from '../embeddings/helpers.js';
import { DOCS, collect, createIndex, failure, freshName } from './index-helpers.js';

describe('engine.answer(): local', function () {
  this.timeout(120_000);
  let engine: Engine;
  before(() => {
    engine = createEngine({ model: { id: 'tiny-llama', url: FIXTURE_URL, dtype: 'q4' }, embeddingModel: { id: 'tiny-bert', url: BERT_URL }, cache: false });
  });
  after(() => engine.dispose());

  it('yields one source part per passage, pointing at real chunks, then the text and one finish', async () => {
    // Short chunks: the fixture's context is 256 tokens, and its byte-level tokenizer spends ~1.7 characters a token.
    const index = createIndex({ engine, name: freshName('answer'), size: 64, overlap: 0 });
    try {
      await index.add(DOCS);
      const question = 'When is the dentist appointment?';
      const parts = await collect(engine.answer({ question, index, k: 2, maxTokens: 8 }));
      const sources = parts.filter((p) => p.type === 'source');
      assertEqual(sources.map((s) => s.n), [1, 2], 'numbered from 1, k of them');
      assertEqual(parts.slice(0, 2).map((p) => p.type), ['source', 'source'], 'sources come before anything else');
      const hits = await index.search(question, { k: 2 });
      assertEqual(sources.map((s) => s.chunkId), hits.map((h) => h.chunkId), 'the passages are the retrieved chunks, in rank order');
      for (const s of sources) {
        const doc = DOCS.find((d) => d.id === s.docId);
        assert(doc, `the source names a real document (${s.docId})`);
        assertEqual(doc.text.slice(s.start, s.end), hits.find((h) => h.chunkId === s.chunkId)?.text, `its offsets slice the document (${s.chunkId})`);
        assert(s.score > 0, 'a score');
      }
      const rest = parts.slice(2);
      assert(rest.some((p) => p.type === 'text'), 'some text');
      const finishes = rest.filter((p) => p.type === 'finish');
      assertEqual(finishes.length, 1, 'exactly one finish');
      assertEqual(rest[rest.length - 1]?.type, 'finish', 'last');
      const f = finishes[0]!;
      if (f.type === 'finish') assertEqual([f.ranOn, f.route.reason], ['wasm', 'local_only'], 'answered on the device');
    } finally {
      await index.close();
    }
  });

  it('an empty index still answers: no source parts, then text and a finish', async () => {
    const index = createIndex({ engine, name: freshName('answer-empty') });
    const parts = await collect(engine.answer({ question: 'Anything?', index, maxTokens: 4 }));
    assert(!parts.some((p) => p.type === 'source'), 'no sources');
    assertEqual(parts.filter((p) => p.type === 'finish').length, 1, 'one finish');
    await index.close();
  });

  it('bad requests are invalid_request, naming the option', async () => {
    const index = createIndex({ engine, name: freshName('answer-bad') });
    const first = (r: unknown): Promise<unknown> => collect(engine.answer(r as Parameters<Engine['answer']>[0]));
    const cases: [unknown, string][] = [
      [{ question: '  ', index }, 'question'],
      [{ question: 'q' }, 'index'],
      [{ question: 'q', index: { search: 'no' } }, 'index'],
      [{ question: 'q', index, k: 0 }, 'k'],
      [{ question: 'q', index, k: 2.5 }, 'k'],
      [{ question: 'q', index, mode: 'fuzzy' }, 'mode'],
      [{ question: 'q', index, tools: [] }, 'tools'],
    ];
    for (const [request, option] of cases) {
      const e = await failure(first(request));
      assertEqual([e.code, e.details['option']], ['invalid_request', option], `${JSON.stringify(request, (k, v) => (k === 'index' && typeof v === 'object' && 'add' in v ? '<index>' : v))}`);
    }
    await index.close();
  });
});

/**
 * edgewise/search in Chromium through the built face (issue 18): createIndex over the
 * tiny BERT fixture and the shipped search worker; add → search finds the document a
 * query is about; update, remove, count; progress; Blobs, skipped documents and bad input.
 */
import type { Engine } from '/dist/edgewise.js';
import { assert, assertEqual } from '../helpers.js';
import { DOCS, bertEngine, createIndex, failure, freshName } from './index-helpers.js';

describe('edgewise/search: add, search, update, remove', function () {
  this.timeout(120_000);
  let engine: Engine;
  before(() => { engine = bertEngine(); });
  after(() => engine.dispose());

  it('finds the document each distinctive query is about, with exact offsets, and records the model', async () => {
    const index = createIndex({ engine, name: freshName('basic') });
    try {
      const r = await index.add(DOCS);
      assertEqual([r.added, r.chunks, r.skipped], [5, 5, []], 'five one-chunk documents');
      const cases: [string, string][] = [
        // The fixture's weights are random: its vectors follow shared word pieces, so the queries reuse the documents' words.
        ['dentist appointment on Tuesday', 'dentist'],
        ['oil the bicycle chain with pliers', 'bicycle'],
        ['volcano lava basalt', 'volcano'],
        ['sourdough starter flour', 'sourdough'],
        ['The tax return deadline is the thirty-first of July', 'tax'],
      ];
      for (const [q, want] of cases) {
        const hits = await index.search(q, { k: 3 });
        assertEqual(hits[0]?.docId, want, `top hit for "${q}" (${hits.map((h) => `${h.docId}:${h.score.toFixed(3)}`).join(', ')})`);
        const doc = DOCS.find((d) => d.id === want)!;
        assertEqual(doc.text.slice(hits[0]!.start, hits[0]!.end), hits[0]!.text, 'the hit slices its document');
        assert(hits.length === 3 && hits[0]!.score >= hits[1]!.score && hits[1]!.score >= hits[2]!.score, 'k hits, best first');
      }
      const filtered = await index.search('dentist appointment', { k: 5, filter: { folder: 'home' } });
      assertEqual(filtered.map((h) => h.docId).sort(), ['bicycle', 'sourdough'], 'the filter keeps only matching metadata');
      const info = await index.info();
      assertEqual([info.model, info.dims, info.docs, info.chunks, info.chunk], ['tiny-bert:fp32', 32, 5, 5, { size: 800, overlap: 100 }], 'info says which model built it');
      assertEqual((await engine.embed(['x'])).model, 'tiny-bert:fp32', 'Embeddings.model is the id and dtype');
    } finally {
      await index.close();
    }
  });

  it('update replaces a document, remove drops it, count follows, and an existing id in add() replaces too', async () => {
    const index = createIndex({ engine, name: freshName('update') });
    try {
      await index.add(DOCS.slice(0, 3));
      assertEqual(await index.count(), { docs: 3, chunks: 3 }, 'three documents');
      const long = `${'The volcano erupted again. '.repeat(60)}Then the ash cloud drifted north.`;
      const u = await index.update({ id: 'volcano', text: long });
      assert(u.chunks > 1, `a long text makes several chunks (${u.chunks})`);
      assertEqual(await index.count(), { docs: 3, chunks: 2 + u.chunks }, 'the old chunk is replaced, not added to');
      // Hybrid: the chunk is mostly the repeated sentence, so the exact words decide (BM25).
      const hit = (await index.search('ash cloud drifted north', { k: 1, mode: 'hybrid' }))[0]!;
      assertEqual([hit.docId, long.slice(hit.start, hit.end) === hit.text], ['volcano', true], 'the new text is searched, offsets into it');
      await index.add([{ id: 'volcano', text: 'Volcano, short again.' }]);
      assertEqual(await index.count(), { docs: 3, chunks: 3 }, 'add() of an existing id replaces it');
      assertEqual([await index.remove('volcano'), await index.remove('volcano')], [true, false], 'remove, then nothing to remove');
      assertEqual(await index.count(), { docs: 2, chunks: 2 }, 'count after remove');
      assert(!(await index.search('volcano lava basalt', { k: 5 })).some((h) => h.docId === 'volcano'), 'removed documents are gone from search');
      await index.clear();
      assertEqual([await index.count(), await index.search('dentist', {})], [{ docs: 0, chunks: 0 }, []], 'clear empties it');
    } finally {
      await index.close();
    }
  });

  it('reports progress per batch: docs, chunks and chunks/s, ending at the totals', async () => {
    const index = createIndex({ engine, name: freshName('progress'), size: 120, overlap: 20 });
    try {
      const docs = DOCS.map((d) => ({ ...d, text: `${d.text} ${d.text} ${d.text}` }));
      const events: { docsDone: number; docsTotal: number; chunksDone: number; chunksPerSecond: number }[] = [];
      const r = await index.add(docs, { batchSize: 4, onProgress: (p) => events.push(p) });
      assert(events.length >= Math.ceil(r.chunks / 4), `one event per batch at least (${events.length} for ${r.chunks} chunks)`);
      for (let i = 1; i < events.length; i++) assert(events[i]!.chunksDone > events[i - 1]!.chunksDone || events[i]!.docsDone > events[i - 1]!.docsDone, 'progress moves');
      const last = events[events.length - 1]!;
      assertEqual([last.docsDone, last.docsTotal, last.chunksDone], [5, 5, r.chunks], 'the last event is the totals');
      assert(events.every((e) => e.chunksPerSecond > 0 && Number.isFinite(e.chunksPerSecond)), 'a rate');
    } finally {
      await index.close();
    }
  });

  it('Blobs stream with exact offsets; binary and empty documents are skipped with a reason', async () => {
    const index = createIndex({ engine, name: freshName('blobs'), size: 200, overlap: 40 });
    try {
      const text = `# Garden\n\n${'Tomatoes need sun and water every morning. '.repeat(20)}\n\n## Compost\n\n${'Turn the compost heap weekly. '.repeat(15)}`;
      const png = new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])], { type: 'image/png' });
      const r = await index.add([
        { id: 'garden.md', text: new Blob([text], { type: 'text/markdown' }) },
        { id: 'photo.png', text: png },
        { id: 'blank.txt', text: new Blob(['  \n\n ']) },
        { id: 'empty', text: '   ' },
      ]);
      assertEqual([r.added, r.skipped], [1, [{ id: 'photo.png', reason: 'binary' }, { id: 'blank.txt', reason: 'empty' }, { id: 'empty', reason: 'empty' }]], 'one added, three skipped');
      const hits = await index.search('turn the compost heap', { k: 100 });
      assertEqual(hits.length, r.chunks, 'every chunk is searchable');
      for (const h of hits) assertEqual(text.slice(h.start, h.end), h.text, `offsets of ${h.chunkId}`);
      assert(hits.some((h) => h.text.startsWith('## Compost')), 'a chunk starts at the heading');
    } finally {
      await index.close();
    }
  });

  it('bad input fails typed before anything is written', async () => {
    const index = createIndex({ engine, name: freshName('bad') });
    try {
      const dup = await failure(index.add([{ id: 'a', text: 'one' }, { id: 'b', text: 'two' }, { id: 'a', text: 'three' }]));
      assertEqual([dup.code, dup.details['id']], ['invalid_input', 'a'], 'a duplicate id');
      assertEqual(await index.count(), { docs: 0, chunks: 0 }, 'nothing was written');
      assertEqual((await failure(index.add([{ id: 'x', text: 42 as unknown as string }]))).code, 'invalid_input', 'a text that is neither string nor Blob');
      assertEqual((await failure(index.search('q', { k: 0 }))).code, 'invalid_option', 'k out of range');
      assertEqual((await failure(() => Promise.resolve(createIndex({ engine, name: 'no spaces allowed' })))).code, 'invalid_option', 'a bad name');
      assertEqual((await failure(() => Promise.resolve(createIndex({ engine, name: 'x', overlap: 500 })))).code, 'invalid_option', 'overlap over half of size');
      assertEqual((await failure(index.info())).code, 'invalid_index', 'info() of an index never written');
    } finally {
      await index.close();
    }
  });
});

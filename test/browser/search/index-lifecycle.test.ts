/**
 * edgewise/search in Chromium (issue 18): what survives failure. An abort or a failed
 * embed mid-add leaves each document as it was; another embedding model is a
 * model_mismatch until reindex(); export/import round-trips; an index outlives its handle.
 */
import { EdgewiseError, type Engine } from '/dist/edgewise.js';
import { assert, assertEqual } from '../helpers.js';
import { DOCS, bertEngine, createIndex, failure, freshName } from './index-helpers.js';

const long = (word: string, n: number): string => Array.from({ length: n }, (_, i) => `The ${word} note number ${i} is here.`).join(' ');

describe('edgewise/search: abort, failure, model identity, export', function () {
  this.timeout(120_000);
  let engine: Engine;
  before(() => { engine = bertEngine(); });
  after(() => engine.dispose());

  it('an abort mid-add rejects with aborted and leaves the document as it was; documents finished before it stay', async () => {
    const name = freshName('abort');
    const index = createIndex({ engine, name, size: 100, overlap: 0 });
    try {
      await index.add([{ id: 'big', text: 'The original short text.' }]);
      const before = await index.count();
      const bytes = (await index.info()).bytes;
      const ac = new AbortController();
      let events = 0;
      const e = await failure(index.add([{ id: 'big', text: long('replacement', 200) }], {
        batchSize: 8, signal: ac.signal, onProgress: () => { if (++events === 2) ac.abort(); },
      }));
      assertEqual(e.code, 'aborted', 'typed abort');
      assertEqual(await index.count(), before, 'counts as before');
      assertEqual((await index.info()).bytes, bytes, 'the batches written before the abort were abandoned (stored bytes as before)');
      const hits = await index.search('original short text', { k: 10 });
      assertEqual(hits.map((h) => h.text), ['The original short text.'], 'the old content is all there is: no half-written chunks surface');

      const ac2 = new AbortController();
      const docs = [{ id: 'one', text: 'First small document.' }, { id: 'two', text: long('second', 100) }];
      const e2 = await failure(index.add(docs, { batchSize: 4, signal: ac2.signal, onProgress: (p) => { if (p.docsDone === 1) ac2.abort(); } }));
      assertEqual(e2.code, 'aborted', 'typed abort again');
      const ids = new Set((await index.search('document note', { k: 100 })).map((h) => h.docId));
      assertEqual([...ids].sort(), ['big', 'one'], 'the finished document stays, the aborted one never appears');
    } finally {
      await index.close();
    }
  });

  it('a failing embed mid-add abandons the unfinished document and rethrows its error', async () => {
    let calls = 0;
    const flaky = {
      embed: async (texts: readonly string[], o?: { signal?: AbortSignal }) => {
        if (++calls === 3) throw Object.assign(new Error('embedding service fell over'), { code: 'test' });
        return engine.embed(texts, o);
      },
    };
    const index = createIndex({ engine: flaky, name: freshName('flaky'), size: 100, overlap: 0 });
    try {
      await index.add([{ id: 'kept', text: 'A document that was there before.' }]);
      const before = await index.count();
      const bytes = (await index.info()).bytes;
      let thrown: unknown;
      try {
        await index.add([{ id: 'lost', text: long('lost', 60) }], { batchSize: 4 });
      } catch (e) {
        thrown = e;
      }
      assertEqual((thrown as Error | undefined)?.message, 'embedding service fell over', 'the embed error comes through');
      assertEqual(await index.count(), before, 'nothing of the failed document stays');
      assertEqual((await index.info()).bytes, bytes, 'its first batches were abandoned, not left behind');
    } finally {
      await index.close();
    }
  });

  it('a model change in the middle of an add (a route that moved) is model_mismatch, and the document is abandoned', async () => {
    let calls = 0;
    // As when the local model fails and the remote takes over: same engine, other vectors.
    const switching = {
      embed: async (texts: readonly string[]) => {
        const v = await engine.embed(texts);
        return Object.assign(v, { model: ++calls >= 3 ? 'remote:other' : v.model });
      },
    };
    const index = createIndex({ engine: switching, name: freshName('switch'), size: 100, overlap: 0 });
    try {
      await index.add([{ id: 'first', text: 'A first document, embedded before the switch.' }]);
      const bytes = (await index.info()).bytes;
      const e = await failure(index.add([{ id: 'second', text: long('switched', 60) }], { batchSize: 4 }));
      assertEqual([e.code, e.details['index'], e.details['engine']], ['model_mismatch', 'tiny-bert:fp32', 'remote:other'], 'caught at the batch that changed');
      assertEqual([await index.count(), (await index.info()).bytes], [{ docs: 1, chunks: 1 }, bytes], 'nothing of it stays');
    } finally {
      await index.close();
    }
  });

  it('another embedding model is model_mismatch for add and search; reindex() moves the index to it', async () => {
    const name = freshName('mismatch');
    const a = createIndex({ engine, name });
    const other = bertEngine('q8');
    const b = createIndex({ engine: other, name });
    try {
      await a.add(DOCS);
      const s = await failure(b.search('dentist appointment'));
      assertEqual([s.code, s.details['index'], s.details['engine']], ['model_mismatch', 'tiny-bert:fp32', 'tiny-bert:q8'], 'search with q8 vectors');
      assert(s.message.includes('reindex()'), `the message says what to do: ${s.message}`);
      const add = await failure(b.add([{ id: 'new', text: 'Some new text.' }]));
      assertEqual(add.code, 'model_mismatch', 'add with q8 vectors');
      assertEqual(await a.count(), { docs: 5, chunks: 5 }, 'the refused add wrote nothing');

      const events: number[] = [];
      await b.reindex({ batchSize: 2, onProgress: (p) => events.push(p.chunksDone) });
      assertEqual(events, [2, 4, 5], 'progress per page of chunks');
      assertEqual((await b.info()).model, 'tiny-bert:q8', 'the index now records q8');
      assertEqual((await b.search('volcano lava basalt', { k: 1 }))[0]?.docId, 'volcano', 'and searches with it');
      assertEqual((await failure(a.search('volcano'))).code, 'model_mismatch', 'now the fp32 engine is the other model');
    } finally {
      await a.close();
      await b.close();
      await other.dispose();
    }
  });

  it('engine.cache lists the index with its model and counts; deleteIndex() removes it under a live handle', async () => {
    const name = freshName('catalog');
    const index = createIndex({ engine, name });
    try {
      await index.add(DOCS.slice(0, 2));
      const listed = (await engine.cache.indexes()).find((i) => i.name === name);
      assertEqual([listed?.model, listed?.docs, listed?.chunks], ['tiny-bert:fp32', 2, 2], 'listed as built');
      assertEqual(await engine.cache.deleteIndex(name), true, 'deleted');
      assert(!(await engine.cache.indexes()).some((i) => i.name === name), 'no longer listed');
      assertEqual([await index.count(), await index.search('dentist')], [{ docs: 0, chunks: 0 }, []], 'the open handle sees it gone');
      await index.add(DOCS.slice(2, 3));
      assertEqual(await index.count(), { docs: 1, chunks: 1 }, 'and can build it again');
    } finally {
      await index.close();
    }
  });

  it('export() and import() round-trip into another name; an index outlives close()', async () => {
    const src = createIndex({ engine, name: freshName('export') });
    const dst = createIndex({ engine, name: freshName('import') });
    try {
      await src.add(DOCS);
      const blob = await src.export();
      assert(blob.size > 5 * 32 * 4, `the export holds the vectors (${blob.size} B)`);
      await dst.import(blob);
      assertEqual(await dst.count(), { docs: 5, chunks: 5 }, 'imported counts');
      assertEqual((await dst.search('sourdough starter flour', { k: 1 }))[0]?.docId, 'sourdough', 'imported vectors search');
      await src.close();
      const again = createIndex({ engine, name: src.name });
      assertEqual(await again.count(), { docs: 5, chunks: 5 }, 'a new handle opens the stored index');
      await again.close();
      const other = bertEngine('q8');
      const q8 = createIndex({ engine: other, name: freshName('import-q8') });
      try {
        const refused = await q8.import(blob).catch((e: unknown) => e);
        // The worker's error arrives as the core's class, not the copy the face bundle carries.
        assert(refused instanceof EdgewiseError && refused.code === 'model_mismatch', `an export of another model is refused: ${String(refused)}`);
      } finally {
        await q8.close();
        await other.dispose();
      }
    } finally {
      await dst.close();
    }
  });
});

/**
 * edgewise/search in Chromium (issue 18): a large file indexes with bounded memory. An
 * 8 MB Blob is read as a stream, never whole: the page's live heap, sampled after forced
 * garbage collections while add() runs, stays far below the file's size.
 */
import { executeServerCommand } from '@web/test-runner-commands';
import type { Engine } from '/dist/edgewise.js';
import { assert, assertEqual } from '../helpers.js';
import { bertEngine, createIndex, freshName } from './index-helpers.js';

const heap = async (): Promise<number> => (await executeServerCommand<{ page: number }, undefined>('heap')).page;

describe('edgewise/search: memory', function () {
  this.timeout(300_000);
  let engine: Engine;
  before(() => { engine = bertEngine(); });
  after(() => engine.dispose());

  it('an 8 MB Blob: the page heap grows by well under the file size while it is indexed', async () => {
    const paragraph = 'Harbour lanterns glow over the quiet river while copper boats drift past the meadow. ';
    const parts: string[] = [];
    for (let i = 0; i < 8 * 1024 * 1024 / paragraph.length; i++) parts.push(i % 50 === 49 ? `\n\n## Part ${i}\n\n` : paragraph);
    const file = new Blob(parts, { type: 'text/markdown' });
    parts.length = 0;
    const index = createIndex({ engine, name: freshName('memory'), size: 4000, overlap: 0 });
    try {
      await engine.embed(['warm up the model first']);
      const base = await heap();
      let done = false;
      const samples: number[] = [];
      const sampling = (async () => { while (!done) samples.push(await heap()); })();
      const r = await index.add([{ id: 'big.md', text: file }], { batchSize: 16 }).finally(() => { done = true; });
      await sampling;
      assertEqual(r.added, 1, 'indexed');
      assert(r.chunks > file.size / 4000, `chunks of at most 4,000 characters (${r.chunks})`);
      const peak = Math.max(...samples) - base;
      console.log(`8 MB Blob: ${r.chunks} chunks, ${samples.length} heap samples, peak growth ${(peak / 1e6).toFixed(2)} MB`);
      assert(samples.length >= 3, `sampled during the add (${samples.length})`);
      // Read whole, the text alone would hold 8 MB (one byte per character) on the page.
      assert(peak < 2e6, `the page's live heap grew by ${(peak / 1e6).toFixed(2)} MB`);
      const hit = (await index.search('Part 9049', { k: 1, mode: 'hybrid' }))[0];
      assert(hit?.text.includes('## Part 9049'), `a heading deep in the file is found by its number (${hit?.text.slice(0, 60)})`);
    } finally {
      await index.close();
    }
  });
});

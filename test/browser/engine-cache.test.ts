/** The cache management API on the engine, through the worker and the built package. */
import { createEngine } from '/dist/edgewise.js';
import { FIXTURE_URL, assert, assertEqual } from './helpers.js';

describe('engine.cache', () => {
  const q4 = createEngine({ model: { id: 'tiny-llama-cache-api', url: FIXTURE_URL, dtype: 'q4' } });
  const fp32 = createEngine({ model: { id: 'tiny-llama-cache-api', url: FIXTURE_URL, dtype: 'fp32' } });
  before(() => q4.cache.clear());
  after(async () => {
    await q4.cache.clear();
    await Promise.all([q4.dispose(), fp32.dispose()]);
  });

  it('lists each loaded model with its size and last use, and has() tells which are complete', async () => {
    assertEqual(await q4.cache.has(), false, 'nothing cached yet');
    await q4.load();
    await fp32.load();
    const list = await q4.cache.list();
    const keys = list.map((m) => m.key).sort();
    assertEqual(keys, ['tiny-llama-cache-api:fp32', 'tiny-llama-cache-api:q4'], 'one entry per id and dtype');
    const q4Entry = list.find((m) => m.key.endsWith(':q4'));
    assert(q4Entry && q4Entry.complete && q4Entry.bytes > 200_000 && q4Entry.files >= 4, 'sizes and file counts');
    assert(q4Entry.lastUsed > Date.now() - 60_000, 'last use is recent');
    assert(await q4.cache.has(), 'q4 complete');
    assert(await q4.cache.has({ id: 'tiny-llama-cache-api', url: FIXTURE_URL, dtype: 'fp32' }), 'another model by spec');
    const usage = await q4.cache.usage();
    assert(usage.bytes >= list.reduce((n, m) => n + m.bytes, 0), 'usage counts the cached bytes');
    assert((usage.quota ?? 0) > 0, 'the browser estimate is reported');
  });

  it('delete() removes one model and keeps the other; the engine reloads it afterwards', async () => {
    assertEqual(await fp32.cache.delete(), true, 'deleted');
    assertEqual(await fp32.cache.has(), false, 'fp32 gone');
    assert(await q4.cache.has(), 'q4 kept');
    const text = await fp32.text({ prompt: 'Hi', maxTokens: 3 });
    assert(text.length > 0, 'generates after its cache entry was deleted');
  });

  it('clear() empties the cache', async () => {
    await q4.cache.clear();
    assertEqual(await q4.cache.list(), [], 'nothing listed');
  });
});

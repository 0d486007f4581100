#!/usr/bin/env node
// Issue 18 acceptance 2 in real Chromium: a page indexes 200 documents of the search corpus
// with the GloVe model (weights cached in IndexedDB) and searches; the page is reloaded in the
// same profile, opens the same index by name and searches again. The same queries must rank
// the same documents with the same scores, the index must hold what was added, and after the
// reload no request may go out but the page's own files: the model comes from the weight
// cache and the index from IndexedDB. Both the server's own log and the page's requests
// (workers included) are watched. Skipped when ../shared/models has no GloVe model.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { inside, sendFile, sendText } from '../../demos/server/static.mjs';
import { ROOT, SHARED_MODELS, assert, check, launch, summary } from './harness.mjs';

const GLOVE = join(SHARED_MODELS, 'glove-100d-static-onnx');
const DOCS = 200;
/** The page's own files: what may still be fetched after the reload. */
const OWN = /^\/(page\/|dist\/|corpus\.js$|favicon\.ico$)/;
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cross-Origin-Resource-Policy': 'same-origin' };

/** The corpus is TypeScript: bundled once here and served as /corpus.js. */
async function corpusModule() {
  const out = await build({ entryPoints: [join(ROOT, 'test/corpus/search/corpus.ts')], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, logLevel: 'warning' });
  return Buffer.from(out.outputFiles[0].contents);
}

/** A cross-origin-isolated static server that logs every request it gets. */
async function serve(corpus) {
  const log = [];
  const mounts = [['/page', join(ROOT, 'test/e2e/pages')], ['/dist', join(ROOT, 'dist')], ['/models', SHARED_MODELS]];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    log.push(`${req.method} ${path}`);
    for (const [k, v] of Object.entries(ISOLATION)) res.setHeader(k, v);
    if (path === '/corpus.js') return res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' }).end(corpus);
    if (path === '/favicon.ico') return res.writeHead(204).end();
    const mount = mounts.find(([prefix]) => path.startsWith(`${prefix}/`));
    if (!mount) return sendText(res, 404, 'not found');
    sendFile(req, res, inside(mount[1], path.slice(mount[0].length))).catch((e) => { if (!res.headersSent) sendText(res, 500, String(e)); });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${server.address().port}`, log, close: () => new Promise((ok) => { server.closeAllConnections(); server.close(ok); }) };
}

/** In the page: open the index (adding the documents when `add`), then rank the queries. */
async function session(page, add) {
  return page.evaluate(async ({ add, n }) => {
    const { createEngine } = await import('/dist/edgewise.js');
    const { createIndex } = await import('/dist/edgewise.search.js');
    const { searchCorpus } = await import('/corpus.js');
    const { docs, queries } = searchCorpus();
    const mine = docs.slice(0, n);
    const ids = new Set(mine.map((d) => d.id));
    const engine = createEngine({ embeddingModel: { id: 'glove-100d', url: '/models/glove-100d-static-onnx/', dtype: 'fp32' } });
    const index = createIndex({ engine, name: 'e2e-persistence' });
    try {
      const added = add ? await index.add(mine) : null;
      const rankings = [];
      for (const q of queries.filter((x) => ids.has(x.target))) {
        for (const mode of ['vector', 'hybrid']) {
          const hits = await index.search(q.query, { k: 5, mode });
          rankings.push({ query: q.query, mode, target: q.target, hits: hits.map((h) => [h.docId, h.score]) });
        }
      }
      return { added, count: await index.count(), info: await index.info(), rankings };
    } finally {
      await index.close();
      await engine.dispose();
    }
  }, { add, n: DOCS });
}

const sameRanking = (a, b) => a.length === b.length && a.every((r, i) => {
  const s = b[i];
  return r.query === s.query && r.mode === s.mode && r.hits.length === s.hits.length
    && r.hits.every(([id, score], j) => id === s.hits[j][0] && Math.abs(score - s.hits[j][1]) < 1e-6);
});

await check('search index: 200 documents with GloVe, reloaded in the same profile: same ranking, same counts, and no request but the page\'s own files', async (skip) => {
  if (!existsSync(join(GLOVE, 'config.json'))) skip('../shared/models/glove-100d-static-onnx is absent (the shared test models live outside the repository)');
  const site = await serve(await corpusModule());
  const profile = mkdtempSync(join(tmpdir(), 'edgewise-search-e2e-'));
  const browser = await launch(profile);
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${site.url}/page/search-persistence.html`, { waitUntil: 'load' });
    const first = await session(page, true);
    assert(first.added?.added === DOCS && first.count.docs === DOCS && first.count.chunks === DOCS, `indexed ${DOCS} documents: ${JSON.stringify(first.added)} ${JSON.stringify(first.count)}`);
    assert(first.rankings.length >= 8, `queries with targets among the first ${DOCS} documents: ${first.rankings.length / 2}`);
    assert(site.log.some((l) => l.includes('/models/glove-100d-static-onnx/onnx/')), 'the first visit downloaded the weights');
    const found = first.rankings.filter((r) => r.hits.slice(0, 5).some(([id]) => id === r.target)).length;
    assert(found >= first.rankings.length - 1, `the targets are found before the reload (${found} of ${first.rankings.length})`);

    site.log.length = 0;
    const seen = [];
    page.on('request', (r) => seen.push(r.url()));
    // The SDK's workers fetch on their own targets: their requests are watched there too.
    page.on('workercreated', (w) => {
      w.client.on('Network.requestWillBeSent', (e) => seen.push(e.request.url));
      w.client.send('Network.enable').catch(() => undefined);
    });
    await page.reload({ waitUntil: 'load' });
    const second = await session(page, false);
    assert(second.count.docs === DOCS && second.count.chunks === DOCS, `the reloaded index holds ${DOCS} documents: ${JSON.stringify(second.count)}`);
    assert(second.info.model === first.info.model && second.info.bytes === first.info.bytes, `the same stored index: ${JSON.stringify([first.info, second.info])}`);
    assert(sameRanking(first.rankings, second.rankings), `the same ranking and scores after the reload:\n${JSON.stringify(first.rankings.slice(0, 2))}\n${JSON.stringify(second.rankings.slice(0, 2))}`);
    const out = site.log.filter((l) => !OWN.test(l.split(' ')[1]));
    assert(out.length === 0, `after the reload the server saw only the page's own files, not: ${out.join(', ')}`);
    const offPage = seen.filter((u) => /^https?:/.test(u) && !OWN.test(new URL(u).pathname));
    assert(offPage.length === 0, `after the reload the page and its workers requested only their own files, not: ${offPage.join(', ')}`);
    assert(errors.length === 0, `no page errors: ${errors.join(' | ')}`);
    console.log(`    ${first.rankings.length / 2} queries × 2 modes ranked alike; after the reload the server saw ${site.log.length} requests and the page and its workers ${seen.length}, all the page's own (${[...new Set(site.log.map((l) => l.split(' ')[1].split('/')[1]))].join(', ')})`);
  } finally {
    await browser.close();
    await site.close();
    rmSync(profile, { recursive: true, force: true });
  }
}, 300_000);

process.exit(summary());

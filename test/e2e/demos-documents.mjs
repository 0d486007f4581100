// The assistant's Documents panel (issue 18), as a person uses it: two files through the
// file input, indexed on the device; a search that puts the right one first with the word
// marked; a question answered from the documents, whose citation opens its passage.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assert, check, goOffline, ROOT, screenshot } from './harness.mjs';

// An HTML page, so its tags, style and script are stripped before indexing.
const GARDEN = `<!doctype html><html><head><title>The vegetable garden</title><style>p { color: red }</style></head>
<body><h1>The vegetable garden</h1><p>The tomatoes grow along the south fence, where the sun stays
longest. We water them every morning before nine and tie the stems to bamboo canes as they climb.</p>
<p>Basil grows between the <em>tomato</em> plants because it keeps the aphids away. In August the
harvest is picked every second day.</p><script>document.title = 'never run';</script></body></html>`;

const HARBOR = `The harbor at night

The old lighthouse stands at the end of the stone pier. Its lamp turns every twelve seconds and
can be seen from the fishing boats far out at sea. The keeper climbs the spiral stairs each
evening to clean the lens. Ferries to the island leave the harbor at seven and return at noon.`;

/** Whether the built edgewise/search has its door yet (issue 18 lands in steps). */
function hasSearch() {
  const file = join(ROOT, 'dist', 'edgewise.search.js');
  return existsSync(file) && /export\s*{[^}]*\bcreateIndex\b/.test(readFileSync(file, 'utf8'));
}

/** The panel's state once it opened: 'ready', 'missing' (no edgewise/search in dist/) or 'error'. */
const settled = () => ['ready', 'missing', 'error'].includes(document.getElementById('documents')?.dataset.state ?? '');

/** Searches from the panel's box; returns the first hit. */
async function search(page, query) {
  await page.$eval('#doc-query', (el, q) => { el.value = q; }, query);
  await page.$eval('#doc-hits', (el) => { el.replaceChildren(); document.getElementById('doc-found').textContent = ''; });
  await page.click('.doc-search button[type="submit"]');
  await page.waitForFunction(() => document.querySelector('#doc-hits .hit') || /failed|No passages/.test(document.getElementById('doc-found').textContent), { timeout: 60_000 });
  return page.evaluate(() => {
    const hit = document.querySelector('#doc-hits .hit');
    return {
      doc: hit?.dataset.docId, text: hit?.querySelector('.hit-text')?.textContent, marks: [...(hit?.querySelectorAll('mark') ?? [])].map((m) => m.textContent),
      score: hit?.querySelector('.score')?.textContent, found: document.getElementById('doc-found').textContent,
    };
  });
}

export async function documentsChecks(browser, server) {
  let indexed = false;
  await check('assistant Documents: two files indexed through the file input; a search puts the one with the word first, marked; a documents answer cites passages, and a citation opens its passage', async (skip) => {
    if (!hasSearch()) skip('the library is not there yet: dist/edgewise.search.js has no createIndex export (npm run build once src/search/ has it)');
    const page = await browser.newPage();
    const dir = mkdtempSync(join(tmpdir(), 'edgewise-docs-'));
    try {
      // Wide enough for the two-column layout, so the screenshot shows the chat beside the panel.
      await page.setViewport({ width: 1280, height: 1000 });
      await page.goto(`${server.url}/`, { waitUntil: 'load' });
      await page.waitForFunction(settled, { timeout: 60_000 });
      const [state, note] = await page.$eval('#documents', (el) => [el.dataset.state, el.textContent]);
      assert(state === 'ready', `the panel opened its index: ${state}: ${note.slice(0, 200)}`);
      const model = await page.$eval('#docs-model', (el) => el.textContent);

      const files = [['garden.html', GARDEN], ['harbor.txt', HARBOR]].map(([name, text]) => {
        writeFileSync(join(dir, name), text);
        return join(dir, name);
      });
      const input = await page.$('#doc-files');
      await input.uploadFile(...files);
      await page.waitForFunction(() => {
        const el = document.getElementById('documents');
        return el.dataset.state === 'ready' && Number(el.dataset.docs) >= 2;
      }, { timeout: 120_000 });
      const listed = await page.$$eval('.doc-list li', (lis) => lis.map((li) => li.dataset.docId));
      assert(listed.includes('garden.html') && listed.includes('harbor.txt'), `both documents are listed: ${listed.join(', ')} (${await page.$eval('#docs-note', (el) => el.textContent)})`);

      const garden = await search(page, 'tomatoes');
      assert(garden.doc === 'garden.html' && garden.marks.some((m) => /^tomatoes$/i.test(m)) && !/[<>{}]|never run/.test(garden.text), `the HTML page is found by its text, tags, style and script left out: ${JSON.stringify(garden)} (${model})`);
      const first = await search(page, 'lighthouse');
      assert(first.doc === 'harbor.txt' && first.marks.some((m) => /^lighthouse$/i.test(m)) && /score \d/.test(first.score ?? ''), `the harbor document is the first hit, "lighthouse" marked, score shown: ${JSON.stringify(first)} (${model})`);

      // The stand-in endpoint answers at once and always: what is checked here is the panel's
      // part (sources, citation links, the passage), not what a model makes of the passages.
      await page.evaluate(() => {
        const policy = document.getElementById('policy');
        policy.value = 'remote-only';
        policy.dispatchEvent(new Event('change', { bubbles: true }));
      });
      await page.click('#ask-docs');
      await page.type('#prompt', 'When does the ferry leave the harbor?');
      await page.click('#send');
      await page.waitForFunction(() => {
        const last = [...document.querySelectorAll('#messages .msg.assistant')].at(-1);
        return last && (last.dataset.state === 'done' || last.dataset.state === 'error');
      }, { timeout: 120_000 });
      const answer = await page.evaluate(() => {
        const last = [...document.querySelectorAll('#messages .msg.assistant')].at(-1);
        return { state: last.dataset.state, text: last.textContent.slice(0, 200), citations: last.querySelectorAll('a.citation').length, ranOn: last.querySelector('.badge')?.dataset.ranOn };
      });
      assert(answer.state === 'done' && answer.citations >= 1 && answer.ranOn === 'remote', `the answer streamed with citation links and its badge: ${JSON.stringify(answer)}`);

      const link = await page.$('#messages .msg.assistant:last-of-type a.citation');
      await link.click();
      await page.waitForFunction(() => !document.getElementById('passage').hidden, { timeout: 10_000 });
      const passage = await page.evaluate(() => {
        const box = document.getElementById('passage');
        return { title: box.querySelector('.passage-title')?.textContent ?? '', text: box.querySelector('.passage-mark')?.textContent ?? '', focused: document.activeElement === box };
      });
      assert(/\[\d+\] (garden\.html|harbor\.txt)/.test(passage.title) && passage.text.length > 40 && passage.focused, `the citation opened its passage with the document's name, focused: ${JSON.stringify({ ...passage, text: passage.text.slice(0, 80) })}`);
      const words = passage.text.trim().split(/\s+/).slice(0, 6).join(' ');
      assert((HARBOR.replace(/\s+/g, ' ').includes(words) || /tomatoes|basil/i.test(passage.text)) && !/[<>{}]|never run/.test(passage.text), `the passage is a document's text, the HTML's tags, style and script left out: ${passage.text.slice(0, 120)}`);
      // Tall enough for the whole panel: the hits and the opened passage beside the cited answer.
      await page.setViewport({ width: 1280, height: 1800 });
      await page.$eval('.panels', (el) => { el.scrollTop = 0; });
      await screenshot(page, 'assistant-documents');
      indexed = true;
    } finally {
      await page.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);

  await check('assistant Documents offline: reloaded with the network off, the panel opens from the service worker, lists the stored documents and searches them; no request leaves the browser', async (skip) => {
    if (!indexed) skip('the check above did not index the documents');
    const page = await browser.newPage();
    try {
      await page.goto(`${server.url}/`, { waitUntil: 'load' });
      await page.evaluate(async () => { await navigator.serviceWorker.ready; });
      await page.waitForFunction(settled, { timeout: 60_000 });
      // The network goes off for this page only (the server keeps running for the next checks).
      const left = await goOffline(page);
      await page.reload({ waitUntil: 'load' });
      await page.waitForFunction(settled, { timeout: 60_000 });
      const [state, docs, model] = await page.$eval('#documents', (el) => [el.dataset.state, el.dataset.docs, document.getElementById('docs-model').textContent]);
      assert(state === 'ready' && Number(docs) >= 2, `the panel opened offline with the stored index: ${state}, ${docs} documents, ${model}`);
      const hit = await search(page, 'lighthouse');
      assert(hit.doc === 'harbor.txt' && hit.marks.length > 0, `searched offline: ${JSON.stringify(hit)}`);
      assert(left.length === 0, `no request left the browser: ${left.join(', ')}`);
    } finally {
      await page.close();
    }
  }, 180_000);
}

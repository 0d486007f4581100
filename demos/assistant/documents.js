// The Documents panel: drop or pick files and folders, index them with progress and Stop,
// list and remove them, search them, and hand the composer a documents answer
// (engine.answer over this index) with its citations.
import { createCitations, createPassageViewer } from './citations.js';
import { droppedFiles, toDocuments } from './doc-files.js';
import { openIndex } from './doc-index.js';
import { createDocList } from './doc-list.js';
import { renderHits } from './doc-search.js';
import { byId, h } from './dom.js';
import { bytes, ms, rate } from './format.js';

/** Hits shown for a search; passages an answer is given (the engine's default). */
const HITS = 8;
const PASSAGES = 4;

/** @param {HTMLElement} root the `#documents` element */
export function createDocuments(root) {
  const toggle = /** @type {HTMLInputElement} */ (byId('ask-docs'));
  const model = h('p', { class: 'hint', id: 'docs-model', text: 'Opening the index…' });
  const pickFiles = h('input', { type: 'file', id: 'doc-files', multiple: true, accept: '.txt,.md,.markdown,.html,.htm,text/plain,text/markdown,text/html', hidden: true, 'aria-label': 'Files to index' });
  const pickFolder = h('input', { type: 'file', id: 'doc-folder', multiple: true, webkitdirectory: true, hidden: true, 'aria-label': 'A folder to index' });
  const filesBtn = h('button', { type: 'button', class: 'ghost small', text: 'Choose files' });
  const folderBtn = h('button', { type: 'button', class: 'ghost small', text: 'Choose a folder' });
  const drop = h('div', { class: 'dropzone', id: 'doc-drop' }, [
    h('p', { class: 'hint', text: 'Drop .txt, .md or .html files or a folder here. They are read in this tab and indexed on this device.' }),
    h('div', { class: 'row' }, [filesBtn, folderBtn]), pickFiles, pickFolder,
  ]);
  const bar = h('progress', { max: 1, value: 0, 'aria-label': 'Indexing progress' });
  const barLabel = h('span', { class: 'progress-label', 'aria-live': 'polite' });
  const stop = h('button', { type: 'button', id: 'doc-stop', class: 'ghost small', text: 'Stop' });
  const progress = h('div', { class: 'progress doc-progress', hidden: true }, [bar, h('div', { class: 'row' }, [barLabel, stop])]);
  const note = h('p', { class: 'usage', id: 'docs-note', role: 'status' });
  const list = h('ul', { class: 'cache-list doc-list', 'aria-label': 'Indexed documents' });
  const clear = h('button', { type: 'button', class: 'danger small', id: 'docs-clear', text: 'Remove all' });
  const query = h('input', { type: 'search', id: 'doc-query', placeholder: 'Words or a question', autocomplete: 'off', enterkeyhint: 'search' });
  const mode = h('select', { id: 'doc-mode' }, [h('option', { value: 'hybrid', text: 'Meaning and words' }), h('option', { value: 'vector', text: 'Meaning only' })]);
  const searchForm = h('form', { class: 'doc-search', role: 'search' }, [
    h('label', { class: 'field grow' }, [h('span', { text: 'Search your documents' }), query]),
    h('label', { class: 'field' }, [h('span', { text: 'Match' }), mode]),
    h('button', { type: 'submit', text: 'Search' }),
  ]);
  const found = h('p', { class: 'hint', role: 'status', id: 'doc-found' });
  const hits = h('ol', { class: 'hits', id: 'doc-hits', 'aria-label': 'Search results' });
  const passageBox = h('div', { class: 'passage', id: 'passage', tabindex: -1, role: 'region', hidden: true });
  root.replaceChildren(model, drop, progress, note, list, h('div', { class: 'row' }, [clear]), searchForm, found, hits, passageBox);
  const viewer = createPassageViewer(passageBox);

  /** @type {import('/dist/edgewise.search.js').SearchIndex | undefined} */
  let index;
  /** @type {ReturnType<typeof createDocList> | undefined} */
  let docs;
  /** @type {AbortController | undefined} */
  let indexing;
  let count = 0;
  const state = (/** @type {string} */ s) => { root.dataset.state = s; };
  const say = (/** @type {string} */ text) => { note.textContent = text; };
  const fail = (/** @type {string} */ what, /** @type {unknown} */ e) => {
    const err = /** @type {{ code?: string, message?: string }} */ (e ?? {});
    say(`${what}: ${err.code ?? 'error'}: ${err.message ?? String(e)}`);
  };

  const refresh = async () => {
    if (!index) return;
    const c = await index.count();
    // The names are remembered beside the index; an index emptied elsewhere empties them too.
    if (c.docs === 0 && docs?.size()) docs.clear();
    count = c.docs;
    const info = await index.info().catch(() => undefined);
    say(c.docs ? `${c.docs} document${c.docs === 1 ? '' : 's'}, ${c.chunks} chunks${info ? `, ${bytes(info.bytes)} on this device` : ''}.` : 'No documents yet.');
    clear.disabled = c.docs === 0;
    toggle.disabled = c.docs === 0;
    if (c.docs === 0) toggle.checked = false;
    root.dataset.docs = String(c.docs);
  };

  /** @param {Iterable<File>} files */
  const addFiles = async (files) => {
    if (indexing) { say('Indexing is running: wait for it, or Stop it, before adding more.'); return; }
    if (!index) return;
    const { docs: batch, left } = await toDocuments(files);
    const leftNote = left.length ? ` Left out ${left.length} file${left.length === 1 ? '' : 's'} that ${left.length === 1 ? 'is' : 'are'} not .txt, .md or .html.` : '';
    if (batch.length === 0) { say(`Nothing to index.${leftNote}`); return; }
    const abort = (indexing = new AbortController());
    state('indexing');
    progress.hidden = false;
    bar.value = 0;
    barLabel.textContent = `Preparing ${batch.length} file${batch.length === 1 ? '' : 's'} (the first time, the embedding model downloads)…`;
    const started = performance.now();
    try {
      const r = await index.add(batch, {
        signal: abort.signal,
        onProgress: (p) => {
          bar.value = p.docsTotal ? p.docsDone / p.docsTotal : 0;
          barLabel.textContent = `${p.docsDone} of ${p.docsTotal} files · ${p.chunksDone} chunks · ${rate(p.chunksPerSecond)} chunks/s`;
        },
      });
      const skipped = new Set(r.skipped.map((s) => s.id));
      docs?.add(batch.filter((d) => !skipped.has(d.id)).map(entry));
      const skipNote = r.skipped.length ? ` Skipped ${r.skipped.map((s) => `${s.id} (${s.reason})`).join(', ')}.` : '';
      const done = `Indexed ${r.added} document${r.added === 1 ? '' : 's'} (${r.chunks} chunks) in ${ms(performance.now() - started)}.${skipNote}${leftNote}`;
      await refresh();
      say(`${done} ${note.textContent}`);
    } catch (e) {
      // Each document is stored whole or not at all: keep the names of those that made it.
      const kept = await present(batch);
      docs?.add(kept.map(entry));
      await refresh().catch(() => undefined);
      if (abort.signal.aborted) say(`Stopped. ${kept.length} of ${batch.length} files were indexed before the stop and are kept.${leftNote}`);
      else fail(`Indexing failed after ${kept.length} of ${batch.length} files`, e);
    } finally {
      indexing = undefined;
      progress.hidden = true;
      state('ready');
    }
  };

  /** The documents of `batch` the index holds (one filtered search each). @param {import('/dist/edgewise.search.js').IndexDocument[]} batch */
  const present = async (batch) => {
    const out = [];
    for (const d of batch) {
      const hit = await index?.search(String(d.metadata?.name ?? d.id), { k: 1, filter: { path: d.id } }).catch(() => []);
      if (hit?.length) out.push(d);
    }
    return out;
  };

  /** @param {import('/dist/edgewise.search.js').IndexDocument} d */
  const entry = (d) => ({ id: d.id, bytes: Number(d.metadata?.bytes ?? 0), at: Date.now() });

  const search = async () => {
    const q = query.value.trim();
    if (!index || !q) return;
    found.textContent = 'Searching…';
    try {
      const started = performance.now();
      const how = /** @type {'hybrid' | 'vector'} */ (mode.value);
      const r = await index.search(q, { k: HITS, mode: how });
      renderHits(hits, q, r, how);
      found.textContent = r.length ? `${r.length} passage${r.length === 1 ? '' : 's'} in ${ms(performance.now() - started)}, best first.` : 'No passages found.';
    } catch (e) {
      hits.replaceChildren();
      found.textContent = `Search failed: ${/** @type {{ message?: string }} */ (e)?.message ?? e}`;
    }
  };

  filesBtn.addEventListener('click', () => pickFiles.click());
  folderBtn.addEventListener('click', () => pickFolder.click());
  for (const input of [pickFiles, pickFolder]) {
    input.addEventListener('change', () => { void addFiles([...(input.files ?? [])]).finally(() => { input.value = ''; }); });
  }
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.dataset.over = 'true'; });
  drop.addEventListener('dragleave', () => { delete drop.dataset.over; });
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    delete drop.dataset.over;
    if (e.dataTransfer) void droppedFiles(e.dataTransfer).then(addFiles, (err) => fail('The drop could not be read', err));
  });
  stop.addEventListener('click', () => indexing?.abort());
  clear.addEventListener('click', async () => {
    if (indexing) { say('Indexing is running: Stop it first.'); return; }
    if (!index) return;
    clear.disabled = true;
    await index.clear().then(() => { docs?.clear(); hits.replaceChildren(); found.textContent = ''; }, (e) => fail('Remove all failed', e));
    await refresh();
  });
  searchForm.addEventListener('submit', (e) => { e.preventDefault(); void search(); });

  /** @param {string} id @param {HTMLButtonElement} button */
  const remove = async (id, button) => {
    if (indexing) { say('Indexing is running: wait for it, or Stop it, before removing documents.'); return; }
    if (!index) return;
    button.disabled = true;
    try {
      await index.remove(id);
      docs?.delete(id);
      hits.querySelectorAll(`[data-doc-id="${CSS.escape(id)}"]`).forEach((el) => el.remove());
      await refresh();
    } catch (e) {
      button.disabled = false;
      fail(`${id} could not be removed`, e);
    }
  };

  const ready = (async () => {
    state('opening');
    toggle.disabled = true;
    const opened = await openIndex();
    if ('missing' in opened) {
      model.textContent = opened.missing;
      for (const el of [filesBtn, folderBtn, clear, query, mode, searchForm.querySelector('button')]) if (el) /** @type {HTMLButtonElement} */ (el).disabled = true;
      state('missing');
      return;
    }
    const { choice } = opened;
    index = opened.index;
    docs = createDocList(list, index.name, (id, button) => void remove(id, button));
    model.textContent = `Embeddings: ${choice.label}, on this device.`;
    if (choice.warning) model.append(' ', h('strong', { class: 'warn', text: `(${choice.warning})` }));
    await refresh();
    state('ready');
  })().catch((e) => { state('error'); fail('The index could not open', e); });

  return {
    ready,
    /**
     * A documents answer for the composer, or undefined when the index is empty or not
     * open. Its `parts` run engine.answer() over this index; the search it makes is
     * recorded, so each cited passage can be shown with its text.
     * @param {string} question
     */
    cite(question) {
      if (!index || count === 0) return undefined;
      const open = index;
      /** @type {Map<string, import('/dist/edgewise.search.js').SearchHit>} */
      const passages = new Map();
      const recording = {
        /** @type {import('/dist/edgewise.search.js').SearchIndex['search']} */
        search: async (q, o) => {
          const r = await open.search(q, o);
          for (const hit of r) passages.set(hit.chunkId, hit);
          return r;
        },
      };
      const citations = createCitations({
        question,
        passage: (id) => passages.get(id),
        show: (p, from) => {
          hits.querySelectorAll('.hit').forEach((el) => el.classList.toggle('cited', /** @type {HTMLElement} */ (el).dataset.chunkId === p.source.chunkId));
          viewer.show(p, from);
        },
      });
      /** @param {import('/dist/edgewise.js').Engine} engine @param {Omit<import('/dist/edgewise.search.js').AnswerRequest, 'question' | 'index'>} request */
      const parts = (engine, request) => engine.answer({ k: PASSAGES, mode: /** @type {'hybrid' | 'vector'} */ (mode.value), ...request, question, index: recording });
      return { ...citations, parts };
    },
  };
}

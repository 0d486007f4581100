// Citations of a documents answer: its `source` parts become a numbered Sources list under
// the answer, each `[n]` in the answer's text becomes a link, and both open the passage
// viewer (the passage, its document's name, the question's words marked).
import { h } from './dom.js';
import { docName, marked, wordPattern } from './doc-search.js';

/** `[2]`, `[1, 3]`, `[1][2]`: what small models write when told to cite `[n]`. */
const CITE = /\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]/g;

/**
 * @typedef {object} Passage
 * @property {number} n
 * @property {import('/dist/edgewise.search.js').SourcePart} source
 * @property {import('/dist/edgewise.search.js').SearchHit | undefined} hit   the retrieved chunk, with its text
 * @property {string} question
 */

/** @param {HTMLElement} root the `#passage` element (tabindex -1, hidden until a citation is opened) */
export function createPassageViewer(root) {
  const title = h('h3', { id: 'passage-title', class: 'passage-title' });
  const meta = h('p', { class: 'hint' });
  const text = h('blockquote', { class: 'passage-text' });
  const close = h('button', { type: 'button', class: 'ghost small', text: 'Close' });
  root.setAttribute('aria-labelledby', 'passage-title');
  root.replaceChildren(h('div', { class: 'passage-head' }, [title, close]), meta, text);
  /** @type {HTMLElement | undefined} */
  let opener;
  close.addEventListener('click', () => { root.hidden = true; opener?.focus(); });
  root.addEventListener('keydown', (e) => { if (e.key === 'Escape') close.click(); });

  return {
    /** @param {Passage} p @param {HTMLElement} [from] where focus goes back on Close */
    show(p, from) {
      opener = from;
      const { source, hit } = p;
      title.textContent = `[${p.n}] ${hit ? docName(hit) : source.docId}`;
      meta.textContent = `Passage ${source.chunkId} · characters ${source.start}–${source.end} of the document · score ${source.score.toFixed(3)}`;
      // The passage itself is the highlight; inside it, the question's words are marked.
      // Lines wrapped in the file are joined; blank lines (paragraphs) stay.
      const passage = hit?.text.replace(/([^\n])\n(?!\n)/g, '$1 ');
      text.replaceChildren(h('span', { class: 'passage-mark' }, passage ? marked(passage, wordPattern(p.question)) : ['(the passage text was not kept)']));
      root.dataset.chunkId = source.chunkId;
      root.hidden = false;
      root.scrollIntoView({ block: 'nearest' });
      root.focus();
    },
  };
}

/**
 * One answer's citations.
 * @param {{ question: string, passage: (chunkId: string) => import('/dist/edgewise.search.js').SearchHit | undefined, show: (p: Passage, from: HTMLElement) => void }} deps
 */
export function createCitations(deps) {
  /** @type {Map<number, import('/dist/edgewise.search.js').SourcePart>} */
  const sources = new Map();
  const list = h('ol', { class: 'sources', 'aria-label': 'Sources' });
  const box = h('div', { class: 'sources-box' }, [h('span', { class: 'hint', text: 'Sources' }), list]);
  /** @type {HTMLElement | undefined} */
  let el;

  const name = (/** @type {import('/dist/edgewise.search.js').SourcePart} */ s) => {
    const hit = deps.passage(s.chunkId);
    return hit ? docName(hit) : s.docId;
  };
  const link = (/** @type {number} */ n) => {
    const s = /** @type {import('/dist/edgewise.search.js').SourcePart} */ (sources.get(n));
    return h('a', { href: '#passage', class: 'citation', 'data-n': n, 'aria-label': `Source ${n}: ${name(s)}`, text: `[${n}]` });
  };
  /** @param {MouseEvent} e */
  const onClick = (e) => {
    const a = /** @type {HTMLElement | null} */ (/** @type {HTMLElement} */ (e.target).closest?.('a.citation'));
    const source = a && sources.get(Number(a.dataset.n));
    if (!a || !source) return;
    e.preventDefault();
    deps.show({ n: source.n, source, hit: deps.passage(source.chunkId), question: deps.question }, a);
  };

  return {
    /** @param {HTMLElement} answerEl the answer's `<article>` */
    mount(answerEl) {
      el = answerEl;
      el.addEventListener('click', onClick);
    },
    /** @param {import('/dist/edgewise.search.js').SourcePart} part */
    add(part) {
      sources.set(part.n, part);
      list.append(h('li', { 'data-chunk-id': part.chunkId }, [link(part.n), ` ${name(part)} `, h('span', { class: 'score', text: part.score.toFixed(2) })]));
      if (!box.isConnected) el?.querySelector('.body')?.after(box);
    },
    /** Turns the `[n]` of known sources in the rendered answer into links. @param {HTMLElement} body */
    decorate(body) {
      if (sources.size === 0) return;
      const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT, {
        acceptNode: (n) => (n.parentElement?.closest('a, code, pre') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
      });
      /** @type {Text[]} */
      const found = [];
      for (let n = walker.nextNode(); n; n = walker.nextNode()) if (/** @type {Text} */ (n).data.includes('[')) found.push(/** @type {Text} */ (n));
      for (const node of found) node.replaceWith(...linked(node.data));
    },
  };

  /** @param {string} text */
  function linked(text) {
    /** @type {(Node | string)[]} */
    const out = [];
    let at = 0;
    for (const m of text.matchAll(CITE)) {
      const numbers = m[1].split(',').map((s) => Number(s.trim()));
      if (!numbers.every((n) => sources.has(n))) continue;
      out.push(text.slice(at, /** @type {number} */ (m.index)));
      numbers.forEach((n, i) => out.push(...(i ? [' '] : []), link(n)));
      at = /** @type {number} */ (m.index) + m[0].length;
    }
    out.push(text.slice(at));
    return out;
  }
}

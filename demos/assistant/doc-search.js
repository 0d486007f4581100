// Search hits as a list: the document's name, the chunk's place and score, and the chunk's
// text with the query's words marked. Text goes in as text nodes only (dom.js), never as HTML.
import { h } from './dom.js';

/** Around the first marked word, this many characters of the chunk are shown. */
const SNIPPET = 320;

/** English words too common to be worth marking when a question is the query. */
const COMMON = new Set('a an and are as at be by can did do does for from has have how i in is it its of on or that the this to was what when where which who why will with you'.split(' '));

/**
 * The query's words as one case-insensitive pattern over whole words (a plural `s`/`es`
 * counts), or undefined when the query has no word worth marking.
 * @param {string} query
 */
export function wordPattern(query) {
  const words = [...new Set(query.toLowerCase().match(/[\p{L}\p{N}]{2,}/gu) ?? [])].filter((w) => !COMMON.has(w));
  if (words.length === 0) return undefined;
  // Longest first, so "cats" is not cut to "cat" + "s" by the alternation.
  const alternatives = words.sort((a, b) => b.length - a.length).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?:e?s)?(?![\\p{L}\\p{N}])`, 'giu');
}

/**
 * `text` as nodes, each match of `pattern` in a `<mark>`.
 * @param {string} text
 * @param {RegExp | undefined} pattern
 * @returns {(Node | string)[]}
 */
export function marked(text, pattern) {
  if (!pattern) return [text];
  /** @type {(Node | string)[]} */
  const out = [];
  let at = 0;
  for (const m of text.matchAll(pattern)) {
    const i = /** @type {number} */ (m.index);
    if (i > at) out.push(text.slice(at, i));
    out.push(h('mark', { text: m[0] }));
    at = i + m[0].length;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

/**
 * A window of the chunk around its first match, cut at spaces, with ellipses where cut.
 * @param {string} text
 * @param {RegExp | undefined} pattern
 */
export function snippet(text, pattern) {
  if (text.length <= SNIPPET) return text;
  const first = pattern ? text.search(pattern) : -1;
  let start = Math.max(0, Math.min(text.length - SNIPPET, (first < 0 ? 0 : first) - SNIPPET / 3));
  let end = Math.min(text.length, start + SNIPPET);
  if (start > 0) start = text.indexOf(' ', start) + 1 || start;
  if (end < text.length) end = text.lastIndexOf(' ', end) > start ? text.lastIndexOf(' ', end) : end;
  return `${start > 0 ? '… ' : ''}${text.slice(start, end).trim()}${end < text.length ? ' …' : ''}`;
}

/** @param {{ metadata?: { readonly [key: string]: unknown }, docId: string }} hit */
export const docName = (hit) => String(hit.metadata?.path ?? hit.metadata?.name ?? hit.docId);

const SCORE_TITLE = Object.freeze({
  vector: 'Cosine similarity of the passage to the query, -1 to 1: higher is closer',
  hybrid: 'Meaning and word matches blended, each scaled over these results: higher is better',
});

/**
 * @param {HTMLElement} list the hits' `<ol>`
 * @param {string} query
 * @param {import('/dist/edgewise.search.js').SearchHit[]} hits
 * @param {'vector' | 'hybrid'} mode
 */
export function renderHits(list, query, hits, mode) {
  const pattern = wordPattern(query);
  list.replaceChildren(...hits.map((hit, i) => h('li', { class: 'hit', 'data-doc-id': hit.docId, 'data-chunk-id': hit.chunkId }, [
    h('div', { class: 'hit-head' }, [
      h('span', { class: 'name', text: docName(hit) }),
      h('span', { class: 'score', title: SCORE_TITLE[mode], text: `#${i + 1} · score ${hit.score.toFixed(3)}` }),
    ]),
    h('p', { class: 'hit-text' }, marked(snippet(hit.text, pattern), pattern)),
  ])));
}

// The indexed documents as a list with Remove buttons. The index answers counts, not names,
// so the names are remembered here (localStorage, per index) when an add() succeeds.
import { h } from './dom.js';
import { bytes } from './format.js';
import { load, save } from './prefs.js';

/**
 * @typedef {object} DocEntry
 * @property {string} id
 * @property {number} bytes
 * @property {number} at   when it was indexed (ms since the epoch)
 */

/**
 * @param {HTMLElement} list the `<ul>`
 * @param {string} indexName
 * @param {(id: string, button: HTMLButtonElement) => void} onRemove
 */
export function createDocList(list, indexName, onRemove) {
  const key = `docs:${indexName}`;
  /** @type {Map<string, DocEntry>} */
  const docs = new Map(load(key, /** @type {DocEntry[]} */ ([])).filter((d) => d && typeof d.id === 'string').map((d) => [d.id, d]));

  const render = () => {
    const sorted = [...docs.values()].sort((a, b) => a.id.localeCompare(b.id));
    list.replaceChildren(...sorted.map((d) => {
      const remove = h('button', { type: 'button', class: 'ghost small', 'aria-label': `Remove ${d.id}`, text: 'Remove' });
      remove.addEventListener('click', () => onRemove(d.id, remove));
      return h('li', { 'data-doc-id': d.id }, [
        h('span', { class: 'name', text: d.id }),
        h('span', { class: 'size', text: `${bytes(d.bytes)} · added ${new Date(d.at).toLocaleString()}` }),
        remove,
      ]);
    }));
  };
  const store = () => { save(key, [...docs.values()]); render(); };
  render();

  return {
    size: () => docs.size,
    /** @param {DocEntry[]} entries */
    add(entries) { for (const e of entries) docs.set(e.id, e); store(); },
    /** @param {string} id */
    delete(id) { docs.delete(id); store(); },
    clear() { docs.clear(); store(); },
  };
}

// The model picker: the server's list (GET /api/models, remembered for offline starts)
// plus custom models (id + URL + dtype) the user adds, remembered too.
import { byId, h } from './dom.js';
import { fetchRemembered, load, save } from './prefs.js';

/**
 * @typedef {object} ModelEntry
 * @property {string} id
 * @property {string} url
 * @property {import('/dist/edgewise.js').Dtype} dtype
 * @property {string} [label]
 * @property {string} source   'catalog' / 'hub', 'models-dir', 'shared', 'fixture', or 'custom' (added here)
 * @property {string} value   the option value in #model: the cache key `id:dtype` (`~2`… when two entries share one)
 */

const CUSTOM = '__custom__';
const DTYPES = ['q4', 'q4f16', 'q8', 'int8', 'fp16', 'fp32'];
const GROUPS = /** @type {const} */ ([['catalog', 'Hub models'], ['hub', 'Hub models'], ['models-dir', 'Your folder'], ['shared', 'Local models'], ['fixture', 'Test fixtures'], ['custom', 'Your models']]);

/** @param {(entry: ModelEntry | undefined) => void} onChange */
export async function createModelPicker(onChange) {
  const select = /** @type {HTMLSelectElement} */ (byId('model'));
  const customBox = byId('custom-model');
  const customForm = /** @type {HTMLFormElement} */ (byId('custom-form'));
  const { value: served, fresh } = await fetchRemembered('/api/models', 'models', /** @type {Omit<ModelEntry, 'value'>[]} */ ([]));
  /** @type {ModelEntry[]} */
  let entries = [];
  /** @type {Set<string>} */
  let cached = new Set();
  let previous = '';

  const rebuild = () => {
    const list = [...(Array.isArray(served) ? served : []), ...load('custom-models', [])];
    const seen = new Set();
    entries = [];
    for (const m of list) {
      if (!m || typeof m.id !== 'string' || typeof m.url !== 'string') continue;
      const key = `${m.id}:${m.dtype ?? 'q4'}`;
      let value = key;
      for (let n = 2; seen.has(value); n++) value = `${key}~${n}`;
      seen.add(value);
      entries.push({ id: m.id, url: m.url, dtype: m.dtype ?? 'q4', label: m.label, source: m.source ?? 'catalog', value });
    }
    const groups = new Map();
    for (const e of entries) {
      const name = GROUPS.find(([s]) => s === e.source)?.[1] ?? 'Models';
      if (!groups.has(name)) groups.set(name, h('optgroup', { label: name }));
      const stored = cached.has(`${e.id}:${e.dtype}`);
      groups.get(name).append(h('option', { value: e.value, 'data-id': e.id, 'data-url': e.url, 'data-dtype': e.dtype, 'data-source': e.source, 'data-cached': stored, text: `${e.label ?? `${e.id} (${e.dtype})`}${stored ? ' · stored, works offline' : ''}` }));
    }
    select.replaceChildren(...groups.values(), h('option', { value: CUSTOM, text: 'Custom model URL…' }));
    if (!entries.length) select.prepend(h('option', { value: '', text: fresh ? 'No models on this server' : 'Offline: no remembered models' }));
  };

  const current = () => entries.find((e) => e.value === select.value);
  const choose = (/** @type {string} */ value) => {
    select.value = entries.some((e) => e.value === value) ? value : entries[0]?.value ?? '';
    customBox.hidden = true;
    previous = select.value;
    save('model', previous || undefined);
  };

  rebuild();
  choose(load('model', ''));

  select.addEventListener('change', () => {
    if (select.value === CUSTOM) {
      customBox.hidden = false;
      /** @type {HTMLInputElement} */ (byId('custom-url')).focus();
      return;
    }
    choose(select.value);
    onChange(current());
  });
  byId('custom-cancel').addEventListener('click', () => { choose(previous); select.focus(); });
  customForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const id = /** @type {HTMLInputElement} */ (byId('custom-id'));
    const url = /** @type {HTMLInputElement} */ (byId('custom-url'));
    const dtype = /** @type {HTMLSelectElement} */ (byId('custom-dtype')).value;
    url.setCustomValidity(modelURL(url.value) ? '' : 'Enter an http(s) URL or a path (e.g. /models/stories260K-onnx/) of a folder in the Hugging Face / Optimum layout.');
    if (!customForm.reportValidity()) return;
    const folder = url.value.trim().replace(/\/?$/, '/');
    const name = id.value.trim() || folder.split('/').filter(Boolean).pop() || 'custom';
    const custom = load('custom-models', /** @type {Omit<ModelEntry, 'value'>[]} */ ([])).filter((m) => !(m.id === name && m.dtype === dtype));
    save('custom-models', [...custom, { id: name, url: folder, dtype, label: `${name} (${dtype}, your URL)`, source: 'custom' }]);
    rebuild();
    const added = [...entries].reverse().find((m) => m.id === name && m.dtype === dtype);
    choose(added?.value ?? '');
    onChange(current());
    select.focus();
  });
  byId('custom-dtype').replaceChildren(...DTYPES.map((d) => h('option', { value: d, text: d })));

  return {
    current,
    /** Marks the models whose weights are stored (`id:dtype` cache keys). @param {Iterable<string>} keys */
    markCached(keys) {
      const next = new Set(keys);
      if ([...next].join() === [...cached].join()) return;
      cached = next;
      const value = select.value;
      rebuild();
      select.value = value;
    },
  };
}

/** @param {string} v */
function modelURL(v) {
  try {
    const u = new URL(v.trim(), location.href);
    return v.trim() !== '' && (u.protocol === 'http:' || u.protocol === 'https:');
  } catch {
    return false;
  }
}

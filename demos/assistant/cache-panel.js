// The stored-models panel: what edgewise holds in IndexedDB (engine.cache.list / usage),
// how much of the origin's quota that is, delete one model, clear them all.
import { h } from './dom.js';
import { bytes } from './format.js';

/**
 * @param {HTMLElement} root the `#cache` element
 * @param {{ engine: () => import('/dist/edgewise.js').Engine | undefined, onChange: (keys: string[]) => void }} deps
 */
export function createCachePanel(root, deps) {
  const summary = h('p', { class: 'usage', 'aria-live': 'polite', text: 'Reading the cache…' });
  const meter = h('meter', { min: 0, max: 1, value: 0, 'aria-label': 'Storage used by this site' });
  const list = h('ul', { class: 'cache-list' });
  const refreshBtn = h('button', { type: 'button', id: 'cache-refresh', class: 'ghost', text: 'Refresh' });
  const clearBtn = h('button', { type: 'button', id: 'cache-clear', class: 'danger', text: 'Clear all' });
  root.replaceChildren(summary, meter, list, h('div', { class: 'row' }, [refreshBtn, clearBtn]));

  let busy = /** @type {Promise<unknown>} */ (Promise.resolve());
  /** @param {() => Promise<unknown>} job */
  const serial = (job) => (busy = busy.then(job).catch((e) => { summary.textContent = `Cache: ${e?.code ?? 'error'}: ${e?.message ?? e}`; }));

  const refresh = () => serial(async () => {
    const engine = deps.engine();
    if (!engine?.model) { summary.textContent = 'No local model selected, so nothing to show.'; list.replaceChildren(); clearBtn.disabled = true; return; }
    const [models, usage] = await Promise.all([engine.cache.list(), engine.cache.usage()]);
    models.sort((a, b) => b.lastUsed - a.lastUsed);
    const quota = usage.quota ?? 0;
    summary.textContent = `${models.length} model${models.length === 1 ? '' : 's'}, ${bytes(usage.bytes)} stored by edgewise`
      + (quota ? ` · this site uses ${bytes(usage.usage ?? 0)} of ${bytes(quota)}` : '')
      + (usage.persisted ? ' · persistent' : '');
    meter.value = quota ? (usage.usage ?? 0) / quota : 0;
    meter.hidden = !quota;
    list.replaceChildren(...models.map((m) => item(m)));
    clearBtn.disabled = models.length === 0;
    deps.onChange(models.filter((m) => m.complete).map((m) => m.key));
  });

  /** @param {import('/dist/edgewise.js').CachedModelInfo} m */
  const item = (m) => {
    const del = h('button', { type: 'button', class: 'ghost small', 'aria-label': `Delete ${m.key}`, text: 'Delete' });
    del.addEventListener('click', () => serial(async () => {
      del.disabled = true;
      await deps.engine()?.cache.delete(specOf(m));
      summary.textContent = `Deleted ${m.key}.`;
    }).then(refresh));
    return h('li', { 'data-key': m.key, 'data-complete': m.complete }, [
      h('span', { class: 'name', title: m.url, text: m.key }),
      h('span', { class: 'size', text: `${bytes(m.bytes)} · ${m.files} files${m.complete ? '' : ' · partial'}${m.lastUsed ? ` · used ${new Date(m.lastUsed).toLocaleString()}` : ''}` }),
      del,
    ]);
  };

  refreshBtn.addEventListener('click', refresh);
  clearBtn.addEventListener('click', () => serial(async () => {
    clearBtn.disabled = true;
    await deps.engine()?.cache.clear();
  }).then(refresh));

  return { refresh };
}

/**
 * The model spec a cache entry came from: keys are `id:dtype` (web-llm's are `webllm:id`).
 * @param {import('/dist/edgewise.js').CachedModelInfo} m
 * @returns {import('/dist/edgewise.js').LocalModelSpec}
 */
function specOf(m) {
  if (m.key.startsWith('webllm:')) return { engine: 'webllm', id: m.key.slice('webllm:'.length) };
  const cut = m.key.lastIndexOf(':');
  return { id: m.key.slice(0, cut), url: m.url, dtype: /** @type {import('/dist/edgewise.js').Dtype} */ (m.key.slice(cut + 1)) };
}

// The model download bar, fed by engine.load({ onProgress }): bytes, percent, and whether
// they come over the network or from this device's IndexedDB cache.
import { byId } from './dom.js';
import { bytes, ranOnLabel } from './format.js';

export function createProgress() {
  const box = byId('progress-box');
  const bar = /** @type {HTMLProgressElement} */ (byId('progress'));
  const label = byId('progress-label');
  let name = '';
  /** @type {'network' | 'cache' | ''} */
  let source = '';
  let last = { loaded: 0, total: 0 };

  /** @param {'idle' | 'loading' | 'ready' | 'error'} state */
  const set = (state) => { box.dataset.state = state; bar.dataset.state = state; box.hidden = state === 'idle'; };

  return {
    /** @param {string} modelName */
    start(modelName) {
      name = modelName;
      source = '';
      last = { loaded: 0, total: 0 };
      bar.value = 0;
      bar.removeAttribute('data-source');
      label.textContent = `Opening ${name}…`;
      set('loading');
    },
    /** @param {import('/dist/edgewise.js').Progress} p */
    update(p) {
      source = p.source;
      last = { loaded: p.totalLoaded, total: p.totalBytes };
      const fraction = p.totalBytes > 0 ? Math.min(1, p.totalLoaded / p.totalBytes) : 0;
      bar.value = fraction;
      bar.dataset.source = p.source;
      bar.dataset.loaded = String(p.totalLoaded);
      bar.dataset.total = String(p.totalBytes);
      const verb = p.source === 'network' ? 'Downloading' : 'Reading from this device';
      label.textContent = `${verb} ${name}: ${bytes(p.totalLoaded)} of ${bytes(p.totalBytes)} (${Math.floor(fraction * 100)}%)`;
    },
    /** @param {import('/dist/edgewise.js').ModelInfo} info */
    ready(info) {
      bar.value = 1;
      const how = source === 'network' ? `downloaded ${bytes(last.total)} and stored it` : source === 'cache' ? `read ${bytes(last.total)} from this device` : 'ready';
      label.textContent = `${name} on ${ranOnLabel(info.ranOn)}: ${how}.`;
      set('ready');
    },
    /** @param {unknown} error */
    fail(error) {
      const e = /** @type {{ code?: string, message?: string }} */ (error ?? {});
      label.textContent = `${name} could not load (${e.code ?? 'error'}): ${e.message ?? String(error)} Requests can still go to the remote endpoint when the policy allows it.`;
      set('error');
    },
    hide() { set('idle'); },
  };
}

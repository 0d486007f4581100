// Owns the engine: creates it from the chosen model and the remote settings, recreates it
// when either changes (disposing the old one), and loads the local model with progress.
import { createEngine } from '/dist/edgewise.js';
import { currentToken } from './settings.js';

/**
 * @param {{
 *   progress: ReturnType<typeof import('./progress.js').createProgress>,
 *   onLoaded: (info: import('/dist/edgewise.js').ModelInfo) => void,
 *   onEngine: () => void,
 * }} deps
 */
export function createSession(deps) {
  /** @type {import('/dist/edgewise.js').Engine | undefined} */
  let engine;
  /** @type {import('./models.js').ModelEntry | undefined} */
  let model;
  /** @type {import('./settings.js').RemoteSettings | undefined} */
  let remote;
  let signature = '';
  /** @type {Promise<unknown>} */
  let disposing = Promise.resolve();
  /** @type {Promise<void> | undefined} */
  let loading;
  /** @type {AbortController | undefined} */
  let loadAbort;
  let loaded = false;

  /** @returns {string | undefined} an error message when the engine refused the options */
  const rebuild = () => {
    const next = JSON.stringify([model?.id, model?.url, model?.dtype, remote?.baseURL, remote?.model, remote?.prices, remote?.hasToken, remote?.tokenVersion]);
    if (next === signature && engine) return undefined;
    /** @type {import('/dist/edgewise.js').EngineOptions} */
    const options = {};
    if (model) options.model = { id: model.id, url: model.url, dtype: model.dtype };
    if (remote?.baseURL) {
      options.remote = {
        baseURL: remote.baseURL,
        model: remote.model,
        ...(remote.prices ? { prices: remote.prices } : {}),
        // Read at every request attempt, from memory only.
        ...(remote.hasToken ? { token: currentToken } : {}),
      };
    }
    if (!options.model && !options.remote) {
      signature = next;
      retire();
      engine = undefined;
      deps.progress.hide();
      deps.onEngine();
      return 'No local model and no remote endpoint: pick a model or set an endpoint.';
    }
    let created;
    try {
      created = createEngine(options);
    } catch (e) {
      const err = /** @type {{ code?: string, message?: string }} */ (e);
      return `${err.code ?? 'error'}: ${err.message ?? String(e)}`;
    }
    retire();
    engine = created;
    signature = next;
    loaded = false;
    if (!model) deps.progress.hide();
    deps.onEngine();
    return undefined;
  };

  const retire = () => {
    loadAbort?.abort();
    loading = undefined;
    const old = engine;
    if (old) disposing = old.dispose().catch(() => undefined);
  };

  return {
    get engine() { return engine; },
    get loaded() { return loaded; },
    /**
     * @param {import('./models.js').ModelEntry | undefined} entry
     * @param {boolean} [now] false: only remember it (at boot, before the remote settings are known)
     */
    setModel(entry, now = true) { model = entry; return now ? rebuild() : undefined; },
    /** @param {import('./settings.js').RemoteSettings} settings */
    setRemote(settings) { remote = settings; return rebuild(); },
    /**
     * Loads the local model once per engine, showing progress; a failed load is tried again
     * on the next call. Never rejects: the failure is shown, and routing decides what to do.
     */
    ensureLoaded() {
      const current = engine;
      if (!current?.model || !model || loaded) return Promise.resolve();
      if (loading) return loading;
      const name = `${model.id} (${model.dtype})`;
      const abort = (loadAbort = new AbortController());
      deps.progress.start(name);
      loading = disposing
        .then(() => current.load({ onProgress: (p) => { if (engine === current) deps.progress.update(p); }, signal: abort.signal }))
        .then((info) => {
          if (engine !== current) return;
          loaded = true;
          deps.progress.ready(info);
          deps.onLoaded(info);
        }, (e) => {
          if (engine !== current || abort.signal.aborted) return;
          loading = undefined;
          deps.progress.fail(e);
        });
      return loading;
    },
  };
}

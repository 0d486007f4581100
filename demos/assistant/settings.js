// The remote endpoint settings. baseURL, model and prices come from the server's
// /api/config unless overridden here (overrides are remembered); the API token is held in
// this module's memory only: never in localStorage, IndexedDB, cookies or the form
// (browsers may restore form fields, so the field is emptied once the token is taken).
import { byId } from './dom.js';
import { load, save } from './prefs.js';

/**
 * @typedef {object} RemoteSettings
 * @property {string} baseURL   '' when no endpoint is configured
 * @property {string} model
 * @property {import('/dist/edgewise.js').RemotePrices | undefined} prices
 * @property {boolean} hasToken
 * @property {number} tokenVersion   changes whenever the token does (the token itself is never copied)
 */

let tokenInMemory = '';

/** The token, for `remote.token`: read at every request attempt, never stored. */
export const currentToken = async () => tokenInMemory;

/**
 * @param {{ baseURL?: string, model?: string, label?: string, prices?: import('/dist/edgewise.js').RemotePrices } | undefined} defaults from /api/config
 * @param {(s: RemoteSettings) => string | undefined} onApply returns an error message when the engine refused the settings
 */
export function createSettings(defaults, onApply) {
  const form = /** @type {HTMLFormElement} */ (byId('settings-form'));
  const baseURL = /** @type {HTMLInputElement} */ (byId('remote-base-url'));
  const model = /** @type {HTMLInputElement} */ (byId('remote-model'));
  const token = /** @type {HTMLInputElement} */ (byId('remote-token'));
  const priceIn = /** @type {HTMLInputElement} */ (byId('remote-price-in'));
  const priceOut = /** @type {HTMLInputElement} */ (byId('remote-price-out'));
  const status = byId('remote-status');
  const forget = /** @type {HTMLButtonElement} */ (byId('remote-forget'));
  let tokenVersion = 0;
  let applied = '';

  const base = { baseURL: defaults?.baseURL ?? '', model: defaults?.model ?? '', prices: defaults?.prices };
  const fill = (/** @type {{ baseURL: string, model: string, prices?: { input: number, output: number } }} */ v) => {
    baseURL.value = v.baseURL;
    model.value = v.model;
    priceIn.value = v.prices ? String(v.prices.input) : '';
    priceOut.value = v.prices ? String(v.prices.output) : '';
  };
  fill({ ...base, ...load('remote', {}) });
  byId('remote-default').textContent = defaults?.baseURL
    ? `Default: ${defaults.label ?? defaults.baseURL} (${defaults.baseURL}, model ${defaults.model ?? '?'})`
    : 'The server named no default endpoint.';

  /** @returns {RemoteSettings} */
  const read = () => {
    const input = Number(priceIn.value);
    const output = Number(priceOut.value);
    const priced = priceIn.value !== '' && priceOut.value !== '' && input >= 0 && output >= 0;
    return {
      baseURL: baseURL.value.trim(),
      model: model.value.trim() || base.model || 'default',
      prices: priced ? { input, output, currency: base.prices?.currency ?? 'USD' } : undefined,
      hasToken: tokenInMemory !== '',
      tokenVersion,
    };
  };

  const describe = (/** @type {RemoteSettings} */ s) => {
    status.textContent = s.baseURL
      ? `Remote: ${s.baseURL} · model ${s.model} · ${s.hasToken ? 'token set (in memory)' : 'no token'}${s.prices ? ` · ${s.prices.input}/${s.prices.output} per 1M tokens` : ''}`
      : 'No remote endpoint: only this device answers.';
    forget.hidden = !s.hasToken;
  };

  const apply = () => {
    if (token.value !== '') {
      tokenInMemory = token.value;
      token.value = '';
      tokenVersion++;
    }
    baseURL.setCustomValidity(validURL(baseURL.value.trim()) ? '' : 'Enter an http(s) URL such as https://api.example.com/v1, or a path such as /v1.');
    if (!form.reportValidity()) return;
    const s = read();
    const signature = JSON.stringify([s.baseURL, s.model, s.prices, s.tokenVersion]);
    if (signature === applied) return;
    const error = onApply(s);
    if (error) { status.textContent = error; return; }
    applied = signature;
    const kept = { baseURL: s.baseURL, model: s.model, prices: s.prices };
    const same = kept.baseURL === base.baseURL && kept.model === (base.model || 'default') && kept.prices?.input === base.prices?.input && kept.prices?.output === base.prices?.output;
    save('remote', same ? undefined : { baseURL: kept.baseURL, model: kept.model, prices: kept.prices });
    describe(s);
  };

  form.addEventListener('submit', (e) => { e.preventDefault(); apply(); });
  form.addEventListener('change', apply);
  byId('remote-reset').addEventListener('click', () => { fill(base); apply(); });
  forget.addEventListener('click', () => { tokenInMemory = ''; tokenVersion++; apply(); });

  return {
    /** Applies the current fields (first call creates the engine's remote). */
    apply,
    read,
  };
}

/** @param {string} v */
function validURL(v) {
  if (v === '') return true;
  try {
    const u = new URL(v, location.href);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

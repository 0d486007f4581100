// Preferences kept across visits in localStorage: the last model list and server config
// (so the app starts offline), the chosen model and policy, custom models, endpoint overrides.
// Never the API token: that one lives in settings.js, in memory only.

const PREFIX = 'edgewise-assistant:';

/**
 * @template T
 * @param {string} key
 * @param {T} fallback
 * @returns {T}
 */
export function load(key, fallback) {
  try {
    const raw = localStorage.getItem(PREFIX + key);
    return raw === null ? fallback : JSON.parse(raw);
  } catch {
    return fallback;
  }
}

/** @param {string} key @param {unknown} value undefined removes it */
export function save(key, value) {
  try {
    if (value === undefined) localStorage.removeItem(PREFIX + key);
    else localStorage.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    // Storage full or blocked (private mode): preferences are a convenience only.
  }
}

/**
 * GETs JSON from the demo server, remembering the answer so the app also starts offline.
 * @template T
 * @param {string} url
 * @param {string} key where the last good answer is kept
 * @param {T} fallback
 * @returns {Promise<{ value: T, fresh: boolean }>}
 */
export async function fetchRemembered(url, key, fallback) {
  // Offline, not even a try: an offline start sends no request out of the browser.
  if (!navigator.onLine) return { value: load(key, fallback), fresh: false };
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(4000), headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
    const value = await res.json();
    save(key, value);
    return { value, fresh: true };
  } catch {
    return { value: load(key, fallback), fresh: false };
  }
}

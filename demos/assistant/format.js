// Small formatters shared by the panels. Pure: no DOM.

/** @param {number} n bytes */
export function bytes(n) {
  if (!Number.isFinite(n) || n < 0) return '?';
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** @param {number} ms */
export function ms(ms) {
  if (!Number.isFinite(ms)) return '–';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** @param {number} amount @param {string} [currency] */
export function money(amount, currency = 'USD') {
  if (!Number.isFinite(amount)) return '–';
  // Per-request costs of small models are fractions of a cent: keep two significant digits.
  const small = amount > 0 && amount < 0.01;
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency, ...(small ? { maximumSignificantDigits: 2 } : { minimumFractionDigits: 2, maximumFractionDigits: 4 }) }).format(amount);
  } catch {
    return `${small ? amount.toPrecision(2) : amount.toFixed(2)} ${currency}`;
  }
}

/** @param {number} n */
export const rate = (n) => (Number.isFinite(n) && n > 0 ? (n < 10 ? n.toFixed(1) : Math.round(n).toLocaleString('en')) : '–');

/** Labels for `finish.ranOn`, as people say them. */
export const RAN_ON_LABEL = Object.freeze({ wasm: 'WASM', webgpu: 'WebGPU', webllm: 'WebLLM', builtin: 'built-in', remote: 'remote' });

/** @param {string} ranOn */
export const ranOnLabel = (ranOn) => RAN_ON_LABEL[/** @type {keyof typeof RAN_ON_LABEL} */ (ranOn)] ?? ranOn;

/** `local_preferred` → `local preferred`. @param {string} reason */
export const reasonLabel = (reason) => reason.replaceAll('_', ' ');

/** Sum of `finish.redactions` (counts by type). @param {Record<string, number> | undefined} r */
export const redactionCount = (r) => Object.values(r ?? {}).reduce((a, b) => a + (b ?? 0), 0);

/**
 * Random ids for requests, locks and index generations. `crypto.randomUUID()` exists only
 * in secure contexts (https, localhost): an app served over plain http on a LAN address
 * would throw on it, so the fallback draws the same 122 bits from `getRandomValues()`,
 * which every context has.
 */
export function randomId(): string {
  const c = globalThis.crypto;
  if (typeof c.randomUUID === 'function' && globalThis.isSecureContext !== false) return c.randomUUID();
  return Array.from(c.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

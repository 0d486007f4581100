/** Persistent-storage request, alone so the main thread can import it without the store. */
let persistAsked = false;

/**
 * Asks once per session for persistent storage, so the browser does not evict the
 * weights under storage pressure. It resolves false in headless Chromium and is
 * window-only (absent in workers): neither is an error.
 */
export async function requestPersistenceOnce(): Promise<void> {
  if (persistAsked) return;
  persistAsked = true;
  const storage = globalThis.navigator?.storage;
  if (typeof storage?.persist !== 'function') return;
  try {
    await storage.persist();
  } catch {
    // Persistence is a hint; the cache works without it.
  }
}

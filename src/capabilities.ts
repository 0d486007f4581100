/**
 * Platform features, probed once per realm and cached. Code asks this object instead
 * of sniffing globals inline; the WebGPU probe joins it with the WebGPU backend.
 */
export interface Capabilities {
  /** WASM threads need SharedArrayBuffer, which needs cross-origin isolation. */
  threads: boolean;
  cores: number;
  /** `navigator.storage` (estimate/persist) is present. */
  storageManager: boolean;
}

let cached: Capabilities | undefined;

export function capabilities(): Capabilities {
  cached ??= {
    threads: globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function',
    cores: Math.max(1, globalThis.navigator?.hardwareConcurrency ?? 1),
    storageManager: typeof globalThis.navigator?.storage?.estimate === 'function',
  };
  return cached;
}

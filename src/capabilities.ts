import { probeWebGPU } from './gpu.js';

/**
 * Platform facts, probed once per realm and cached. Code asks this object instead of
 * sniffing globals inline. Tests and apps that know better inject their own facts
 * through `createEngine({ capabilities })`, never by patching browser globals.
 */
export interface Capabilities {
  /** WASM threads need SharedArrayBuffer, which needs cross-origin isolation. */
  threads: boolean;
  cores: number;
  /** `navigator.storage` (estimate/persist) is present. */
  storageManager: boolean;
  /** `navigator.deviceMemory` in GiB (Chromium rounds it and caps it at 8); absent where unknown. */
  deviceMemoryGiB?: number;
  /** `navigator.storage.estimate()` at probe time; absent where unknown. */
  storage?: { quota: number; usage: number };
  /** `navigator.onLine`, read when asked (it changes; the rest does not). */
  online: boolean;
  /** `navigator.connection` where present (Chromium). */
  connection?: { effectiveType?: string; downlinkMbps?: number; rttMs?: number; saveData?: boolean };
  /** WebGPU as the page sees it, probed once (absent until probed, or without WebGPU). */
  gpu?: { adapter: boolean; fallback: boolean; shaderF16: boolean; maxBufferSize: number; description: string };
}

interface NetworkInformationLike {
  effectiveType?: string;
  downlink?: number;
  rtt?: number;
  saveData?: boolean;
}

let cached: Omit<Capabilities, 'online' | 'connection' | 'storage'> | undefined;

function connection(): Capabilities['connection'] {
  const c = (globalThis.navigator as { connection?: NetworkInformationLike } | undefined)?.connection;
  if (!c) return undefined;
  const out: NonNullable<Capabilities['connection']> = {};
  if (typeof c.effectiveType === 'string') out.effectiveType = c.effectiveType;
  if (typeof c.downlink === 'number') out.downlinkMbps = c.downlink;
  if (typeof c.rtt === 'number') out.rttMs = c.rtt;
  if (typeof c.saveData === 'boolean') out.saveData = c.saveData;
  return out;
}

/** The synchronous facts; `online` and `connection` are read fresh on every call. */
export function capabilities(): Capabilities {
  cached ??= {
    threads: globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function',
    cores: Math.max(1, globalThis.navigator?.hardwareConcurrency ?? 1),
    storageManager: typeof globalThis.navigator?.storage?.estimate === 'function',
    ...deviceMemory(),
  };
  const out: Capabilities = { ...cached, online: globalThis.navigator?.onLine ?? true };
  const conn = connection();
  if (conn) out.connection = conn;
  if (storageEstimate) out.storage = storageEstimate;
  if (gpuFacts) out.gpu = gpuFacts;
  return out;
}

function deviceMemory(): { deviceMemoryGiB?: number } {
  const m = (globalThis.navigator as { deviceMemory?: number } | undefined)?.deviceMemory;
  return typeof m === 'number' && m > 0 ? { deviceMemoryGiB: m } : {};
}

let storageEstimate: Capabilities['storage'];
let gpuFacts: Capabilities['gpu'];
let storageProbe: Promise<void> | undefined;

/** All facts, the storage estimate and WebGPU included (asked once per realm; they are async). */
export async function probeCapabilities(): Promise<Capabilities> {
  storageProbe ??= (async () => {
    try {
      const e = await globalThis.navigator?.storage?.estimate?.();
      if (e && typeof e.quota === 'number') storageEstimate = { quota: e.quota, usage: e.usage ?? 0 };
    } catch { /* storage facts stay unknown; the router then does not use them */ }
    const g = await probeWebGPU();
    gpuFacts = { adapter: g.adapter, fallback: g.fallback, shaderF16: g.shaderF16, maxBufferSize: g.maxBufferSize, description: g.description };
  })();
  await storageProbe;
  return capabilities();
}

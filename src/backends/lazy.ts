/**
 * A backend whose code is a lazy chunk: what routing reads (kind, capabilities, state,
 * supports) is known up front; the first load, generate or embed imports the real one. An
 * app that never uses it never downloads it (the remote's code, the built-in adapter).
 */
import type { Capabilities } from '../capabilities.js';
import type { BackendCapabilities, BackendPart, BackendState, BackendV3, Support } from './backend.js';

export interface LazyDescriptor {
  kind: string;
  location: 'local' | 'remote';
  capabilities: BackendCapabilities;
  /** The state until the real backend is imported. */
  state: BackendState;
  /** The answer until the real backend is imported. */
  supports(capabilities: Capabilities): Support;
  generates: boolean;
  embeds: boolean;
  /**
   * Whether routing must ask the real backend before every request (`refresh()`, the
   * built-in model's availability). Only then does routing import it: a remote that a
   * request does not use stays undownloaded.
   */
  refreshes?: boolean;
}

export function lazyBackend(d: LazyDescriptor, create: () => Promise<BackendV3>): BackendV3 {
  let loading: Promise<BackendV3> | undefined;
  let ready: BackendV3 | undefined;
  const get = (): Promise<BackendV3> => (loading ??= create().then((b) => (ready = b), (e: unknown) => { loading = undefined; throw e; }));
  const backend: BackendV3 = {
    specificationVersion: 'v3',
    kind: d.kind,
    location: d.location,
    capabilities: d.capabilities,
    get state() { return ready?.state ?? d.state; },
    supports: (capabilities) => ready?.supports(capabilities) ?? d.supports(capabilities),
    load: async (o) => (await get()).load(o),
    countTokens: async (request) => (ready ? ready.countTokens?.(request) : undefined),
    isCached: async () => (await get()).isCached?.() ?? false,
    unload: async () => { await ready?.unload(); },
  };
  if (d.refreshes) backend.refresh = async () => { await (await get()).refresh?.(); };
  if (d.generates) {
    backend.generate = (request, o) => (async function* run(): AsyncGenerator<BackendPart> {
      const b = await get();
      if (!b.generate) throw new TypeError(`the ${d.kind} backend declared generate but has none`);
      yield* b.generate(request, o);
    })();
  }
  if (d.embeds) {
    backend.embed = async (request, o) => {
      const b = await get();
      if (!b.embed) throw new TypeError(`the ${d.kind} backend declared embed but has none`);
      return b.embed(request, o);
    };
  }
  return backend;
}

/**
 * The remote endpoint as one of the engine's candidates. Its code is a lazy chunk: a
 * local-only app never downloads it, and a remote-only one downloads it on first use.
 */
import type { RemoteOptions } from '../../config-types.js';
import type { BackendV3 } from '../backend.js';
import { lazyBackend } from '../lazy.js';
import { REMOTE_CAPABILITIES } from './capabilities.js';
import { maskUrl } from './mask.js';

export function remoteCandidate(options: RemoteOptions): BackendV3 {
  return lazyBackend({
    kind: 'remote',
    location: 'remote',
    capabilities: REMOTE_CAPABILITIES,
    state: { ranOn: 'remote', loaded: true },
    supports: (capabilities) => (capabilities.online ? { ok: true } : { ok: false, code: 'offline', detail: `The device is offline, so ${maskUrl(options.baseURL)} cannot be reached.` }),
    generates: true,
    embeds: true,
  }, () => import('./index.js').then((m) => m.createRemoteBackend(options)));
}

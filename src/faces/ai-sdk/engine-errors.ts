/** {@link toSdkError} with the endpoint looked up only when the failure names none. */
import { isEdgewiseError, type Engine } from '../../index.js';
import { toSdkError } from './errors.js';

/**
 * @param path `/chat/completions` or `/embeddings`, appended to the engine's remote baseURL
 * for a remote failure that carries no URL of its own (a failed `token()` call).
 */
export async function sdkError(engine: Engine, e: unknown, path = '/chat/completions'): Promise<unknown> {
  if (!isEdgewiseError(e) || !e.code.startsWith('remote_') || typeof e.details['url'] === 'string') return toSdkError(e, undefined);
  const remote = await engine.info().then((i) => i.remote, () => undefined);
  if (remote === undefined) return toSdkError(e, undefined);
  // The path goes before any query string, as the engine's own requests put it (docs/edge-and-cloud.md, remote.baseURL).
  const url = new URL(remote.baseURL);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
  return toSdkError(e, url.href);
}

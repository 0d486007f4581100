/**
 * Redaction as middleware around any backend whose requests leave the page, as the AI
 * SDK's `wrapLanguageModel` wraps a model: the wrapped backend knows nothing of it. The
 * detectors and the restorer are a lazy chunk, imported on the first call that goes out,
 * so an app that stays on the device never downloads them.
 */
import type { BackendPart } from '../backends/backend.js';
import type { BackendMiddleware } from '../backends/middleware.js';
import type { RedactOptions } from '../config-types.js';

/**
 * @example const remote = wrap(createRemoteBackend(options), redaction({ terms: ['Project Falcon'] }));
 */
export function redaction(options: RedactOptions): BackendMiddleware {
  const calls = (): Promise<Required<BackendMiddleware>> => import('./redact-calls.js').then((m) => m.redactingMiddleware(options));
  return {
    async *wrapGenerate(call): AsyncGenerator<BackendPart> {
      yield* (await calls()).wrapGenerate(call);
    },
    wrapEmbed: async (call) => (await calls()).wrapEmbed(call),
  };
}

/**
 * Redaction as middleware around any backend whose requests leave the page, as the AI
 * SDK's `wrapLanguageModel` wraps a model: the wrapped backend knows nothing of it. The
 * detectors and the restorer are a lazy chunk, imported on the first call that goes out,
 * so an app that stays on the device never downloads them.
 */
import type { BackendPart } from '../backends/backend.js';
import type { BackendMiddleware } from '../backends/middleware.js';
import type { RedactOptions } from '../config-types.js';
import type { SpanFinder } from './finder.js';

/**
 * `finder` makes the detector for this middleware, once, on the first call that goes out
 * (default: the pattern detectors on this thread); the engine passes a worker-backed one
 * for large inputs and the model tier. One instance remembers the values it hid for
 * later requests (memory only, bounded), so an engine should hold one per remote.
 *
 * @example const remote = wrap(createRemoteBackend(options), redaction({ terms: ['Project Falcon'] }));
 */
export function redaction(options: RedactOptions, finder?: () => SpanFinder): BackendMiddleware {
  let loading: Promise<Required<BackendMiddleware>> | undefined;
  const calls = (): Promise<Required<BackendMiddleware>> => {
    loading ??= import('./redact-calls.js')
      .then((m) => m.redactingMiddleware(options, finder?.()))
      .catch((e: unknown) => {
        // A failed chunk load (offline for a moment) is tried again on the next call.
        loading = undefined;
        throw e;
      });
    return loading;
  };
  return {
    async *wrapGenerate(call): AsyncGenerator<BackendPart> {
      yield* (await calls()).wrapGenerate(call);
    },
    wrapEmbed: async (call) => (await calls()).wrapEmbed(call),
  };
}

/**
 * Middleware around a backend, as the AI SDK's `wrapLanguageModel` does for models: the
 * wrapped backend keeps its contract and knows nothing of what wraps it. Redaction is one
 * (`privacy/middleware.ts` wraps every remote backend); an app may add its own.
 */
import type { BackendPart, BackendRequest, BackendV3, EmbedOptions, EmbedRequest, EmbedResult, GenerateOptions } from './backend.js';

export interface BackendMiddleware {
  /** Around one generate call: may rewrite the request on the way in and the parts on the way out. */
  wrapGenerate?(call: {
    request: BackendRequest;
    options: GenerateOptions;
    next: (request: BackendRequest) => AsyncIterable<BackendPart>;
  }): AsyncIterable<BackendPart>;
  /** Around one embed call. */
  wrapEmbed?(call: {
    request: EmbedRequest;
    options: EmbedOptions;
    next: (request: EmbedRequest) => Promise<EmbedResult>;
  }): Promise<EmbedResult>;
}

/**
 * The backend with `middleware` around its generate and embed calls; everything else
 * (state, load, capabilities) is the backend's own, read through at each access.
 * @example const safe = wrap(remote, redaction({ types: ['email'] }));
 */
export function wrap(backend: BackendV3, middleware: BackendMiddleware): BackendV3 {
  const out: BackendV3 = Object.create(backend) as BackendV3;
  const generate = backend.generate?.bind(backend);
  const embed = backend.embed?.bind(backend);
  if (generate && middleware.wrapGenerate) {
    const around = middleware.wrapGenerate.bind(middleware);
    Object.defineProperty(out, 'generate', {
      value: (request: BackendRequest, options: GenerateOptions = {}) => around({ request, options, next: (r) => generate(r, options) }),
    });
  }
  if (embed && middleware.wrapEmbed) {
    const around = middleware.wrapEmbed.bind(middleware);
    Object.defineProperty(out, 'embed', {
      value: (request: EmbedRequest, options: EmbedOptions = {}) => around({ request, options, next: (r) => embed(r, options) }),
    });
  }
  return out;
}

/**
 * The browser's built-in model as one of the engine's candidates. The Prompt API lives on
 * the page, so this runs on the page; its code is a lazy chunk imported the first time
 * routing asks about it (an engine without a built-in candidate never loads it).
 */
import type { BuiltinModelSpec } from '../../config-types.js';
import { EdgewiseError } from '../../errors.js';
import type { PageKind } from '../kind.js';
import { lazyBackend } from '../lazy.js';
import { BUILTIN_CAPABILITIES } from './capabilities.js';

export const builtinPageKind: PageKind<BuiltinModelSpec> = {
  runs: 'page',
  create(spec, role) {
    if (role === 'embed') throw new EdgewiseError('invalid_model_spec', "The browser's built-in model does not embed: pass an ONNX or web-llm embedding model, or a remote.");
    return lazyBackend({
      kind: 'builtin',
      location: 'local',
      capabilities: BUILTIN_CAPABILITIES,
      state: { ranOn: 'builtin', loaded: false },
      // Until the first refresh() nothing is known: say no rather than guess (the engine
      // refreshes before every routing decision).
      supports: () => ({ ok: false, code: 'unavailable', detail: 'the built-in model has not been asked yet' }),
      generates: true,
      embeds: false,
      refreshes: true,
    }, () => import('./index.js').then((m) => m.createBuiltinBackend(spec)));
  },
};

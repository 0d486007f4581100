/**
 * The browser's built-in model as one of the engine's local candidates. The Prompt API
 * lives on the page, so this runs on the page; its code is a lazy chunk imported the first
 * time routing asks about it (an engine without a built-in candidate never loads it).
 */
import type { EdgewiseError } from '../errors.js';
import type { ModelInfo } from '../types.js';
import type { BuiltinModelSpec } from '../config-types.js';
import type { Backend, BackendLoadOptions, BackendPart, BackendRequest, Support } from './backend.js';
import type { BuiltinBackend, BuiltinDeps } from './builtin/index.js';

export interface LocalBuiltin extends Backend {
  readonly loaded: boolean;
  readonly loadError: EdgewiseError | undefined;
  readonly info: ModelInfo | undefined;
  readonly ranOnHint: 'builtin';
  countTokens(request: Pick<BackendRequest, 'prompt' | 'messages'>): Promise<number | undefined>;
  refresh(): Promise<unknown>;
}

export function createLocalBuiltin(spec: BuiltinModelSpec, deps: BuiltinDeps = {}): LocalBuiltin {
  let backend: Promise<BuiltinBackend> | undefined;
  let ready: BuiltinBackend | undefined;
  let info: ModelInfo | undefined;
  let loadError: EdgewiseError | undefined;
  const get = (): Promise<BuiltinBackend> => (backend ??= import('./builtin/index.js').then((m) => (ready = m.createBuiltinBackend(spec, deps))));

  return {
    specificationVersion: 'v2',
    id: 'builtin',
    location: 'local',
    ranOnHint: 'builtin',
    get loaded() { return info !== undefined; },
    get loadError() { return loadError; },
    get info() { return info; },
    // Until the first refresh() nothing is known: say no rather than guess (the engine
    // refreshes before every routing decision).
    supports: (request, caps): Support => ready?.supports(request, caps) ?? { ok: false, code: 'unavailable', detail: 'the built-in model has not been asked yet' },
    refresh: async () => (await get()).availability(),
    countTokens: async () => undefined,
    async load(o: BackendLoadOptions = {}): Promise<ModelInfo> {
      try {
        info = await (await get()).load(o);
        loadError = undefined;
        return info;
      } catch (e) {
        loadError = e as EdgewiseError;
        throw e;
      }
    },
    generate(request, o = {}): AsyncIterable<BackendPart> {
      async function* run(): AsyncGenerator<BackendPart> {
        yield* (await get()).generate(request, o);
      }
      return run();
    },
    async unload() {
      info = undefined;
      await ready?.unload();
    },
  };
}

/**
 * The built-in model backend: the browser's own model through the Prompt API
 * (`LanguageModel`; Gemini Nano in Chrome, Phi-4-mini in Edge), as a `BackendV3`. It runs
 * on the page, since the API is not exposed to workers, and downloads nothing of ours: the
 * browser owns the weights. `refresh()` (or `availability()`) asks the browser; `supports()`
 * answers from its last answer, synchronously.
 */
import { EdgewiseError, isEdgewiseError } from '../../errors.js';
import type { BuiltinModelSpec } from '../../config-types.js';
import type { ModelInfo } from '../../types.js';
import type {
  BackendLoadOptions, BackendPart, BackendRequest, BackendState, BackendV3, GenerateOptions, Support, UnsupportedCode,
} from '../backend.js';
import { BaseSession } from './base-session.js';
import { BUILTIN_CAPABILITIES } from './capabilities.js';
import { noPromptApi } from './errors.js';
import { runBuiltin } from './generate.js';
import { samplingFor } from './prompt.js';
import { askAvailability, findLanguageModel, type Availability, type LanguageModelParams, type LanguageModelStatic } from './prompt-api.js';
import { now as clock } from '../../clock.js';

export { findLanguageModel } from './prompt-api.js';
export type { Availability, LanguageModelSession, LanguageModelStatic } from './prompt-api.js';
export { PROGRESS_SCALE } from './progress.js';
export { BUILTIN_CAPABILITIES } from './capabilities.js';

/** How long a known availability is trusted before `availability()` asks the browser again. */
export const AVAILABILITY_TTL_MS = 5000;

/**
 * Codes this backend's `supports()` needs beyond today's `UnsupportedCode`: the browser
 * has no model for this device, or is still downloading it.
 */
export type BuiltinUnsupportedCode = Extract<UnsupportedCode, 'not_configured' | 'unavailable' | 'downloading'>;

export interface BuiltinDeps {
  /** Default: the page's `LanguageModel` ({@link findLanguageModel}), looked up on each use. */
  languageModel?: LanguageModelStatic;
  /** Default `performance.timeOrigin + performance.now()`, the clock of `request.startedAt`. */
  now?: () => number;
}

export interface BuiltinBackend extends BackendV3 {
  generate(request: BackendRequest, options?: GenerateOptions): AsyncIterable<BackendPart>;
  /** Asks the browser (as `availability()` does) so that `supports()` answers from a fresh answer. */
  refresh(): Promise<void>;
  /**
   * Cheap and cached (asks the browser at most every {@link AVAILABILITY_TTL_MS} ms): what
   * the router needs. With `spec.allowDownload`, a `'downloadable'` answer starts the
   * download in the background, once, and reports `'downloading'` until it ends; a
   * `load({ onProgress })` meanwhile joins it and gets its progress. Never rejects: a
   * browser that fails to answer counts as `'unavailable'`.
   */
  availability(): Promise<Availability>;
}


/**
 * Creates the built-in model backend. Nothing is asked of the browser until
 * `refresh()`/`availability()`, `supports()` or `load()`. `supports()` says no until an
 * answer is known, so the engine awaits `refresh()` before routing. `allowDownload` governs
 * only the background download: an explicit `load()` downloads the model when it must.
 *
 * Chrome starts a download from `create()` only with a user activation, so a background
 * download started outside one fails; it is not retried in the background, and a
 * `load()` called from a click starts it again.
 * @example
 * const builtin = createBuiltinBackend({ engine: 'builtin', allowDownload: true });
 * if ((await builtin.availability()) === 'available') {
 *   await builtin.load();
 *   for await (const part of builtin.generate(request, { signal })) {
 *     if (part.type === 'text') out.append(part.text);
 *   }
 * }
 */
export function createBuiltinBackend(spec: BuiltinModelSpec, deps: BuiltinDeps = {}): BuiltinBackend {
  const languageModel = (): LanguageModelStatic | undefined => deps.languageModel ?? findLanguageModel();
  const now = deps.now ?? clock;
  let known: Availability | undefined;
  let checkedAt = 0;
  let probing: Promise<Availability> | undefined;
  let backgroundTried = false;
  let backgroundError: string | undefined;
  /** The background download runs (from its start, before the browser has said anything more). */
  let background = false;
  let params: Promise<LanguageModelParams | null> | undefined;

  const saw = (a: Availability): void => {
    known = a;
    checkedAt = now();
  };
  const base = new BaseSession(languageModel, saw);
  let loadError: EdgewiseError | undefined;
  const downloading = (): boolean => background || base.downloading;

  /** The browser's answer, fresh within the TTL; concurrent callers share one question. */
  function probe(lm: LanguageModelStatic): Promise<Availability> {
    if (known !== undefined && now() - checkedAt < AVAILABILITY_TTL_MS) return Promise.resolve(known);
    probing ??= askAvailability(lm).then((a) => {
      saw(a);
      probing = undefined;
      return a;
    });
    return probing;
  }

  async function availability(): Promise<Availability> {
    const lm = languageModel();
    if (!lm) return 'unavailable';
    if (base.session) return 'available';
    if (downloading()) return 'downloading';
    const a = await probe(lm);
    if (a !== 'downloadable' || !spec.allowDownload || backgroundTried) return a;
    backgroundTried = true;
    background = true;
    // No signal: the download is pinned, so a load() that joins and then leaves does not cancel it.
    base.load().then(
      () => { background = false; },
      (e: unknown) => {
        background = false;
        // unload() cancelling it is no failure to report.
        if (!(isEdgewiseError(e) && e.code === 'aborted')) backgroundError = e instanceof Error ? e.message : String(e);
      },
    );
    return 'downloading';
  }

  function no(code: BuiltinUnsupportedCode, detail: string): Support {
    return { ok: false, code, detail };
  }

  return {
    specificationVersion: 'v3',
    kind: 'builtin',
    location: 'local',
    capabilities: BUILTIN_CAPABILITIES,
    availability,
    refresh: async () => { await availability(); },

    get state(): BackendState {
      const info = base.info;
      return { ranOn: 'builtin', loaded: base.session !== undefined, loadError, info, contextLength: info?.contextLength };
    },

    supports(): Support {
      const lm = languageModel();
      if (!lm) return no('not_configured', 'This browser has no Prompt API (`LanguageModel`), so it has no built-in model.');
      if (base.session) return { ok: true };
      if (downloading()) return no('downloading', 'The browser is downloading its built-in model.');
      // Refresh for the next question; only the answer already known counts for this one.
      if (known === undefined || now() - checkedAt >= AVAILABILITY_TTL_MS) void probe(lm);
      switch (known) {
        case 'available': return { ok: true };
        case 'downloading': return no('downloading', 'The browser is downloading its built-in model.');
        // Not on the device and not on its way: for routing, the device lacks it.
        case 'downloadable': return no('unavailable', `The browser's built-in model is not downloaded${spec.allowDownload ? '' : ' (allowDownload is off)'}${backgroundError ? `; the download failed: ${backgroundError}` : ''}.`);
        case 'unavailable': return no('unavailable', "The browser says its built-in model is 'unavailable' on this device.");
        case undefined: return no('unavailable', "The built-in model's availability is not known yet: call refresh() first.");
      }
    },

    async load(o?: BackendLoadOptions): Promise<ModelInfo> {
      try {
        const info = await base.load(o);
        loadError = undefined;
        return info;
      } catch (e) {
        if (isEdgewiseError(e) && e.code !== 'aborted') loadError = e;
        throw e;
      }
    },

    generate(request: BackendRequest, o: GenerateOptions = {}): AsyncIterable<BackendPart> {
      const lm = languageModel();
      const loaded = base.session;
      async function* run(): AsyncGenerator<BackendPart, void, undefined> {
        // Checked inside the iterator, so the failure comes from it as the spec says.
        if (!lm) throw noPromptApi();
        if (!loaded) throw new EdgewiseError('runtime_error', 'generate() ran before load() on the built-in backend; this is a bug in edgewise.');
        yield* runBuiltin(request, {
          languageModel: lm,
          sampling: async (r) => samplingFor(r, await (params ??= lm.params?.().catch(() => null) ?? Promise.resolve(null))),
          now,
          signal: o.signal,
        });
      }
      return run();
    },

    async unload(): Promise<void> {
      base.unload();
    },
  };
}

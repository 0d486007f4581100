/**
 * `LanguageModel.availability()` and `LanguageModel.create()` over an engine (index.bs
 * "Creation" and "Availability"; explainer, "Testing available options before creation"
 * and "Download progress").
 */
import type { Engine } from '../../index.js';
import { raceAbort } from './abort.js';
import { measure } from './context.js';
import { abortReason, domError, quotaError, toDomError } from './errors.js';
import { canonicalize } from './messages.js';
import { startMonitor } from './monitor.js';
import { checkCoreOptions, toolDefinitions, unsupportedReason } from './options.js';
import type { SessionState } from './session.js';
import type { Availability, LanguageModelCreateCoreOptions, LanguageModelCreateOptions, LanguageModelFaceOptions } from './types.js';

const DEFAULT_LANGUAGES: readonly string[] = ['en'];

/** Loads this face started, per engine: the engine does not say whether a load is in flight. */
const loading = new WeakMap<Engine, Set<Promise<unknown>>>();

function track(engine: Engine, p: Promise<unknown>): void {
  const set = loading.get(engine) ?? new Set();
  loading.set(engine, set);
  set.add(p);
  p.catch(() => undefined).finally(() => set.delete(p));
}

/**
 * `'unavailable'` for options the engine cannot serve; `'available'` when its model is
 * loaded or fully cached, or when it has no model edgewise downloads (a remote endpoint,
 * the browser's built-in model or an app's own backend); `'downloading'` while a
 * create() is loading it; else `'downloadable'`.
 */
export async function availabilityOf(engine: Engine, face: LanguageModelFaceOptions, options: LanguageModelCreateCoreOptions): Promise<Availability> {
  checkCoreOptions(options);
  if (unsupportedReason(options, face.languages ?? DEFAULT_LANGUAGES) !== undefined) return 'unavailable';
  if (!engine.model) return 'available';
  if ((loading.get(engine)?.size ?? 0) > 0) return 'downloading';
  try {
    if ((await engine.info()).model) return 'available';
    return (await engine.cache.has()) ? 'available' : 'downloadable';
  } catch (e) {
    throw toDomError(e);
  }
}

/** Checks the options, loads the model with progress, and measures the initial prompts. */
export async function createState(engine: Engine, face: LanguageModelFaceOptions, options: LanguageModelCreateOptions): Promise<SessionState> {
  const { signal } = options;
  if (signal?.aborted) throw abortReason(signal);
  const sampling = checkCoreOptions(options);
  if (options.monitor !== undefined && typeof options.monitor !== 'function') throw new TypeError('monitor is a function.');
  const history = { initial: options.initialPrompts === undefined ? [] : canonicalize(options.initialPrompts, false), turns: [] };
  const why = unsupportedReason(options, face.languages ?? DEFAULT_LANGUAGES);
  // index.bs "initialize the language model": unavailable options are a NotSupportedError.
  if (why !== undefined) throw domError('NotSupportedError', why);
  const monitor = startMonitor(options.monitor);
  try {
    const load = engine.load({ onProgress: monitor.onProgress, ...(signal ? { signal } : {}) });
    track(engine, load);
    await raceAbort(load, signal);
    monitor.done();
    const window = (await engine.info()).model?.contextLength ?? Infinity;
    const tools = [...(options.tools ?? [])];
    const usage = await measure(engine, history.initial, toolDefinitions(tools));
    if (signal?.aborted) throw abortReason(signal);
    // index.bs: initial prompts that fill the whole context are a QuotaExceededError.
    if (usage >= window) throw quotaError(usage, window, `The initial prompts take ${usage} tokens, more than the context window of ${window}.`);
    return { engine, face, history, sampling, tools, window, usage, ...(signal ? { signal } : {}) };
  } catch (e) {
    monitor.stop();
    throw toDomError(e, signal);
  }
}

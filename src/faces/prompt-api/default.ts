/**
 * The ready-made `LanguageModel`, on an engine made on first use (from
 * `configureLanguageModel()` when the app called it, else the catalog's default model
 * from the hub), and `install()`, which puts it on `globalThis` where the browser has none.
 */
import { createEngine, type Engine, type EngineOptions } from '../../index.js';
import { bindLanguageModel, type LanguageModelClass } from './bind.js';
import type { LanguageModelFaceOptions } from './types.js';

/** The catalog's default chat model (README, "Choosing a model"). */
const DEFAULT_OPTIONS: EngineOptions = { model: { id: 'SmolLM2-135M-Instruct' } };

let source: Engine | EngineOptions | undefined;
let face: LanguageModelFaceOptions = {};
let engine: Engine | undefined;

const isEngine = (v: Engine | EngineOptions): v is Engine => typeof (v as Partial<Engine>).generate === 'function';

function defaultEngine(): Engine {
  if (!engine) engine = source && isEngine(source) ? source : createEngine(source ?? DEFAULT_OPTIONS);
  return engine;
}

/**
 * Sets the engine (or the options to make it from) behind `LanguageModel`. Sessions
 * created before keep their engine; the previous default engine is not disposed.
 * @example configureLanguageModel({ model: { id: 'SmolLM2-360M-Instruct' }, remote: { baseURL: '/llm/v1', model: 'small' } });
 */
export function configureLanguageModel(engineOrOptions: Engine | EngineOptions, options: LanguageModelFaceOptions = {}): void {
  if (typeof engineOrOptions !== 'object' || engineOrOptions === null) throw new TypeError('configureLanguageModel() takes an engine or engine options.');
  source = engineOrOptions;
  face = options;
  engine = undefined;
}

/**
 * The Prompt API's `LanguageModel` on the default engine, on any browser and in workers.
 * @example
 * const session = await LanguageModel.create({ monitor: (m) => m.addEventListener('downloadprogress', (e) => bar.value = e.loaded) });
 * for await (const chunk of session.promptStreaming('Write a haiku.')) out.textContent += chunk;
 */
export const LanguageModel: LanguageModelClass = bindLanguageModel(defaultEngine, () => face);

/**
 * Puts `LanguageModel` on `globalThis` where there is none (never over the browser's own
 * unless `force`); true when it did.
 * @example install(); const session = await globalThis.LanguageModel.create();
 */
export function install(options: { force?: boolean } = {}): boolean {
  const g = globalThis as { LanguageModel?: unknown };
  if (g.LanguageModel !== undefined && options.force !== true) return false;
  // Writable and configurable like a WebIDL interface object, so the page can still replace it.
  Object.defineProperty(globalThis, 'LanguageModel', { value: LanguageModel, writable: true, configurable: true, enumerable: false });
  return true;
}

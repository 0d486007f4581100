/**
 * `createLanguageModel(engine)`: the Prompt API's `LanguageModel` class bound to an engine.
 * Its statics are `availability`, `create` and `params`; its instances are sessions.
 */
import type { Engine } from '../../index.js';
import { availabilityOf, createState } from './create.js';
import { PARAMS } from './options.js';
import { CONSTRUCT, LanguageModelSession } from './session.js';
import type { Availability, LanguageModelCreateCoreOptions, LanguageModelCreateOptions, LanguageModelFaceOptions, LanguageModelParams } from './types.js';

/** The bound class: `LanguageModel.create()` resolves to an instance of it. */
export interface LanguageModelClass {
  new (token: never, state: never): LanguageModelSession;
  readonly prototype: LanguageModelSession;
  availability(options?: LanguageModelCreateCoreOptions): Promise<Availability>;
  create(options?: LanguageModelCreateOptions): Promise<LanguageModelSession>;
  /** Defaults and limits of `temperature` and `topK` (extension contexts only in Chrome; here everywhere). */
  params(): Promise<LanguageModelParams | null>;
}

/** The engine and face options are read on each call, so the default class can bind lazily. */
export function bindLanguageModel(engine: () => Engine, face: () => LanguageModelFaceOptions): LanguageModelClass {
  // Named as the spec names the interface, so `String(session.constructor)` reads as Chrome's.
  class LanguageModel extends LanguageModelSession {
    static availability(options: LanguageModelCreateCoreOptions = {}): Promise<Availability> {
      return Promise.resolve().then(() => availabilityOf(engine(), face(), options));
    }

    static async create(options: LanguageModelCreateOptions = {}): Promise<LanguageModelSession> {
      return new LanguageModel(CONSTRUCT, await createState(engine(), face(), options));
    }

    static params(): Promise<LanguageModelParams | null> {
      return Promise.resolve({ ...PARAMS });
    }
  }
  return LanguageModel as unknown as LanguageModelClass;
}

/**
 * The Prompt API's `LanguageModel` over `engine`: code written for Chrome's built-in model
 * runs on every browser and in workers.
 * @example
 * const LanguageModel = createLanguageModel(createEngine({ model: { id: 'SmolLM2-135M-Instruct' } }));
 * const session = await LanguageModel.create({ initialPrompts: [{ role: 'system', content: 'Be brief.' }] });
 * console.log(await session.prompt('Name a colour.'));
 */
export function createLanguageModel(engine: Engine, options: LanguageModelFaceOptions = {}): LanguageModelClass {
  if (typeof engine?.generate !== 'function' || typeof engine.countTokens !== 'function') throw new TypeError('createLanguageModel() takes an engine from createEngine().');
  return bindLanguageModel(() => engine, () => options);
}

/**
 * `createEdgewise()`: an engine as an AI SDK provider. Model ids name what the engine
 * holds; every id gives a model over the same engine, so routing and failover stay the
 * engine's, and `providerMetadata.edgewise` says where each call ran.
 */
import { NoSuchModelError, type ProviderV4 } from '@ai-sdk/provider';
import { createEngine, type Engine, type EngineOptions, type LocalModelSpec } from '../../index.js';
import { EdgewiseEmbeddingModel } from './embedding-model.js';
import { EdgewiseLanguageModel } from './language-model.js';

/** An engine you made (you dispose it), or the options to make one (dispose it through `provider.engine`). */
export type EdgewiseProviderSettings = { engine: Engine } | EngineOptions;

export interface EdgewiseProvider extends ProviderV4 {
  /** Same as {@link EdgewiseProvider.languageModel}. */
  (modelId?: string): EdgewiseLanguageModel;
  /**
   * The engine as a language model. `modelId`: omitted or `'default'`, or an id the engine
   * holds (a local model's id; with engine options, also `remote.model`). It labels the
   * model (`modelId`); where each call runs is still the engine's policy.
   * @throws NoSuchModelError for an id the engine does not hold.
   */
  languageModel(modelId?: string): EdgewiseLanguageModel;
  /**
   * The engine's embeddings. `modelId`: omitted or `'default'`, or (with engine options)
   * `embeddingModel.id`, `remote.embeddingModel` or `remote.model`.
   * @throws NoSuchModelError for an id the engine does not hold.
   */
  embeddingModel(modelId?: string): EdgewiseEmbeddingModel;
  /** @throws NoSuchModelError: edgewise makes no images. */
  imageModel(modelId: string): never;
  /** The engine behind every model: `await provider.engine.dispose()` when done with one you did not make. */
  readonly engine: Engine;
}

const idOf = (spec: LocalModelSpec | EngineOptions['embeddingModel']): string | undefined => (spec !== undefined && 'id' in spec ? spec.id : undefined);

/** The ids each kind of model answers to, the first being what an omitted id means. */
function knownIds(settings: EdgewiseProviderSettings, engine: Engine): { language: string[]; embedding: string[]; remoteModel: string | undefined } {
  const local = engine.model?.id;
  if ('engine' in settings) return { language: local === undefined ? [] : [local], embedding: [], remoteModel: undefined };
  const specs = settings.model === undefined ? [] : Array.isArray(settings.model) ? settings.model : [settings.model];
  const remote = settings.remote;
  const language = [local, ...specs.map(idOf), remote?.model];
  const embedding = [idOf(settings.embeddingModel), remote?.embeddingModel, remote?.model];
  const present = (ids: (string | undefined)[]): string[] => [...new Set(ids.filter((id): id is string => id !== undefined))];
  return { language: present(language), embedding: present(embedding), remoteModel: remote?.model };
}

function pick(ids: readonly string[], asked: string | undefined, modelType: 'languageModel' | 'embeddingModel', fallback: string): string {
  if (asked === undefined || asked === 'default') return ids[0] ?? fallback;
  if (ids.includes(asked)) return asked;
  throw new NoSuchModelError({
    modelId: asked,
    modelType,
    message: `This edgewise engine has no ${modelType === 'languageModel' ? 'language' : 'embedding'} model '${asked}'; it has ${ids.length === 0 ? 'only the default' : ids.map((i) => `'${i}'`).join(', ')} (or omit the id).`,
  });
}

/**
 * @example
 * const ew = createEdgewise({ model: { id: 'SmolLM2-360M-Instruct' }, remote: { baseURL, model: 'gpt-small', token } });
 * const { text } = await generateText({ model: ew(), prompt: 'Hi' });
 * await ew.engine.dispose();
 */
export function createEdgewise(settings: EdgewiseProviderSettings): EdgewiseProvider {
  const engine = 'engine' in settings ? settings.engine : createEngine(settings);
  const specificationVersion: 'v4' = 'v4';
  const languageModel = (modelId?: string): EdgewiseLanguageModel => {
    const ids = knownIds(settings, engine);
    return new EdgewiseLanguageModel({ engine, modelId: pick(ids.language, modelId, 'languageModel', 'edgewise'), remoteModel: ids.remoteModel });
  };
  const embeddingModel = (modelId?: string): EdgewiseEmbeddingModel => new EdgewiseEmbeddingModel(engine, pick(knownIds(settings, engine).embedding, modelId, 'embeddingModel', 'edgewise-embedding'));
  const imageModel = (modelId: string): never => {
    throw new NoSuchModelError({ modelId, modelType: 'imageModel', message: 'edgewise has no image models.' });
  };
  return Object.assign((modelId?: string) => languageModel(modelId), { specificationVersion, languageModel, embeddingModel, imageModel, engine });
}

/**
 * Compile-only tests of the AI SDK face (`edgewise/ai-sdk`, built from src/ai-sdk.ts):
 * the provider and its models satisfy the AI SDK's V4 specifications as they are, with no
 * cast anywhere. `npm run typecheck` fails if that stops holding. Nothing here runs.
 */
import type { EmbeddingModelV4, EmbeddingModelV4Result, LanguageModelV4, LanguageModelV4GenerateResult, ProviderV4 } from '@ai-sdk/provider';
import { createEngine, type Engine } from '../../src/index.js';
import { createEdgewise, type EdgewiseCallOptions, type EdgewiseProvider } from '../../src/ai-sdk.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const expectType = <T extends true>(_: T): void => undefined;

export async function aiSdkFace(): Promise<void> {
  const engine = createEngine({ model: { id: 'x', url: '/m/', dtype: 'q4' } });
  const ew = createEdgewise({ engine });

  const provider: ProviderV4 = ew;
  const called: LanguageModelV4 = ew();
  const named: LanguageModelV4 = ew.languageModel('x');
  const fromProvider: LanguageModelV4 = provider.languageModel('x');
  const embedder: EmbeddingModelV4 = ew.embeddingModel();
  const generated: LanguageModelV4GenerateResult = await named.doGenerate({ prompt: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] });
  const embedded: EmbeddingModelV4Result = await embedder.doEmbed({ values: ['a'] });
  void [called, fromProvider, generated, embedded];

  expectType<Equal<typeof ew.engine, Engine>>(true);
  expectType<Equal<Parameters<EdgewiseProvider['languageModel']>[0], string | undefined>>(true);
  expectType<Equal<ReturnType<EdgewiseProvider['imageModel']>, never>>(true);
  expectType<Equal<EdgewiseCallOptions['policy'], 'local-only' | 'prefer-local' | 'prefer-remote' | 'remote-only' | undefined>>(true);

  // Engine options make an engine the provider owns (dispose it through `provider.engine`).
  const owned = createEdgewise({ remote: { baseURL: 'https://x/v1', model: 'm', token: async () => 't' }, policy: 'remote-only' });
  await owned.engine.dispose();
  // @ts-expect-error: the engine behind a provider is fixed
  ew.engine = engine;
  // @ts-expect-error: the options are checked like createEngine's
  createEdgewise({ policy: 'sometimes' });
  // @ts-expect-error: a V4 provider; a model id is a string
  ew.languageModel(3);
}

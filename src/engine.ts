/**
 * The engine apps hold: a thin face over its parts (`engine-setup.ts` composes them). The
 * router, the runner and the embedding code are lazy chunks, so the page pays for them on
 * its first request, not on load; validation runs on the calling thread, at once.
 */
import type { BackendV3 } from './backends/backend.js';
import { now } from './clock.js';
import type { EngineOptions } from './config-types.js';
import type { Engine, EngineInfo } from './engine-api.js';
import { createEngineCache } from './engine-cache.js';
import { loadFirst } from './engine-load.js';
import { assemble } from './engine-setup.js';
import { checkLoadOptions, checkUnloadTarget } from './options.js';
import { requestPersistenceOnce } from './store/persist.js';
import type { GenerateRequest, ModelInfo, ObjectRequest, Part } from './types.js';
import { checkRequest } from './validate.js';
import { disposedError } from './worker/handle.js';

export type { Engine, EngineInfo } from './engine-api.js';

const locals = (list: readonly BackendV3[]): BackendV3[] => list.filter((b) => b.location === 'local');

/**
 * @example
 * const engine = createEngine({
 *   model: { id: 'stories260K', url: '/models/stories260K-onnx/', dtype: 'q4' },
 *   remote: { baseURL: 'https://llm.example.com/v1', model: 'small', token: getShortLivedToken },
 * });
 * for await (const part of engine.generate({ prompt: 'Once upon a time', maxTokens: 64 })) {
 *   if (part.type === 'text') console.log(part.text);
 *   else if (part.type === 'finish') console.log(part.ranOn, part.route.reason);
 * }
 */
export function createEngine(options: EngineOptions): Engine {
  const { ctx, generation, embedding, stored, handle, remote, caching } = assemble(options);
  let disposed = false;
  const live = (): void => { if (disposed) throw disposedError(); };
  // Only pages have persist(); the worker that stores the weights cannot ask.
  const persist = (): void => { if (caching && stored.length > 0) void requestPersistenceOnce(); };
  const model = stored.find((s) => s.role === 'generate')?.model;
  const embeddingKit = (): Promise<typeof import('./embed/index.js')> => import('./embed/index.js');

  function run(request: GenerateRequest, stream: boolean): AsyncGenerator<Part> {
    const checked = checkRequest(request, now());
    return (async function* go(): AsyncGenerator<Part> {
      live();
      persist();
      const { runGenerate } = await import('./run/generate.js');
      yield* runGenerate(ctx, generation, checked, request, stream);
    })();
  }

  const text = async (request: GenerateRequest): Promise<string> => {
    let out = '';
    for await (const p of run(request, false)) if (p.type === 'text') out += p.text;
    return out;
  };

  const engine: Engine = {
    model,
    async load(lo) {
      const checked = checkLoadOptions(lo);
      live();
      persist();
      // One model after the other: progress events name the model they are about.
      const info = await loadFirst(ctx, locals(generation), checked);
      const embedInfo: ModelInfo | undefined = await locals(embedding)[0]?.load(checked);
      return info ?? embedInfo ?? { ranOn: 'remote' };
    },
    generate: (request) => run(request, true),
    async *answer(request) { yield* (await import('./run/answer.js')).answer(request, (r) => run(r, true)); },
    text,
    countTokens: async (request) => (await import('./run/count.js')).countTokens(generation, checkRequest(request, 0), live),
    async object<T>(request: ObjectRequest): Promise<T> {
      const { schema, name, ...rest } = request ?? ({} as ObjectRequest);
      const format = name === undefined ? { type: 'json_schema' as const, schema } : { type: 'json_schema' as const, schema, name };
      // The runner has validated the text against the schema; parsing it cannot fail here.
      return JSON.parse(await text({ ...rest, responseFormat: format } as GenerateRequest)) as T;
    },
    // The OpenAI mapping is a lazy chunk too: apps that use generate() never download it.
    chat: { completions: { create: (async (params) => (await import('./openai.js')).chatCompletion(params, run, model?.id ?? remote?.model ?? 'edgewise')) as Engine['chat']['completions']['create'] } },
    async embed(texts, options) {
      const kit = await embeddingKit();
      const checked = kit.checkEmbed(texts, options);
      live();
      persist();
      return kit.runEmbed(ctx, embedding, checked);
    },
    embeddings: { create: async (params) => (await embeddingKit()).createEmbedding(engine.embed, params, stored.find((s) => s.role === 'embed')?.model.id ?? remote?.model ?? 'edgewise') },
    cache: createEngineCache({ handle, disposed: () => disposed, models: stored.map((s) => s.model) }),
    capabilities: () => ctx.capabilities(),
    stats: () => ctx.stats.snapshot(),
    async info() {
      live();
      const running = handle?.running();
      const worker = running ? await running.guard(running.api.info()) : undefined;
      const out: EngineInfo = { liveGpuTensors: worker?.liveGpuTensors ?? 0 };
      const loaded = locals(generation).find((b) => b.state.info)?.state.info;
      if (loaded) out.model = loaded;
      const embedder = locals(embedding)[0]?.state.info;
      if (embedder) out.embeddingModel = embedder;
      if (remote) out.remote = remote;
      if (handle) out.host = handle.host;
      return out;
    },
    async unload(which) {
      checkUnloadTarget(which);
      live();
      const targets = [...(which === 'embeddingModel' ? [] : locals(generation)), ...(which === 'model' ? [] : locals(embedding))];
      await Promise.all(targets.map((b) => b.unload()));
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await handle?.dispose();
    },
  };
  return engine;
}

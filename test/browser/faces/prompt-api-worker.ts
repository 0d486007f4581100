/**
 * A dedicated module Worker that uses the Prompt-API face as a page would (Chrome exposes
 * its own `LanguageModel` to windows only): install(), create() with a monitor, prompt(),
 * promptStreaming(), and a schema constraint. It posts what it saw to the page.
 */
import { FIXTURE_URL } from '../helpers.js';
import { configureLanguageModel, install, type LanguageModelClass } from '/dist/edgewise.prompt-api.js';

async function run(): Promise<Record<string, unknown>> {
  const hadOne = 'LanguageModel' in globalThis;
  configureLanguageModel({ model: { id: 'tiny-llama-prompt-api-worker', url: FIXTURE_URL, dtype: 'q4' }, cache: false }, { maxTokens: 12 });
  const installed = install();
  const LM = (globalThis as unknown as { LanguageModel: LanguageModelClass }).LanguageModel;
  const progress: number[] = [];
  const session = await LM.create({ samplingMode: 'most-predictable', monitor: (m) => m.addEventListener('downloadprogress', (e) => progress.push((e as ProgressEvent).loaded)) });
  const answer = await session.prompt('Hello from a worker');
  const usage = session.contextUsage;
  const chunks: string[] = [];
  for await (const c of session.promptStreaming('And again') as unknown as AsyncIterable<string>) chunks.push(c);
  const json = await session.prompt('Rate it', { responseConstraint: { type: 'object', properties: { n: { type: 'integer', minimum: 1, maximum: 9 } }, required: ['n'], additionalProperties: false } });
  return { isWorker: typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope === 'function' && !('document' in globalThis), hadOne, installed, progress, answer, usage, chunks, json, after: session.contextUsage, window: session.contextWindow };
}

run().then(
  (r) => postMessage({ ok: true, ...r }),
  (e: unknown) => postMessage({ ok: false, error: `${(e as Error)?.name}: ${(e as Error)?.message ?? String(e)}` }),
);

/**
 * An app's own backend as one of the engine's candidates (`{ engine: 'custom', backend }`),
 * through the built package: it is routed, validated, warned about and reported like the
 * built-in kinds; a backend of another contract version is refused at createEngine. The
 * backend here is the project's RECORDING FAKE (test/fakes/recording-backend.ts).
 */
import { createEngine, isEdgewiseError, type Part } from '/dist/edgewise.js';
import { createRecordingBackend } from '../../fakes/recording-backend.js';
import { remoteReset, testRemote } from '../edge-cloud/remote-helpers.js';
import { assert, assertEqual } from '../helpers.js';

async function run(engine: ReturnType<typeof createEngine>, request: Parameters<ReturnType<typeof createEngine>['generate']>[0]): Promise<Part[]> {
  const out: Part[] = [];
  for await (const p of engine.generate(request)) out.push(p);
  return out;
}

describe('engines: a custom backend', function () {
  this.timeout(60_000);

  it('serves as a local candidate: ranOn, warnings for settings it does not declare, stats, and info() of a custom embedding model', async () => {
    const backend = createRecordingBackend({ id: 'my-llm', ranOn: 'custom', chunks: ['Hi', ' there'], capabilities: { sampling: ['temperature'], responseFormats: [], tools: false } });
    const embedder = createRecordingBackend({ id: 'my-embedder', ranOn: 'custom', embeds: true });
    const engine = createEngine({ model: { engine: 'custom', backend }, embeddingModel: { engine: 'custom', backend: embedder } });
    try {
      const parts = await run(engine, { prompt: 'Hello', topK: 3 });
      const finish = parts.at(-1);
      assert(finish?.type === 'finish', 'a finish');
      assertEqual([finish.ranOn, finish.route.reason, finish.warnings?.map((w) => w.setting)], ['custom', 'local_only', ['topK']], 'routed and warned');
      assertEqual(parts.filter((p) => p.type === 'text').map((p) => p.type === 'text' && p.text).join(''), 'Hi there', 'its text');
      const vectors = await engine.embed(['a b', 'c']);
      assertEqual([vectors.ranOn, Array.from(vectors[0] ?? [])], ['custom', [3, 1]], 'its vectors');
      const info = await engine.info();
      assertEqual(info.embeddingModel?.ranOn, 'custom', 'info() reports the embedding model the backend loaded, not a hard-coded onnx');
      assertEqual(engine.stats().byRoute.custom?.requests, 2, 'stats per place');
    } finally {
      await engine.dispose();
    }
  });

  it('fails over to the remote before its first output, and is skipped for a format it does not declare', async () => {
    await remoteReset();
    const failing = createRecordingBackend({ id: 'my-llm', ranOn: 'custom', failBeforeFirst: 'runtime_error' });
    const engine = createEngine({ model: { engine: 'custom', backend: failing }, ...testRemote() });
    try {
      const f = (await run(engine, { prompt: 'Hello' })).at(-1);
      assert(f?.type === 'finish', 'a finish');
      assertEqual([f.ranOn, f.route.reason, f.route.failover?.from], ['remote', 'local_failed', 'custom'], 'failover');
      const g = (await run(engine, { prompt: 'A date', responseFormat: { type: 'json_object' } })).at(-1);
      assert(g?.type === 'finish', 'a finish');
      assertEqual([g.ranOn, g.route.skipped?.[0]?.reason], ['remote', 'unsupported_request'], 'skipped for json_object, with the reason');
    } finally {
      await engine.dispose();
    }
  });

  it('a backend of another contract version, or missing a member, is refused at createEngine with invalid_model_spec', () => {
    const v2 = { ...createRecordingBackend(), specificationVersion: 'v2' };
    for (const backend of [v2, { specificationVersion: 'v3' }, undefined]) {
      let code = 'no error';
      try {
        createEngine({ model: { engine: 'custom', backend: backend as never } });
      } catch (e) {
        code = isEdgewiseError(e) ? e.code : `untyped ${String(e)}`;
      }
      assertEqual(code, 'invalid_model_spec', `refused: ${JSON.stringify(backend)?.slice(0, 60)}`);
    }
  });
});

/**
 * edgewise/prompt-api in a dedicated module Worker (prompt-api-worker.ts), where
 * Chrome's own Prompt API is not exposed: install(), create() with download progress,
 * prompt(), promptStreaming() and a JSON Schema constraint, on the generated fixture.
 */
import { assert, assertEqual } from '../helpers.js';

describe('prompt-api: in a dedicated Worker', function () {
  this.timeout(120_000);

  it('installs LanguageModel in the worker and runs a session there', async () => {
    const worker = new Worker(new URL('./prompt-api-worker.ts', import.meta.url), { type: 'module' });
    try {
      const r = await new Promise<Record<string, unknown>>((resolve, reject) => {
        worker.onmessage = (e: MessageEvent<Record<string, unknown>>) => resolve(e.data);
        worker.onerror = (e) => reject(new Error(`worker error: ${e.message}`));
      });
      assert(r['ok'] === true, `the worker finished: ${String(r['error'])}`);
      assertEqual([r['isWorker'], r['hadOne'], r['installed']], [true, false, true], 'a worker scope without a LanguageModel, which install() filled');
      const progress = r['progress'] as number[];
      assertEqual([progress[0], progress.at(-1)], [0, 1], 'downloadprogress from 0 to 1 in the worker');
      assert(typeof r['answer'] === 'string' && (r['usage'] as number) > 0, `prompt() answered: ${String(r['answer'])}`);
      assert((r['chunks'] as string[]).length > 0, 'promptStreaming() streamed');
      const json = JSON.parse(r['json'] as string) as { n: number };
      assert(Number.isInteger(json.n) && json.n >= 1 && json.n <= 9, `the constrained answer validates: ${String(r['json'])}`);
      assert((r['after'] as number) > (r['usage'] as number) && (r['window'] as number) === 256, 'the history grew within the fixture\'s window');
    } finally {
      worker.terminate();
    }
  });
});

/**
 * Acceptance (issue 9.4): the core never loads a runtime until a backend needs it. A
 * remote-only page answers a request; the resources it fetched (Resource Timing) include
 * neither the worker bundle nor anything the worker imports (onnxruntime-web, web-llm),
 * and no runtime `.wasm`.
 */
import { createEngine } from '/dist/edgewise.js';
import { assert, assertEqual } from '../helpers.js';
import { remoteReset, testRemote } from '../edge-cloud/remote-helpers.js';

describe('engines: runtimes stay lazy', () => {
  it('a remote-only page loads no onnxruntime-web, no web-llm and no worker', async () => {
    await remoteReset();
    const engine = createEngine({ ...testRemote(), policy: 'remote-only' });
    try {
      assertEqual((await engine.text({ prompt: 'Hi there' })).startsWith('Echo: '), true, 'the remote answered');
    } finally {
      await engine.dispose();
    }
    const fetched = performance.getEntriesByType('resource').map((e) => e.name);
    // What the worker bundle imports: its runtime chunks (ORT's glue, web-llm).
    const workerSource = await (await fetch('/dist/edgewise.worker.js')).text();
    const workerChunks = [...workerSource.matchAll(/chunks\/[\w.-]+\.js/g)].map((m) => m[0]);
    assert(workerChunks.length >= 3, `the worker imports its runtimes lazily (${workerChunks.join(', ')})`);
    const runtime = fetched.filter((url) => /edgewise\.worker|ort[.-]|\.wasm|web-llm/.test(url) || workerChunks.some((c) => url.endsWith(c)));
    assertEqual(runtime, [], 'no runtime bytes on a remote-only page');
    assert(fetched.some((url) => url.includes('/dist/chunks/')), 'the lazy remote chunks did load (the test observes real fetches)');
  });
});

// A test-runner command for the shared model host (`share`): lists the SDK's workers as
// the browser sees them (shared and dedicated, with their JS heaps after a forced garbage
// collection, and their WebAssembly memory once hooked), and closes a shared worker's
// target through the DevTools protocol, as a browser does when it kills one (a page
// cannot terminate a SharedWorker).
import { WASM_MEMORY_HOOK } from '../bench/wasm-memory-hook.mjs';

const isSdk = (t) => t.url().includes('edgewise.worker');

async function heapOf(worker) {
  await worker.client.send('HeapProfiler.collectGarbage');
  await worker.client.send('HeapProfiler.collectGarbage');
  return (await worker.client.send('Runtime.getHeapUsage')).usedSize;
}

/** Bytes of the WebAssembly memories the worker made since `hook` (the runtime's heap: weights, KV cache), which the JS heap does not count. */
async function wasmOf(worker) {
  const expression = '(globalThis.__benchWasmMemories ?? []).reduce((n, r) => n + (r.deref()?.buffer.byteLength ?? 0), 0)';
  return (await worker.client.send('Runtime.evaluate', { expression, returnByValue: true })).result.value;
}

export function sharedWorkerCommand() {
  return {
    name: 'shared-worker-command',
    async executeCommand({ command, payload, session }) {
      if (command !== 'sdk-workers') return undefined;
      const page = session.browser.getPage(session.id);
      const shared = page.browser().targets().filter((t) => isSdk(t) && t.type() === 'shared_worker');
      if (payload?.hook) {
        // Before the runtime starts: the worker is up (a cache call started it), no model yet.
        for (const t of shared) await (await t.worker())?.client.send('Runtime.evaluate', { expression: WASM_MEMORY_HOOK });
        return { hooked: shared.length };
      }
      if (payload?.kill) {
        for (const t of shared) await (await t.worker())?.close();
        return { killed: shared.length };
      }
      // Dedicated workers are listed by their page (this one, or a tab it opened).
      const own = (await page.browser().pages()).flatMap((p) => p.workers()).filter(isSdk);
      const all = [...await Promise.all(shared.map(async (t) => ({ type: 'shared_worker', w: await t.worker() }))), ...own.map((w) => ({ type: 'worker', w }))];
      const out = [];
      for (const { type, w } of all) out.push({ type, url: w?.url(), ...(payload?.heap && w ? { heap: await heapOf(w), wasm: await wasmOf(w) } : {}) });
      return { workers: out };
    },
  };
}

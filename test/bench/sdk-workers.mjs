// The SDK's inference workers of a page, for the benches' DevTools memory probes. The decoder
// kernel's helper threads run the same edgewise.worker.js (under the name
// 'edgewise-kernel-thread') and, like onnxruntime's thread workers, sit in Atomics.wait and
// never answer the protocol: a worker is asked its name once (2 s at most; silence means a
// helper) and only 'edgewise-inference' workers are returned. The kernel's memory belongs to
// the SDK worker, so nothing is missed.
const names = new WeakMap();

function nameOf(worker) {
  if (!names.has(worker)) {
    names.set(worker, Promise.race([
      worker.evaluate(() => self.name).catch(() => 'gone'),
      new Promise((ok) => setTimeout(() => ok('silent'), 2_000)),
    ]));
  }
  return names.get(worker);
}

export async function sdkWorkers(page) {
  const out = [];
  for (const w of page.workers().filter((x) => x.url().includes('edgewise.worker'))) if ((await nameOf(w)) === 'edgewise-inference') out.push(w);
  return out;
}

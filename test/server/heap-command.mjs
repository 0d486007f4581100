// A test-runner command that measures JS heaps through the DevTools protocol: the page's
// and each SDK worker's (the page's own and the origin's shared one), after a forced garbage collection. `performance.memory` is too
// coarse for this (bucketed) and does not exist in workers.
export function heapCommand() {
  const sessions = new WeakMap();
  async function measure(client) {
    await client.send('HeapProfiler.collectGarbage');
    await client.send('HeapProfiler.collectGarbage');
    const { usedSize } = await client.send('Runtime.getHeapUsage');
    return usedSize;
  }
  return {
    name: 'heap-command',
    async executeCommand({ command, session }) {
      if (command !== 'heap') return undefined;
      const page = session.browser.getPage(session.id);
      let client = sessions.get(page);
      if (!client) sessions.set(page, (client = await page.createCDPSession()));
      const workers = page.workers().filter((w) => w.url().includes('edgewise.worker'));
      // The origin's shared model host is no worker of the page's, but serves it.
      const shared = page.browser().targets().filter((t) => t.type() === 'shared_worker' && t.url().includes('edgewise.worker'));
      for (const t of shared) workers.push(await t.worker());
      return { page: await measure(client), workers: await Promise.all(workers.filter(Boolean).map((w) => measure(w.client))) };
    },
  };
}

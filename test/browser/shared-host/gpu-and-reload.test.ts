/**
 * Issue 20: the shared host keeps the dedicated worker's guarantees on GPU device loss and
 * on a tab reload. Real tabs (`window.open`), the built SDK. The device loss goes through
 * the worker's TEST-ONLY hook, reached over a probe connection this page opens to the same
 * SharedWorker (a page cannot reach a shared worker's module otherwise); the GPU is
 * Chromium's SwiftShader adapter (--enable-unsafe-webgpu), so the generated tiny model only.
 */
import { wrap } from 'comlink';
import { isEdgewiseError } from '/dist/edgewise.js';
import { FIXTURE_URL, assert, assertEqual } from '../helpers.js';
import { openTab, sdkWorkers, stream, until, type Tab } from './tabs.js';

const model = { id: 'shared-host-gpu', url: FIXTURE_URL, dtype: 'fp32' } as const;
const tabs: Tab[] = [];

/** The origin's shared worker, joined as a page of its own group: only its test hooks are used. */
async function probe(): Promise<{ loseDeviceForTests(): Promise<boolean> }> {
  const worker = new SharedWorker(new URL('/dist/edgewise.worker.js', location.href), { type: 'module', name: 'edgewise-inference' });
  const own = new MessageChannel();
  worker.port.postMessage(null, [own.port2]);
  const api = wrap<{ hello(lock: string, join: { group: string; tabLock: string }): Promise<void>; loseDeviceForTests(): Promise<boolean> }>(own.port1);
  void navigator.locks.request('shared-host-probe-page', () => new Promise(() => undefined));
  await api.hello('shared-host-probe', { group: 'probe', tabLock: 'shared-host-probe-page' });
  return api;
}

async function hasWebGPU(): Promise<boolean> {
  return (await (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu?.requestAdapter()) != null;
}

/** The typed error's code; 'no error' when it resolved, 'untyped: …' for anything else. */
const codeOf = async (p: Promise<unknown>): Promise<string> => p.then(() => 'no error', (e: unknown) => (isEdgewiseError(e) ? e.code : `untyped: ${String(e)}`));

describe('the shared host: GPU device loss and tab reloads', function () {
  this.timeout(300_000);
  afterEach(async () => {
    for (const t of tabs.splice(0)) t.close();
  });

  it('a tab reloaded mid-request: the other tab\'s request runs whole, and the reloaded tab works again', async () => {
    const [a, b] = [await openTab(), await openTab()];
    tabs.push(a, b);
    const options = { model, device: 'wasm', cache: false } as const;
    const ea = a.engine(options);
    const eb = b.engine(options);
    const expected = (await stream(eb, 'Once upon a time', 40)).text;
    const it = ea.generate({ prompt: 'The little dog', maxTokens: 200, temperature: 0 })[Symbol.asyncIterator]();
    await it.next();
    const pb = stream(eb, 'Once upon a time', 40);
    a.win.location.reload();
    assertEqual((await pb).text, expected, 'the other tab\'s text is whole');
    await until('the reloaded tab', () => (a.win as Window & { tab?: unknown }).tab !== undefined && a.win.document.readyState === 'complete');
    const again = (a.win as Window & { tab: { createEngine: Tab['engine'] } }).tab.createEngine(options);
    assertEqual((await stream(again, 'Once upon a time', 40)).text, expected, 'the reloaded tab generates in the shared host');
    assertEqual((await sdkWorkers()).map((w) => w.type), ['shared_worker'], 'still one shared worker');
  });

  it('the GPU device lost in the shared host: the tab that meets it continues on WASM, the other tab\'s call in flight fails typed, and its next call works on WebGPU', async function () {
    if (!(await hasWebGPU())) {
      console.warn('SKIP: this browser has no WebGPU adapter (run Chromium with --enable-unsafe-webgpu)');
      this.skip();
    }
    const [a, b] = [await openTab(), await openTab()];
    tabs.push(a, b);
    const ea = a.engine({ model, device: 'webgpu', cache: false });
    const eb = b.engine({ model, device: 'webgpu', cache: false });
    await Promise.all([ea.load(), eb.load()]);
    assertEqual((await eb.info()).host?.reason, 'WebGPU: WASM threads do not matter', 'shared: the model runs on the GPU');
    // Tab b streams: the device goes after its first token (before it, b would move to WASM itself).
    let streaming: () => void = () => undefined;
    const firstToken = new Promise<void>((r) => { streaming = r; });
    const longB = codeOf((async () => {
      for await (const p of eb.generate({ prompt: 'Hi', maxTokens: 100_000, temperature: 0 })) {
        if (p.type === 'text') streaming();
        if (p.type === 'finish') return p;
      }
      return undefined;
    })());
    await firstToken;
    assert(await (await probe()).loseDeviceForTests(), 'the device was destroyed');
    let ranOn = '';
    let failover = '';
    for await (const p of ea.generate({ prompt: 'The quick brown fox', maxTokens: 8, temperature: 0 })) {
      if (p.type === 'finish') {
        ranOn = p.ranOn;
        failover = p.route.failover?.code ?? '';
      }
    }
    assertEqual([ranOn, failover], ['wasm', 'device_lost'], 'the tab that met the lost device continued on WASM');
    // It was running on the GPU when the device went: device_lost, or the runtime's own failure
    // of the step (runtime_error), or worker_crashed when tab a's failover ended the host first.
    const code = await longB;
    assert(['device_lost', 'runtime_error', 'worker_crashed'].includes(code), `the other tab's call in flight failed typed: ${code}`);
    let ranOnB = '';
    for await (const p of eb.generate({ prompt: 'Hi', maxTokens: 3, temperature: 0 })) if (p.type === 'finish') ranOnB = p.ranOn;
    assertEqual(ranOnB, 'webgpu', 'the other tab\'s next call works, on WebGPU in a fresh host');
  });
});

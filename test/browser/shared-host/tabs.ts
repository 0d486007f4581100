/** Tabs of the test's origin (real top-level windows, `window.open`) running the built SDK, and what the browser sees of the SDK's workers. */
import { executeServerCommand } from '@web/test-runner-commands';
import type { Engine, EngineOptions } from '/dist/edgewise.js';

export interface Tab {
  win: Window;
  engine(options: EngineOptions): Engine;
  controller(): AbortController;
  close(): void;
}

export async function openTab(query = ''): Promise<Tab> {
  const win = window.open(`/test/browser/shared-host/tab.html${query}`, '_blank');
  if (!win) throw new Error('the browser refused to open a tab');
  const end = performance.now() + 30_000;
  type Loaded = Window & { tab?: { createEngine(o: EngineOptions): Engine }; AbortController: typeof AbortController };
  while (!(win as Loaded).tab) {
    if (performance.now() > end) throw new Error('the tab did not load the SDK');
    await new Promise((r) => setTimeout(r, 20));
  }
  const w = win as Loaded;
  return {
    win,
    engine: (o) => (w.tab as NonNullable<Loaded['tab']>).createEngine(o),
    // The tab's own AbortController: the SDK in that tab checks signals of its own realm.
    controller: () => new w.AbortController(),
    close: () => win.close(),
  };
}

export interface SdkWorker { type: 'shared_worker' | 'worker'; url: string; heap?: number; wasm?: number }

export const sdkWorkers = async (heap = false): Promise<SdkWorker[]> =>
  (await executeServerCommand<{ workers: SdkWorker[] }, { heap: boolean }>('sdk-workers', { heap })).workers;

/** Starts counting the shared worker's WebAssembly memory; call it before its runtime starts. */
export const hookWasmMemory = async (): Promise<number> =>
  (await executeServerCommand<{ hooked: number }, { hook: boolean }>('sdk-workers', { hook: true })).hooked;

/** Closes the shared worker's target, as the browser does when it kills one. */
export const killSharedWorker = async (): Promise<number> =>
  (await executeServerCommand<{ killed: number }, { kill: boolean }>('sdk-workers', { kill: true })).killed;

/** Streams `prompt` greedily; the text and the finish part. */
export async function stream(engine: Engine, prompt: string, maxTokens: number, signal?: AbortSignal): Promise<{ text: string; reason: string | undefined }> {
  let text = '';
  let reason: string | undefined;
  for await (const p of engine.generate({ prompt, maxTokens, temperature: 0, ...(signal ? { signal } : {}) })) {
    if (p.type === 'text') text += p.text;
    if (p.type === 'finish') reason = p.reason;
  }
  return { text, reason };
}

/** Polls `ok` every 50 ms until it holds, failing after `ms`. */
export async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const end = performance.now() + ms;
  while (!(await ok())) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

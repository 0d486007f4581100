/**
 * The shared worker's host over fake kinds (RECORDING FAKES standing for the ONNX kind,
 * injected through the registry parameter), with pages as comlink ends of real
 * MessageChannels (Node's, the same transport as a SharedWorker's ports). What a tab sees:
 * pages of one group share the model (loaded once), requests queue a turn per page, the
 * same request id in two pages is two requests (an abort reaches its own page's only), a
 * request whose model another page replaced loads it again first, and unload() from one of
 * two pages keeps the model for the other. Page departure (Web Locks) is browser-only:
 * test/browser/shared-host/.
 */
import { proxy, wrap, type Remote } from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackendPart, BackendV3 } from '../../../src/backends/backend.js';
import type { WorkerKind } from '../../../src/backends/kind.js';
import type { ResolvedWorkerModel } from '../../../src/model/spec.js';
import type { WorkerApi, WorkerConfig, WorkerGenerateRequest } from '../../../src/worker/protocol.js';
import { serveShared } from '../../../src/worker/shared-host.js';
import { createRecordingBackend, type RecordingBackend } from '../../fakes/recording-backend.js';

const made: { model: string; backend: RecordingBackend }[] = [];
const kind: WorkerKind = {
  create(model): BackendV3 {
    const backend = createRecordingBackend({ ranOn: 'wasm', chunks: Array.from({ length: 6 }, (_, i) => `${model.key}${i} `), stepMs: 20 });
    made.push({ model: model.key, backend });
    return backend;
  },
};
const model = (key: string): ResolvedWorkerModel => ({ engine: 'cpu', id: key, key, url: 'http://x/', dtype: 'q4', sha256: {} }) as unknown as ResolvedWorkerModel;
const config: WorkerConfig = { cache: false, eviction: 'none', numThreads: 1, assetsUrl: 'http://x/' };
const request = (prompt: string, requestId: number, key = 'm'): WorkerGenerateRequest => ({
  prompt, maxTokens: 6, temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1, seed: 1, stop: [], includeTokenIds: false,
  startedAt: performance.timeOrigin + performance.now(), requestId, target: { model: model(key), config },
});

const channels: MessageChannel[] = [];
let scope: { onconnect: ((e: MessageEvent) => void) | null; close(): void; closed: boolean };

/** A page: a port of the shared worker, wrapped as the page's client wraps it, joined to `group`. */
async function page(group = 'g'): Promise<Remote<WorkerApi>> {
  const channel = new MessageChannel();
  const own = new MessageChannel();
  channels.push(channel, own);
  scope.onconnect?.({ ports: [channel.port2] } as unknown as MessageEvent);
  // As shared-client.ts does: the page's own channel goes to the worker as the first message.
  channel.port1.postMessage(null, [own.port2]);
  const api = wrap<WorkerApi>(own.port1);
  await api.hello(`lock-${channels.length}`, { group, tabLock: `page-${channels.length}` });
  return api;
}

/** Long enough for messages on separate ports to land (the fake model takes 120 ms per request). */
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 20));

function fresh(): void {
  made.length = 0;
  scope = { onconnect: null, closed: false, close() { this.closed = true; } };
  serveShared({ cpu: kind }, scope);
}

/** One generate call's text, once its finish part arrived (parts travel on their own channel, as in the page). */
function run(api: Remote<WorkerApi>, r: WorkerGenerateRequest, order: string[]): Promise<string> {
  let text = '';
  return new Promise((resolve, reject) => {
    const parts = (ps: BackendPart[]): void => {
      for (const p of ps) {
        if (p.type === 'text') text += p.text;
        if (p.type === 'finish') {
          order.push(r.prompt ?? '');
          resolve(text);
        }
      }
    };
    api.generate(r, proxy(parts)).catch(reject);
  });
}

afterEach(() => {
  for (const c of channels.splice(0)) { c.port1.close(); c.port2.close(); }
});

describe('shared worker host', () => {
  it('pages of one group share one load; requests take turns by page, not by arrival', async () => {
    fresh();
    const [a, b] = [await page(), await page()];
    await a.load('generate', model('m'), { ...config, requestId: 1 });
    await b.load('generate', model('m'), { ...config, requestId: 1 });
    expect(made.map((m) => m.model)).toEqual(['m']);
    expect(made[0]!.backend.calls.filter((c) => c.method === 'load')).toHaveLength(2);

    const order: string[] = [];
    // While a1 runs, page a queues two more requests, then page b one: b's runs second, not fourth.
    const all = [run(a, request('a1', 2), order)];
    await tick();
    all.push(run(a, request('a2', 3), order), run(a, request('a3', 4), order));
    await tick();
    all.push(run(b, request('b1', 2), order));
    const texts = await Promise.all(all);
    expect(order).toEqual(['a1', 'b1', 'a2', 'a3']);
    expect(texts.every((t) => t === 'm0 m1 m2 m3 m4 m5 ')).toBe(true);
  });

  it('the same request id in two pages is two requests: an abort from one page cancels only its own', async () => {
    fresh();
    const [a, b] = [await page(), await page()];
    await a.load('generate', model('m'), { ...config, requestId: 1 });
    const order: string[] = [];
    const first = run(a, request('a', 7), order);
    await tick();
    const second = run(b, request('b', 7), order);
    await tick();
    await b.abort(7);
    const [ta, tb] = await Promise.all([first, second]);
    expect(ta).toBe('m0 m1 m2 m3 m4 m5 ');
    expect(tb).toBe('');
    expect(made[0]!.backend.calls.filter((c) => c.method === 'generate').map((c) => c.request?.prompt)).toEqual(['a']);
  });

  it("a request whose model another page's load replaced loads its own again first", async () => {
    fresh();
    const [a, b] = [await page(), await page()];
    await a.load('generate', model('m'), { ...config, requestId: 1 });
    await b.load('generate', model('other'), { ...config, requestId: 1 });
    const text = await run(a, request('a', 2, 'm'), []);
    expect(text).toBe('m0 m1 m2 m3 m4 m5 ');
    expect(made.map((m) => m.model)).toEqual(['m', 'other', 'm']);
  });

  it('unload() from one of two pages keeps the model for the other; groups are apart', async () => {
    fresh();
    const [a, b, c] = [await page(), await page(), await page('other group')];
    await a.load('generate', model('m'), { ...config, requestId: 1 });
    await c.load('generate', model('m'), { ...config, requestId: 1 });
    expect(made).toHaveLength(2);
    await b.unload();
    expect(made[0]!.backend.calls.map((x) => x.method)).toEqual(['load']);
    expect(await run(a, request('a', 2), [])).toBe('m0 m1 m2 m3 m4 m5 ');
    await c.unload();
    expect(made[1]!.backend.calls.map((x) => x.method)).toEqual(['load', 'unload']);
    expect(scope.closed).toBe(false);
  });
});

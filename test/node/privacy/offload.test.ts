/**
 * Issue 16: where detection runs. Small inputs and Node stay on the calling thread; large
 * inputs go to the worker (here a recording fake of the handle that runs the worker's own
 * detection code on a structured clone of the request, as the boundary would); a dead
 * worker falls back to the page's detectors, never to no redaction; the model tier never
 * falls back.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorkerConfig } from '../../../src/backends/kind.js';
import type { RedactOptions } from '../../../src/config-types.js';
import { EdgewiseError, isEdgewiseError } from '../../../src/errors.js';
import { localFinder } from '../../../src/privacy/finder.js';
import { offloadFinder, WORKER_MIN_CHARS } from '../../../src/privacy/offload.js';
import type { PackedSpans } from '../../../src/privacy/worker-spans.js';
import type { WorkerHandle } from '../../../src/worker/handle.js';
import type { WorkerFindRequest } from '../../../src/worker/protocol.js';
import { findInWorker } from '../../../src/worker/redact-host.js';

const CONFIG: WorkerConfig = { cache: false, eviction: 'none', numThreads: 1, assetsUrl: 'http://localhost/', device: 'wasm', wasmWeights: 'auto' };

type Behaviour = 'run' | 'crash' | 'hang';

/** A fake handle: records each request and runs, crashes or hangs as told. */
function fakeHandle(behaviour: Behaviour, running = false) {
  const requests: WorkerFindRequest[] = [];
  const handle = {
    running: () => (running ? {} : undefined),
    request<T>(op: (c: unknown, id: number) => Promise<T>): Promise<T> {
      const api = {
        findSpans(r: WorkerFindRequest): Promise<PackedSpans> {
          const cloned = structuredClone(r);
          requests.push(cloned);
          if (behaviour === 'crash') return Promise.reject(new EdgewiseError('worker_crashed', 'The inference worker stopped.'));
          if (behaviour === 'hang') return new Promise<PackedSpans>(() => undefined);
          return findInWorker(cloned, new AbortController().signal);
        },
      };
      return op({ api }, 1);
    },
  };
  return { handle: () => handle as unknown as WorkerHandle, requests };
}

const phones = (chars: number): string => {
  let out = '';
  for (let i = 0; out.length < chars; i++) out += `Row ${i}: call +44 20 7946 0${String(i % 1000).padStart(3, '0')} today.\n`;
  return out;
};

describe('offloadFinder', () => {
  const saved = globalThis.Worker;
  const withWorker = (): void => { (globalThis as { Worker?: unknown }).Worker = class {}; };
  beforeEach(() => { delete (globalThis as { Worker?: unknown }).Worker; });
  afterEach(() => { (globalThis as { Worker?: unknown }).Worker = saved; });

  it('in Node (no Worker) detects on the calling thread at any size', async () => {
    const fake = fakeHandle('run');
    const big = phones(WORKER_MIN_CHARS * 2);
    const spans = await offloadFinder({}, { handle: fake.handle, config: CONFIG })([big]);
    expect(fake.requests).toHaveLength(0);
    expect(spans).toEqual(await localFinder({})([big]));
  });

  it('keeps small inputs on the page and sends large ones to the worker, with the same spans', async () => {
    withWorker();
    const fake = fakeHandle('run');
    const find = offloadFinder({}, { handle: fake.handle, config: CONFIG });
    const small = ['call +44 20 7946 0958', 'mail jane@example.com'];
    expect(await find(small)).toEqual(await localFinder({})(small));
    expect(fake.requests).toHaveLength(0);
    const big = [phones(WORKER_MIN_CHARS / 2), phones(WORKER_MIN_CHARS / 2 + 10)];
    const found = await find(big);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.texts).toEqual(big);
    expect(found).toEqual(await localFinder({})(big));
    expect(found.spans[0]!.length).toBeGreaterThan(50);
  });

  it('sends the known values along when given: the worker runs the literal pass and says so', async () => {
    withWorker();
    const fake = fakeHandle('run');
    const find = offloadFinder({}, { handle: fake.handle, config: CONFIG });
    const big = [`${phones(WORKER_MIN_CHARS)}Ticket K-77 (ref K-77).`];
    const found = await find(big, { known: [['K-77', 'pattern']] });
    expect(fake.requests[0]!.known).toEqual([['K-77', 'pattern']]);
    expect(found.complete).toBe(true);
    expect(found.spans[0]!.filter((s) => big[0]!.slice(s.start, s.end) === 'K-77')).toHaveLength(2);
    expect((await find(big)).complete).toBe(false);
  });

  it('loads the detectors in a worker that already runs (an engine with local models), and starts none otherwise', async () => {
    withWorker();
    const idle = fakeHandle('run');
    offloadFinder({}, { handle: idle.handle, config: CONFIG });
    expect(idle.requests).toHaveLength(0);
    const busy = fakeHandle('run', true);
    offloadFinder({}, { handle: busy.handle, config: CONFIG });
    expect(busy.requests.map((r) => r.texts)).toEqual([[]]);
  });

  it('sends RegExp patterns and terms across the boundary intact', async () => {
    withWorker();
    const fake = fakeHandle('run');
    const options: RedactOptions = { patterns: [/EMP-\d{6}/g], terms: ['Project Falcon'] };
    const text = `${'x '.repeat(WORKER_MIN_CHARS)} EMP-123456 works on Project Falcon`;
    const { spans: [spans] } = await offloadFinder(options, { handle: fake.handle, config: CONFIG, minChars: 10 })([text]);
    expect(fake.requests[0]!.options.patterns![0]).toBeInstanceOf(RegExp);
    expect(spans!.map((s) => [text.slice(s.start, s.end), s.type])).toEqual([['EMP-123456', 'pattern'], ['Project Falcon', 'term']]);
  });

  it('falls back to the page when the worker dies: the text is still redacted', async () => {
    withWorker();
    const fake = fakeHandle('crash');
    const big = [phones(WORKER_MIN_CHARS + 1)];
    const found = await offloadFinder({}, { handle: fake.handle, config: CONFIG })(big, { known: [['K-77', 'pattern']] });
    expect(fake.requests).toHaveLength(1);
    // Detection only: the session runs the literal pass itself (complete-spans.test.ts checks the output).
    expect(found).toEqual(await localFinder({})(big));
    expect(found.complete).toBe(false);
  });

  it('rejects with aborted as soon as the signal fires, even while the worker is busy', async () => {
    withWorker();
    const fake = fakeHandle('hang');
    const ctl = new AbortController();
    const pending = offloadFinder({}, { handle: fake.handle, config: CONFIG })([phones(WORKER_MIN_CHARS + 1)], { signal: ctl.signal });
    ctl.abort();
    const e = await pending.catch((x: unknown) => x);
    expect(isEdgewiseError(e) && e.code).toBe('aborted');
  });

  describe('with redact.model', () => {
    const model: RedactOptions = { model: { id: 'ner', url: 'http://localhost/ner/' } };

    it('sends even a short text to the worker, with the model resolved on the page', async () => {
      withWorker();
      const fake = fakeHandle('crash');
      const e = await offloadFinder(model, { handle: fake.handle, config: CONFIG })(['hi Alice']).catch((x: unknown) => x);
      expect(fake.requests[0]!.model).toMatchObject({ id: 'ner', url: 'http://localhost/ner/', dtype: 'fp32', key: 'ner:fp32' });
      // A dead worker cannot run the model: no silent fallback to patterns only.
      expect(isEdgewiseError(e) && e.code).toBe('redaction_failed');
    });

    it('fails with redaction_failed where there is no Worker', async () => {
      const e = await offloadFinder(model, { handle: fakeHandle('run').handle, config: CONFIG })(['hi Alice']).catch((x: unknown) => x);
      expect(isEdgewiseError(e) && e.code).toBe('redaction_failed');
    });
  });
});

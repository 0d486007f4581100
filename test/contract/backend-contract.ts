/**
 * The conformance suite every Backend passes, whatever thread it runs on: the stream's
 * shape, exactly one `finish`, abort within one step, typed errors, the next call works,
 * `unload` twice is fine. Runner-agnostic: vitest (Node, against the recording fake) and
 * mocha (Chromium, against the real backends) inject their own `describe` and `it`.
 */
import type { Backend, BackendPart, BackendRequest } from '../../src/backends/backend.js';
import { isEdgewiseError } from '../../src/errors.js';
import { RAN_ON } from '../../src/route/vocab.js';

export interface ContractHarness {
  describe: (name: string, body: () => void) => void;
  it: (name: string, body: () => Promise<void>) => void;
  /** A fresh backend; called once per test. */
  make: () => Backend | Promise<Backend>;
  /** A request that yields several text parts (at least 4) when not aborted. */
  longRequest: BackendRequest;
  /** A request the backend must refuse with this typed error code. */
  badRequest?: { request: BackendRequest; code: string };
  /** Called after each test (e.g. to dispose a worker). */
  cleanup?: (b: Backend) => Promise<void>;
  /** Max ms from abort() to the end of the stream. Default 1000 (one decode step, loosely: the machine is shared). */
  abortWithinMs?: number;
}

function check(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(`contract: ${message}`);
}

async function collect(parts: AsyncIterable<BackendPart>): Promise<BackendPart[]> {
  const out: BackendPart[] = [];
  for await (const p of parts) out.push(p);
  return out;
}

function checkShape(parts: BackendPart[], what: string): void {
  const finishes = parts.filter((p) => p.type === 'finish');
  check(finishes.length === 1, `${what}: exactly one finish part (got ${finishes.length})`);
  check(parts.at(-1)?.type === 'finish', `${what}: the finish part comes last`);
  const f = finishes[0];
  check(f?.type === 'finish' && (RAN_ON as readonly string[]).includes(f.ranOn), `${what}: finish.ranOn is one of ${RAN_ON.join(', ')}`);
  check(f.usage.promptTokens >= 0 && f.usage.completionTokens >= 0 && f.usage.totalMs >= 0, `${what}: usage numbers are non-negative`);
  for (const p of parts) if (p.type === 'text') check(typeof p.text === 'string' && p.text.length > 0, `${what}: text parts are non-empty strings`);
}

export function backendContract(name: string, h: ContractHarness): void {
  const withBackend = (body: (b: Backend) => Promise<void>) => async () => {
    const b = await h.make();
    try {
      await body(b);
    } finally {
      await h.cleanup?.(b);
    }
  };
  const abortWithin = h.abortWithinMs ?? 1000;

  h.describe(`backend contract: ${name}`, () => {
    h.it('declares the v2 spec, a stable id and where it runs', withBackend(async (b) => {
      check(b.specificationVersion === 'v2', 'specificationVersion v2');
      check(typeof b.id === 'string' && b.id.length > 0, 'a non-empty id');
      check(b.location === 'local' || b.location === 'remote', 'location local or remote');
    }));

    h.it('streams text parts and ends with exactly one finish', withBackend(async (b) => {
      await b.load();
      const parts = await collect(b.generate(h.longRequest));
      checkShape(parts, 'a whole request');
      check(parts.filter((p) => p.type === 'text').length >= 2, 'several text parts');
      const f = parts.at(-1);
      check(f?.type === 'finish' && (f.reason === 'stop' || f.reason === 'length'), 'finish reason stop or length');
    }));

    h.it('an abort ends the stream promptly with an abort finish and no text after it; the next call works', withBackend(async (b) => {
      await b.load();
      const controller = new AbortController();
      const parts: BackendPart[] = [];
      let abortedAt = 0;
      let afterAbort = 0;
      for await (const p of b.generate(h.longRequest, { signal: controller.signal })) {
        parts.push(p);
        if (abortedAt && p.type === 'text') afterAbort++;
        if (p.type === 'text' && !abortedAt) {
          abortedAt = performance.now();
          controller.abort();
        }
      }
      const ms = performance.now() - abortedAt;
      checkShape(parts, 'an aborted request');
      const f = parts.at(-1);
      check(f?.type === 'finish' && f.reason === 'abort', `finish reason abort (got ${f?.type === 'finish' ? f.reason : 'none'})`);
      check(afterAbort === 0, `no text after the abort (${afterAbort})`);
      check(ms < abortWithin, `ended ${ms.toFixed(0)} ms after the abort (limit ${abortWithin})`);
      checkShape(await collect(b.generate(h.longRequest)), 'the call after an abort');
    }));

    h.it('an already-aborted signal yields only an abort finish', withBackend(async (b) => {
      await b.load();
      const parts = await collect(b.generate(h.longRequest, { signal: AbortSignal.abort() }));
      check(parts.length === 1 && parts[0]?.type === 'finish' && parts[0].reason === 'abort', 'one abort finish');
    }));

    h.it('leaving the loop early cancels the request and the next call works', withBackend(async (b) => {
      await b.load();
      for await (const p of b.generate(h.longRequest)) if (p.type === 'text') break;
      checkShape(await collect(b.generate(h.longRequest)), 'the call after a break');
    }));

    if (h.badRequest) {
      const bad = h.badRequest;
      h.it(`refuses a bad request with a typed ${bad.code} error, then works`, withBackend(async (b) => {
        await b.load();
        let code = 'no error';
        try {
          await collect(b.generate(bad.request));
        } catch (e) {
          code = isEdgewiseError(e) ? e.code : `untyped ${String(e)}`;
        }
        check(code === bad.code, `error code ${bad.code} (got ${code})`);
        checkShape(await collect(b.generate(h.longRequest)), 'the call after an error');
      }));
    }

    h.it('unload twice is fine, and it loads and runs again after', withBackend(async (b) => {
      await b.load();
      await b.unload();
      await b.unload();
      await b.load();
      checkShape(await collect(b.generate(h.longRequest)), 'after unload and load');
    }));

    h.it('supports() answers synchronously without loading', withBackend(async (b) => {
      const s = b.supports(h.longRequest, { threads: false, cores: 1, storageManager: false, online: true });
      check(typeof s === 'object' && typeof s.ok === 'boolean', 'a support answer');
      if (!s.ok) check(typeof s.code === 'string' && typeof s.detail === 'string', 'a no carries a code and a detail');
    }));
  });
}

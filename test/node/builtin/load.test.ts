/**
 * load() and unload() against a recording fake of the Prompt API: download progress as
 * thousandths that never reach 100% before create() resolves, one shared create, abort
 * during the download, and typed `builtin_unavailable` errors that say where the API is.
 */
import { describe, expect, it } from 'vitest';
import { createBuiltinBackend, PROGRESS_SCALE } from '../../../src/backends/builtin/index.js';
import type { Progress } from '../../../src/types.js';
import { codeOf, setup } from './helpers.js';

describe('builtin load (recording fake of the Prompt API)', () => {
  it('maps downloadprogress fractions to thousandths of a built-in model download, 100% only after create() resolves', async () => {
    const { fake, backend } = setup({ availability: 'downloadable', downloadSteps: [0, 0.25, 0.25, 0.5, 1] });
    const seen: { p: Progress; sessions: number }[] = [];
    const info = await backend.load({ onProgress: (p) => seen.push({ p, sessions: fake.sessions.length }) });
    expect(info).toMatchObject({ ranOn: 'builtin', contextLength: 1024 });
    expect(seen.map((s) => s.p.loaded)).toEqual([0, 250, 500, 999, 1000]);
    for (const { p, sessions } of seen) {
      expect(p).toMatchObject({ file: 'built-in model', total: PROGRESS_SCALE, totalBytes: PROGRESS_SCALE, totalLoaded: p.loaded, source: 'network' });
      // 100% is reported once the session exists, never while create() is pending.
      expect(sessions).toBe(p.loaded === PROGRESS_SCALE ? 1 : 0);
    }
  });

  it('reads byte counts too (loaded of total, as early Chrome sent them)', async () => {
    const { backend } = setup({ availability: 'downloadable', downloadSteps: [0.5, 1], downloadBytes: 2_000_000_000 });
    const seen: number[] = [];
    await backend.load({ onProgress: (p) => seen.push(p.loaded) });
    expect(seen).toEqual([500, 999, 1000]);
  });

  it('reports no progress when the model is already there, and a throwing progress callback does not fail the load', async () => {
    const { backend } = setup({ availability: 'available' });
    const seen: Progress[] = [];
    await backend.load({ onProgress: (p) => seen.push(p) });
    expect(seen).toEqual([]);
    const b2 = setup({ availability: 'downloadable' }).backend;
    await expect(b2.load({ onProgress: () => { throw new Error('app bug'); } })).resolves.toMatchObject({ ranOn: 'builtin' });
  });

  it('concurrent loads share one create(); a loaded backend does not create again', async () => {
    const { fake, backend } = setup({ availability: 'downloadable' });
    await Promise.all([backend.load(), backend.load(), backend.load()]);
    await backend.load();
    expect(fake.callsOf('create')).toHaveLength(1);
  });

  it('abort during the download rejects with aborted, stops the download, and the next load starts afresh', async () => {
    const { fake, backend } = setup({ availability: 'downloadable', downloadStepMs: 10 });
    const controller = new AbortController();
    const loading = backend.load({ signal: controller.signal });
    setTimeout(() => controller.abort(), 15);
    const t0 = performance.now();
    expect(await codeOf(loading)).toBe('aborted');
    // A hang guard: the fake's whole download is 5 steps of 10 ms, so no bound here can
    // tell "stopped at once" from "finished the download" (the fake checks the signal
    // each step); 200 ms was only tighter, not more telling, on a shared 2-core runner.
    expect(performance.now() - t0).toBeLessThan(1000);
    await new Promise((r) => setTimeout(r, 30));
    expect(fake.live()).toHaveLength(0);
    expect(fake.script.availability).toBe('downloadable');
    expect(await codeOf(backend.load({ signal: AbortSignal.abort() }))).toBe('aborted');
    await expect(backend.load()).resolves.toMatchObject({ ranOn: 'builtin' });
    expect(fake.live()).toHaveLength(1);
  });

  it('one caller leaving does not cancel a load another caller still waits for', async () => {
    const { fake, backend } = setup({ availability: 'downloadable', downloadStepMs: 5 });
    const controller = new AbortController();
    const leaving = backend.load({ signal: controller.signal });
    const staying = backend.load();
    controller.abort();
    expect(await codeOf(leaving)).toBe('aborted');
    await expect(staying).resolves.toMatchObject({ ranOn: 'builtin' });
    expect(fake.callsOf('create')).toHaveLength(1);
  });

  it('no Prompt API: builtin_unavailable, naming the browsers and flags that provide it', async () => {
    const backend = createBuiltinBackend({ engine: 'builtin' });
    const error = await backend.load().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'builtin_unavailable' });
    expect(String((error as Error).message)).toMatch(/Chrome.*chrome:\/\/flags.*Edge.*not in workers/s);
  });

  it("'unavailable': builtin_unavailable without calling create()", async () => {
    const { fake, backend } = setup({ availability: 'unavailable' });
    expect(await codeOf(backend.load())).toBe('builtin_unavailable');
    expect(fake.callsOf('create')).toHaveLength(0);
  });

  it('a create() the browser refuses (NotAllowedError: no user activation) is builtin_unavailable; others are runtime_error with the cause', async () => {
    const refused = new DOMException('Requires a user gesture.', 'NotAllowedError');
    const { backend } = setup({ availability: 'downloadable', createError: refused });
    const e = await backend.load().catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'builtin_unavailable', cause: refused, details: { name: 'NotAllowedError' } });
    expect((e as Error).message).toMatch(/user activation/);
    const crashed = new DOMException('The model crashed.', 'UnknownError');
    const e2 = await setup({ createError: crashed }).backend.load().catch((x: unknown) => x);
    expect(e2).toMatchObject({ code: 'runtime_error', cause: crashed });
  });

  it('unload destroys the base session, twice is fine, and load creates a new one', async () => {
    const { fake, backend } = setup();
    await backend.load();
    await backend.unload();
    await backend.unload();
    expect(fake.live()).toHaveLength(0);
    await backend.load();
    expect(fake.live()).toHaveLength(1);
    expect(fake.callsOf('create')).toHaveLength(2);
  });

  it('unload during a download cancels it', async () => {
    const { fake, backend } = setup({ availability: 'downloadable', downloadStepMs: 10 });
    const loading = backend.load();
    await new Promise((r) => setTimeout(r, 5));
    await backend.unload();
    expect(await codeOf(loading)).toBe('aborted');
    await new Promise((r) => setTimeout(r, 30));
    expect(fake.live()).toHaveLength(0);
  });
});

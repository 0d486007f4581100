/**
 * Availability and supports(), against a recording fake of the Prompt API: the mapping
 * of the browser's four answers, the cache, and the background download that only
 * `allowDownload` starts.
 */
import { describe, expect, it } from 'vitest';
import { AVAILABILITY_TTL_MS, createBuiltinBackend, findLanguageModel } from '../../../src/backends/builtin/index.js';
import type { Capabilities } from '../../../src/capabilities.js';
import { createFakeLanguageModel } from '../../fakes/fake-language-model.js';
import { request, setup } from './helpers.js';

const caps: Capabilities = { threads: false, cores: 4, storageManager: false, online: true };
const eventually = async (cond: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 2));
  expect(cond()).toBe(true);
};

describe('builtin availability (recording fake of the Prompt API)', () => {
  it('findLanguageModel finds a LanguageModel global and nothing where there is none (Node, workers)', () => {
    const fake = createFakeLanguageModel();
    expect(findLanguageModel({ LanguageModel: fake.LanguageModel } as unknown as typeof globalThis)).toBe(fake.LanguageModel);
    expect(findLanguageModel({ LanguageModel: { create: 1 } } as unknown as typeof globalThis)).toBeUndefined();
    expect(findLanguageModel()).toBeUndefined();
  });

  it('no Prompt API: supports() says not_configured and availability() says unavailable', async () => {
    const backend = createBuiltinBackend({ engine: 'builtin' });
    expect(backend.supports(caps)).toMatchObject({ ok: false, code: 'not_configured' });
    expect(await backend.availability()).toBe('unavailable');
  });

  it.each([
    ['available', { ok: true }],
    ['unavailable', { ok: false, code: 'unavailable' }],
    ['downloadable', { ok: false, code: 'unavailable' }],
    ['downloading', { ok: false, code: 'downloading' }],
  ] as const)("'%s' maps to supports() %o once availability() has answered (downloadable: not on the device nor on its way)", async (answer, support) => {
    const { backend } = setup({ availability: answer });
    expect(await backend.availability()).toBe(answer);
    expect(backend.supports(caps)).toMatchObject(support);
  });

  it('before any answer supports() says no without waiting, and asks the browser for next time', async () => {
    const { fake, backend } = setup({ availability: 'available' });
    expect(backend.supports(caps)).toMatchObject({ ok: false, code: 'unavailable' });
    await eventually(() => backend.supports(caps).ok);
    expect(fake.callsOf('availability')).toHaveLength(1);
  });

  it('is cached: concurrent and repeated calls within the TTL ask the browser once, later calls ask again', async () => {
    const fake = createFakeLanguageModel({ availability: 'unavailable' });
    let t = 0;
    const backend = createBuiltinBackend({ engine: 'builtin' }, { languageModel: fake.LanguageModel, now: () => t });
    expect(await Promise.all([backend.availability(), backend.availability()])).toEqual(['unavailable', 'unavailable']);
    t = AVAILABILITY_TTL_MS - 1;
    await backend.availability();
    expect(fake.callsOf('availability')).toHaveLength(1);
    fake.script = { ...fake.script, availability: 'available' };
    t = AVAILABILITY_TTL_MS + 1;
    expect(await backend.availability()).toBe('available');
    expect(fake.callsOf('availability')).toHaveLength(2);
  });

  it('a browser that throws or answers nonsense counts as unavailable', async () => {
    const fake = createFakeLanguageModel();
    const throwing = { ...fake.LanguageModel, availability: () => Promise.reject(new DOMException('detached', 'InvalidStateError')) };
    expect(await createBuiltinBackend({ engine: 'builtin' }, { languageModel: throwing }).availability()).toBe('unavailable');
    const odd = { ...fake.LanguageModel, availability: () => Promise.resolve('readily' as 'available') };
    expect(await createBuiltinBackend({ engine: 'builtin' }, { languageModel: odd }).availability()).toBe('unavailable');
  });

  it("'downloadable' without allowDownload starts nothing", async () => {
    const { fake, backend } = setup({ availability: 'downloadable' });
    expect(await backend.availability()).toBe('downloadable');
    await new Promise((r) => setTimeout(r, 20));
    expect(fake.callsOf('create')).toHaveLength(0);
    expect(backend.supports(caps)).toMatchObject({ ok: false, code: 'unavailable', detail: expect.stringContaining('allowDownload is off') });
  });

  it("'downloadable' with allowDownload starts one background download, reports 'downloading', then 'available'", async () => {
    const { fake, backend } = setup({ availability: 'downloadable', downloadStepMs: 5 }, { allowDownload: true });
    expect(await backend.availability()).toBe('downloading');
    expect(backend.supports(caps)).toMatchObject({ ok: false, code: 'downloading' });
    expect(await backend.availability()).toBe('downloading');
    await eventually(() => fake.live().length === 1);
    expect(await backend.availability()).toBe('available');
    expect(backend.supports(caps)).toEqual({ ok: true });
    expect(fake.callsOf('create')).toHaveLength(1);
    expect(fake.callsOf('create')[0]?.options.monitor).toBeTypeOf('function');
  });

  it('a background download the browser refuses (no user activation) is not retried in the background; load() can start it', async () => {
    const refused = new DOMException('Requires a user gesture when availability is "downloadable".', 'NotAllowedError');
    const fake = createFakeLanguageModel({ availability: 'downloadable', createError: refused });
    let t = 0;
    const backend = createBuiltinBackend({ engine: 'builtin', allowDownload: true }, { languageModel: fake.LanguageModel, now: () => t });
    expect(await backend.availability()).toBe('downloading');
    await eventually(() => backend.supports(caps).ok === false && /download failed/.test(JSON.stringify(backend.supports(caps))));
    t += AVAILABILITY_TTL_MS * 2;
    expect(await backend.availability()).toBe('downloadable');
    expect(fake.callsOf('create')).toHaveLength(1);
    fake.script = { availability: 'downloadable' };
    await backend.load();
    expect(await backend.availability()).toBe('available');
  });

  it('a load that joins the background download gets its progress so far and the rest', async () => {
    const { backend } = setup({ availability: 'downloadable', downloadStepMs: 5, downloadSteps: [0.1, 0.4, 0.7, 1] }, { allowDownload: true });
    await backend.availability();
    await new Promise((r) => setTimeout(r, 12));
    const seen: number[] = [];
    await backend.load({ onProgress: (p) => seen.push(p.loaded) });
    expect(seen.at(-1)).toBe(1000);
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen[0]).toBeGreaterThan(0);
  });
});

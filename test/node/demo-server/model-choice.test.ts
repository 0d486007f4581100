/** Which model the demo server's /v1 runs, and the `--remote-model-dir` flag that picks one. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

interface Choice { id: string; source: string; dtype: string }
// Plain .mjs without types: a variable specifier keeps tsc from asking for a declaration.
const choiceModule = '../../../demos/server/model-choice.mjs';
const cliModule = '../../../demos/server/cli.mjs';
const { modelChoices, hubReachable } = (await import(choiceModule)) as {
  modelChoices(o: { remoteModelDir?: string; sharedDir: string; cacheDir?: string; probe?: () => Promise<boolean> }): Promise<Choice[]>;
  hubReachable(repo?: string, fetchImpl?: typeof fetch): Promise<boolean>;
};
const { parseFlags } = (await import(cliModule)) as { parseFlags(argv: string[], env?: Record<string, string>): { remoteModelDir?: string } };

const SHARED = resolve(import.meta.dirname, '../../../../shared/models');
const STORIES = join(SHARED, 'stories260K-onnx');
const empty = mkdtempSync(join(tmpdir(), 'edgewise-choice-'));
const haveStories = (await modelChoices({ sharedDir: SHARED, cacheDir: empty, probe: async () => false })).length > 0;

describe('model choice', () => {
  it('offers the hub model first when the hub answers, then stories260K; the hub alone when the folder is absent', async () => {
    const online = await modelChoices({ sharedDir: SHARED, cacheDir: empty, probe: async () => true });
    expect(online[0]).toMatchObject({ id: 'HuggingFaceTB/SmolLM2-360M-Instruct', source: 'hub' });
    expect(online.slice(1).map((c) => c.id)).toEqual(haveStories ? ['stories260K-onnx'] : []);
    expect(await modelChoices({ sharedDir: empty, cacheDir: empty, probe: async () => false })).toEqual([]);
  });

  it.skipIf(!haveStories)('offline: stories260K in fp32 (the oracle\'s form); --remote-model-dir: that folder alone', async () => {
    expect(await modelChoices({ sharedDir: SHARED, cacheDir: empty, probe: async () => false })).toEqual([{ id: 'stories260K-onnx', source: 'dir', dir: STORIES, dtype: 'fp32' }]);
    let probed = false;
    const own = await modelChoices({ remoteModelDir: STORIES, sharedDir: empty, probe: async () => (probed = true) });
    expect(own.map((c) => c.id)).toEqual(['stories260K-onnx']);
    expect(probed).toBe(false);
  });

  it('an unreachable hub is a quiet "no" (a fetch that fails or hangs past the timeout)', async () => {
    expect(await hubReachable('x/y', (async () => { throw new TypeError('fetch failed'); }) as typeof fetch)).toBe(false);
    const hang = ((_url: string, init: RequestInit) => new Promise((_, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason)))) as unknown as typeof fetch;
    const started = Date.now();
    expect(await hubReachable('x/y', hang)).toBe(false);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await hubReachable('x/y', (async () => new Response(null, { status: 302 })) as typeof fetch)).toBe(true);
  });
});

describe('--remote-model-dir', () => {
  it.skipIf(!haveStories)('takes a transformers.js model folder', () => {
    expect(parseFlags(['--remote-model-dir', STORIES], {}).remoteModelDir).toBe(STORIES);
  });

  it('refuses a missing folder, a folder without a model, and --remote beside it', () => {
    expect(() => parseFlags(['--remote-model-dir', join(empty, 'nope')], {})).toThrow(/is not a folder/);
    expect(() => parseFlags(['--remote-model-dir', empty], {})).toThrow(/not a text-generation model/);
    expect(() => parseFlags(['--remote-model-dir', empty, '--remote', 'http://127.0.0.1:8081/v1', '--remote-model', 'm'], {})).toThrow(/pass one of them/);
  });
});

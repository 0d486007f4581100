/**
 * Response formats, capabilities, state and refresh() of the built-in backend, against
 * the recording fake of the Prompt API: the `responseConstraint` each format becomes (on
 * the prompt and on its measurement), JSON answers streamed as text, constraints the
 * browser refuses as typed errors, and what the backend declares.
 */
import { describe, expect, it } from 'vitest';
import { BUILTIN_CAPABILITIES } from '../../../src/backends/builtin/index.js';
import type { Capabilities } from '../../../src/capabilities.js';
import { jsonChunks } from '../../fakes/fake-language-model.js';
import { codeOf, collect, request, setup } from './helpers.js';

const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };
const tokens = (text: string): number => Math.ceil(text.length / 4);
const caps: Capabilities = { threads: false, cores: 4, storageManager: false, online: true };

describe('builtin response formats (recording fake of the Prompt API)', () => {
  it('json_schema: the schema object as responseConstraint, on the prompt and its measurement; the JSON answer streams as text', async () => {
    const { fake, backend } = setup({ chunks: jsonChunks({ city: 'Paris' }) });
    await backend.load();
    const { parts, text, finish } = await collect(backend.generate(request({ prompt: 'Where?', responseFormat: { type: 'json_schema', schema } })));
    expect(fake.callsOf('promptStreaming')[0]?.options).toEqual({ responseConstraint: schema });
    expect(fake.callsOf('measure')[0]?.options).toEqual({ responseConstraint: schema });
    expect(JSON.parse(text)).toEqual({ city: 'Paris' });
    expect(parts.filter((p) => p.type === 'text').length).toBeGreaterThan(1);
    // The browser puts the schema into the input unless told not to: the count includes it.
    expect(finish).toMatchObject({ reason: 'stop', usage: { promptTokens: tokens('Where?') + tokens(JSON.stringify(schema)) } });
  });

  it("json_object: { type: 'object' }; a schema of true: {} (any JSON value)", async () => {
    const { fake, backend } = setup({ chunks: ['{}'] });
    await backend.load();
    await collect(backend.generate(request({ responseFormat: { type: 'json_object' } })));
    await collect(backend.generate(request({ responseFormat: { type: 'json_schema', schema: true } })));
    expect(fake.callsOf('promptStreaming').map((c) => c.options.responseConstraint)).toEqual([{ type: 'object' }, {}]);
  });

  it('regex: a RegExp built from the pattern', async () => {
    const { fake, backend } = setup({ chunks: ['2025-01-31'] });
    await backend.load();
    const { text } = await collect(backend.generate(request({ responseFormat: { type: 'regex', pattern: '\\d{4}-\\d{2}-\\d{2}' } })));
    const c = fake.callsOf('promptStreaming')[0]?.options.responseConstraint;
    expect(c).toBeInstanceOf(RegExp);
    expect((c as RegExp).source).toBe('\\d{4}-\\d{2}-\\d{2}');
    expect(text).toBe('2025-01-31');
  });

  it('a pattern that is not a JavaScript regex is invalid_response_format before any session', async () => {
    const { fake, backend } = setup();
    await backend.load();
    expect(await codeOf(collect(backend.generate(request({ responseFormat: { type: 'regex', pattern: '(' } }))))).toBe('invalid_response_format');
    expect(fake.callsOf('create')).toHaveLength(1);
  });

  it("a constraint the browser refuses (NotSupportedError: a schema it cannot stringify) is invalid_response_format with the cause; the session is destroyed", async () => {
    const { fake, backend } = setup();
    await backend.load();
    const circular: Record<string, unknown> = { type: 'object' };
    circular.self = circular;
    const e = await collect(backend.generate(request({ responseFormat: { type: 'json_schema', schema: circular } }))).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'invalid_response_format', cause: { name: 'NotSupportedError' } });
    expect(fake.live()).toHaveLength(1);
  });

  it('no format: no constraint', async () => {
    const { fake, backend } = setup();
    await backend.load();
    await collect(backend.generate(request()));
    expect(fake.callsOf('promptStreaming')[0]?.options).toEqual({});
  });
});

describe('builtin capabilities, state and refresh()', () => {
  it('declares temperature, topK and stop, all three formats and tools; v3, kind builtin, local', () => {
    const { backend } = setup();
    expect(backend).toMatchObject({ specificationVersion: 'v3', kind: 'builtin', location: 'local' });
    expect(backend.capabilities).toBe(BUILTIN_CAPABILITIES);
    expect(backend.capabilities).toEqual({ sampling: ['temperature', 'topK', 'stop'], responseFormats: ['json_schema', 'json_object', 'regex'], tools: true });
  });

  it('on a page (no params()), a temperature or topK set away from the defaults comes back as unsupported_setting warnings, first; in an extension, none', async () => {
    const page = setup();
    await page.backend.load();
    const { parts } = await collect(page.backend.generate(request({ temperature: 0.7, topK: 5 })));
    expect(parts.slice(0, 2)).toEqual([
      { type: 'warning', warning: { code: 'unsupported_setting', setting: 'temperature', message: expect.stringContaining('Chrome 138') } },
      { type: 'warning', warning: { code: 'unsupported_setting', setting: 'topK', message: expect.stringContaining('not applied') } },
    ]);
    expect((await collect(page.backend.generate(request()))).parts.some((p) => p.type === 'warning')).toBe(false);
    const ext = setup({ params: { defaultTopK: 3, maxTopK: 8, defaultTemperature: 1, maxTemperature: 2 } });
    await ext.backend.load();
    expect((await collect(ext.backend.generate(request({ temperature: 0.7, topK: 5 })))).parts.some((p) => p.type === 'warning')).toBe(false);
  });

  it('refresh() asks the browser, resolves to nothing, and supports() answers from it', async () => {
    const { fake, backend } = setup({ availability: 'available' });
    expect(backend.supports(caps).ok).toBe(false);
    expect(await backend.refresh()).toBeUndefined();
    expect(backend.supports(caps)).toEqual({ ok: true });
    expect(fake.callsOf('availability')).toHaveLength(1);
  });

  it('state: nothing loaded, then the info and context window; unload clears it', async () => {
    const { backend } = setup();
    expect(backend.state).toEqual({ ranOn: 'builtin', loaded: false, loadError: undefined, info: undefined, contextLength: undefined });
    await backend.load();
    expect(backend.state).toMatchObject({ ranOn: 'builtin', loaded: true, info: { ranOn: 'builtin', engine: 'builtin', contextLength: 1024 }, contextLength: 1024 });
    await backend.unload();
    expect(backend.state.loaded).toBe(false);
  });

  it('state.loadError keeps a failed load until one succeeds; an aborted load is no error', async () => {
    const { fake, backend } = setup({ availability: 'unavailable' });
    expect(await codeOf(backend.load())).toBe('builtin_unavailable');
    expect(backend.state.loadError).toMatchObject({ code: 'builtin_unavailable' });
    fake.script = { availability: 'available' };
    await backend.load();
    expect(backend.state.loadError).toBeUndefined();
    const { backend: b2 } = setup({ availability: 'downloadable', downloadStepMs: 10 });
    expect(await codeOf(b2.load({ signal: AbortSignal.timeout(5) }))).toBe('aborted');
    expect(b2.state.loadError).toBeUndefined();
  });
});

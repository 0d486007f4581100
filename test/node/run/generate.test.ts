/**
 * The runner over recording fakes: each request runs where the router says, fails over
 * only before its first output (never a splice after), and every finish tells where it
 * ran and why. (These cases were the dispatcher's; they pin the same behaviour.)
 */
import { describe, expect, it } from 'vitest';
import { isEdgewiseError } from '../../../src/errors.js';
import type { FinishPart, GenerateRequest, Part } from '../../../src/types.js';
import type { RecordingBackend } from '../../fakes/recording-backend.js';
import { generate, setup, type Setup } from './helpers.js';

async function run(s: Setup, req: GenerateRequest): Promise<{ text: string; finish: FinishPart | undefined; error: unknown; parts: Part[] }> {
  const parts: Part[] = [];
  let error: unknown;
  try {
    for await (const p of generate(s, req)) parts.push(p);
  } catch (e) {
    error = e;
  }
  const text = parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('');
  const finish = parts.find((p): p is FinishPart => p.type === 'finish');
  return { text, finish, error, parts };
}

const generates = (b: RecordingBackend | undefined): number => b?.calls.filter((c) => c.method === 'generate').length ?? 0;
const codeOf = (e: unknown): string | undefined => (isEdgewiseError(e) ? e.code : undefined);

describe('dispatch: where a request runs', () => {
  it('prefer-local runs locally and says so', async () => {
    const s = setup();
    const r = await run(s, { prompt: 'hi' });
    expect(r.text).toBe('Hello, world!');
    expect(r.finish?.ranOn).toBe('wasm');
    expect(r.finish?.route).toMatchObject({ policy: 'prefer-local', reason: 'local_preferred' });
    expect([generates(s.local), generates(s.remote)]).toEqual([1, 0]);
  });

  it('a per-request policy overrides the engine policy', async () => {
    const s = setup();
    const r = await run(s, { prompt: 'hi', policy: 'remote-only' });
    expect(r.finish?.ranOn).toBe('remote');
    expect(r.finish?.route.reason).toBe('remote_only');
    expect([generates(s.local), generates(s.remote)]).toEqual([0, 1]);
  });

  it('remote-only with no remote is a typed remote_not_configured error', async () => {
    const s = setup({ remote: false, policy: 'remote-only' });
    expect(codeOf((await run(s, { prompt: 'hi' })).error)).toBe('remote_not_configured');
  });

  it('local-only with no local model is a typed no_backend error', async () => {
    const s = setup({ local: false, policy: 'local-only' });
    expect(codeOf((await run(s, { prompt: 'hi' })).error)).toBe('no_backend');
  });
});

describe('dispatch: failover before the first token, never after', () => {
  it('local fails before its first token → the remote answers; route says what failed', async () => {
    const s = setup({ local: { failBeforeFirst: 'worker_crashed' } });
    const r = await run(s, { prompt: 'hi' });
    expect(r.error).toBeUndefined();
    expect(r.finish?.ranOn).toBe('remote');
    expect(r.finish?.route.reason).toBe('local_failed');
    expect(r.finish?.route.failover).toMatchObject({ from: 'wasm', code: 'worker_crashed' });
    expect(generates(s.remote)).toBe(1);
  });

  it('the local model fails to load → the remote answers with reason local_load_failed', async () => {
    const s = setup({ local: { loadError: 'model_not_found' } });
    const r = await run(s, { prompt: 'hi' });
    expect(r.finish?.ranOn).toBe('remote');
    expect(r.finish?.route.reason).toBe('local_load_failed');
    expect(r.finish?.route.failover?.code).toBe('model_not_found');
  });

  it('local fails after two parts → a typed error, the two parts only, no remote call (no splice)', async () => {
    const s = setup({ local: { failAfter: { parts: 2, code: 'worker_crashed' } } });
    const r = await run(s, { prompt: 'hi' });
    expect(codeOf(r.error)).toBe('worker_crashed');
    expect(r.text).toBe('Hello, ');
    expect(r.finish).toBeUndefined();
    expect(generates(s.remote)).toBe(0);
  });

  it('prefer-remote: the remote fails before its first token → local answers with reason remote_failed', async () => {
    const s = setup({ policy: 'prefer-remote', remote: { failBeforeFirst: 'remote_http_error' } });
    const r = await run(s, { prompt: 'hi' });
    expect(r.finish?.ranOn).toBe('wasm');
    expect(r.finish?.route).toMatchObject({ reason: 'remote_failed', failover: { from: 'remote', code: 'remote_http_error' } });
    expect(generates(s.local)).toBe(1);
  });

  it('prefer-remote: the remote drops after its first token → typed error, local never called', async () => {
    const s = setup({ policy: 'prefer-remote', remote: { failAfter: { parts: 1, code: 'remote_network_error' } } });
    const r = await run(s, { prompt: 'hi' });
    expect(codeOf(r.error)).toBe('remote_network_error');
    expect(r.text).toBe('Hello');
    expect(generates(s.local)).toBe(0);
  });

  it('an error that is the caller\'s doing does not fail over', async () => {
    const s = setup({ local: { rejectPrompt: 'bad' } });
    expect(codeOf((await run(s, { prompt: 'bad' })).error)).toBe('invalid_request');
    expect(generates(s.remote)).toBe(0);
  });

  it('the last candidate failing surfaces its typed error', async () => {
    const s = setup({ local: { failBeforeFirst: 'runtime_error' }, remote: { failBeforeFirst: 'remote_timeout' } });
    expect(codeOf((await run(s, { prompt: 'hi' })).error)).toBe('remote_timeout');
  });
});

describe('dispatch: aborts and stats', () => {
  it('an abort during the local load ends with an abort finish that carries the route', async () => {
    const s = setup();
    const r = await run(s, { prompt: 'hi', signal: AbortSignal.abort() });
    expect(r.parts.map((p) => p.type)).toEqual(['finish']);
    expect(r.finish?.reason).toBe('abort');
    expect(r.finish?.route.policy).toBe('prefer-local');
  });

  it('stats aggregate per place it ran, failovers included', async () => {
    const s = setup();
    await run(s, { prompt: 'a' });
    await run(s, { prompt: 'b' });
    (s.local as RecordingBackend).script = { failBeforeFirst: 'worker_crashed' };
    await run(s, { prompt: 'c' });
    const stats = s.ctx.stats.snapshot();
    expect(stats.requests).toBe(3);
    expect(stats.byRoute.wasm?.requests).toBe(2);
    expect(stats.byRoute.remote).toMatchObject({ requests: 1, failovers: 1 });
  });

  it('measured local speed feeds the latency budget: a slow device sends long requests remote', async () => {
    const s = setup();
    s.ctx.stats.record({ type: 'finish', reason: 'stop', ranOn: 'wasm', route: { policy: 'prefer-local', reason: 'local_preferred', detail: '' },
      usage: { promptTokens: 10, completionTokens: 50, timeToFirstTokenMs: 1000, tokensPerSecond: 5, totalMs: 11_000 } });
    const r = await run(s, { prompt: 'hi', maxTokens: 200, maxLocalLatencyMs: 2000 });
    expect(r.finish?.ranOn).toBe('remote');
    expect(r.finish?.route.reason).toBe('latency_budget');
    const quick = await run(s, { prompt: 'hi', maxTokens: 2, maxLocalLatencyMs: 2000 });
    expect(quick.finish?.ranOn).toBe('wasm');
  });

  it('a custom route decides, and its answer is validated', async () => {
    const s = setup();
    s.ctx.route = () => 'remote';
    const r = await run(s, { prompt: 'hi' });
    expect([r.finish?.ranOn, r.finish?.route.reason]).toEqual(['remote', 'custom']);
    s.ctx.route = () => 'cloud' as 'remote';
    expect(codeOf((await run(s, { prompt: 'hi' })).error)).toBe('invalid_policy');
  });
});

describe('runner: warnings', () => {
  it('a setting the backend that ran does not declare is one warning part before any output, and in the finish', async () => {
    const s = setup({ policy: 'remote-only', remote: { capabilities: { sampling: ['temperature'], responseFormats: [], tools: false } } });
    const r = await run(s, { prompt: 'hi', topK: 5, temperature: 0.5 });
    expect(r.parts.map((p) => p.type)).toEqual(['warning', 'text', 'text', 'text', 'text', 'finish']);
    expect(r.finish?.warnings).toEqual([{ code: 'unsupported_setting', setting: 'topK', message: 'The remote backend that ran this request ignores topK.' }]);
  });

  it('a candidate that fails before its first output leaves no warning behind: only the one that ran warns', async () => {
    const s = setup({ local: { failBeforeFirst: 'worker_crashed', capabilities: { sampling: [], responseFormats: [], tools: false } } });
    const r = await run(s, { prompt: 'hi', topK: 5 });
    expect(r.finish?.ranOn).toBe('remote');
    expect(r.parts.filter((p) => p.type === 'warning')).toEqual([]);
    expect(r.finish?.warnings).toBeUndefined();
  });
});

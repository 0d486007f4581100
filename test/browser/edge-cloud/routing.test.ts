/**
 * Acceptance (issue 7.2, 7.3) in Chromium, through the built package: the real worker
 * and the real remote backend against the OpenAI-compatible test server. Each policy ×
 * capacity signal routes as documented, `finish.ranOn` and `finish.route.reason` tell the
 * truth, failover happens only before the first token, and faults end typed.
 * Device facts (memory, storage, online) are injected through `capabilities`, the
 * engine's documented override: never by patching browser globals.
 */
import { createEngine, isEdgewiseError, type EngineOptions, type FinishPart, type GenerateRequest } from '/dist/edgewise.js';
import { FIXTURE_URL, MODEL_SERVER, assert, assertEqual } from '../helpers.js';
import { chatCalls, remoteFaults, remoteReset, testRemote } from './remote-helpers.js';

const model = { id: 'tiny-llama', url: FIXTURE_URL, dtype: 'q4' } as const;

async function run(options: EngineOptions, req: GenerateRequest): Promise<{ text: string; finish?: FinishPart; code?: string }> {
  const engine = createEngine({ cache: false, ...options });
  let text = '';
  try {
    for await (const p of engine.generate(req)) {
      if (p.type === 'text') text += p.text;
      else if (p.type === 'finish') return { text, finish: p };
    }
    return { text };
  } catch (e) {
    return { text, code: isEdgewiseError(e) ? e.code : `untyped ${String(e)}` };
  } finally {
    await engine.dispose();
  }
}

const where = (r: { finish?: FinishPart; code?: string }): string => r.code ?? `${r.finish?.ranOn}/${r.finish?.route.reason}`;

describe('edge-cloud: routing in the browser', () => {
  beforeEach(remoteReset);
  after(remoteReset);

  const cases: [string, EngineOptions, GenerateRequest, string][] = [
    ['prefer-local, nothing wrong → local', { model, ...testRemote() }, { prompt: 'Hi', maxTokens: 4 }, 'wasm/local_preferred'],
    ['local-only → local', { model, policy: 'local-only' }, { prompt: 'Hi', maxTokens: 4 }, 'wasm/local_only'],
    ['remote-only → remote', { model, ...testRemote(), policy: 'remote-only' }, { prompt: 'Hi', maxTokens: 4 }, 'remote/remote_only'],
    ['prefer-remote, online → remote', { model, ...testRemote(), policy: 'prefer-remote' }, { prompt: 'Hi', maxTokens: 4 }, 'remote/remote_preferred'],
    ['prefer-remote, offline → local', { model, ...testRemote(), policy: 'prefer-remote', capabilities: { online: false } }, { prompt: 'Hi', maxTokens: 4 }, 'wasm/offline'],
    ['prefer-remote, no remote → local', { model, policy: 'prefer-remote' }, { prompt: 'Hi', maxTokens: 4 }, 'wasm/no_remote'],
    ['prefer-local, no local model → remote', { ...testRemote(), policy: 'prefer-local' }, { prompt: 'Hi', maxTokens: 4 }, 'remote/no_local_model'],
    ['prefer-local, weights over device memory → remote', { model: { ...model, bytes: 3e9 }, ...testRemote(), capabilities: { deviceMemoryGiB: 2 } }, { prompt: 'Hi', maxTokens: 4 }, 'remote/memory'],
    ['prefer-local, weights over the storage left → remote', { model: { ...model, id: 'tiny-llama-uncached', bytes: 5e8 }, ...testRemote(), capabilities: { storage: { quota: 1e9, usage: 9e8 } } }, { prompt: 'Hi', maxTokens: 4 }, 'remote/storage'],
    ['prefer-local, prompt over the context (estimate before load) → remote', { model, ...testRemote() }, { prompt: 'lorem ipsum dolor sit amet '.repeat(100), maxTokens: 4 }, 'remote/context_overflow'],
    ['prefer-local, the local model fails to load → remote', { model: { id: 'missing', url: `${MODEL_SERVER}/fixtures/no-such-model/` }, ...testRemote() }, { prompt: 'Hi', maxTokens: 4 }, 'remote/local_load_failed'],
    ['remote-only without a remote → typed error', { model, policy: 'remote-only' }, { prompt: 'Hi' }, 'remote_not_configured'],
    ['per-request policy overrides the engine\'s', { model, ...testRemote() }, { prompt: 'Hi', maxTokens: 4, policy: 'remote-only' }, 'remote/remote_only'],
    ['custom route', { model, ...testRemote(), route: () => 'remote' }, { prompt: 'Hi', maxTokens: 4 }, 'remote/custom'],
  ];
  for (const [name, options, req, expected] of cases) {
    it(`${name}: ${expected}`, async () => {
      const r = await run(options, req);
      assertEqual(where(r), expected, `where it ran and why (${r.finish?.route.detail ?? ''})`);
      const remoteCalls = (await chatCalls()).length;
      assertEqual(remoteCalls > 0, r.finish?.ranOn === 'remote', 'the server saw a request exactly when the answer says remote');
      if (r.finish?.ranOn === 'remote') assert(r.text.startsWith('Echo: '), 'the text is the server\'s');
    });
  }

  it('prefer-local, prompt over the context after load (exact token count) → remote', async () => {
    const engine = createEngine({ model, ...testRemote(), cache: false });
    try {
      await engine.load();
      // ~190 characters: under the pre-load estimate's threshold, over 256 tokens of the byte-level fixture tokenizer.
      const prompt = 'zq'.repeat(150);
      let finish: FinishPart | undefined;
      for await (const p of engine.generate({ prompt, maxTokens: 4 })) if (p.type === 'finish') finish = p;
      assertEqual(`${finish?.ranOn}/${finish?.route.reason}`, 'remote/context_overflow', finish?.route.detail ?? '');
    } finally {
      await engine.dispose();
    }
  });

  it('the latency budget sends a request remote once the measured local speed says it would be too slow', async () => {
    const engine = createEngine({ model, ...testRemote(), cache: false });
    try {
      for (let i = 0; i < 3; i++) await engine.text({ prompt: 'Hi', maxTokens: 16 });
      let finish: FinishPart | undefined;
      for await (const p of engine.generate({ prompt: 'Hi', maxTokens: 200, maxLocalLatencyMs: 1 })) if (p.type === 'finish') finish = p;
      assertEqual(`${finish?.ranOn}/${finish?.route.reason}`, 'remote/latency_budget', finish?.route.detail ?? '');
      const stats = engine.stats();
      assertEqual([stats.byRoute.wasm?.requests, stats.byRoute.remote?.requests], [3, 1], 'stats per route');
      assert((stats.byRoute.remote?.cost ?? 0) > 0 && stats.currency === 'USD', 'remote cost from the configured prices');
    } finally {
      await engine.dispose();
    }
  });

  it('prefer-remote: the remote fails before its first token (503 past the retries) → local answers, route says so', async () => {
    await remoteFaults([{ match: '/chat/completions', status: 503, times: 3 }]);
    const r = await run({ model, ...testRemote({ maxRetries: 2 }), policy: 'prefer-remote' }, { prompt: 'Hi', maxTokens: 4 });
    assertEqual(where(r), 'wasm/remote_failed', 'failed over to local');
    assertEqual(r.finish?.route.failover?.code, 'remote_http_error', 'what failed');
    assertEqual((await chatCalls()).length, 3, 'one try and two retries');
  });

  it('a remote stream dropped after its first token ends with a typed error: no failover, no splice, no duplicate', async () => {
    await remoteFaults([{ match: '/chat/completions', dropAfterChunks: 2, times: 1 }]);
    const r = await run({ model, ...testRemote(), policy: 'prefer-remote' }, { prompt: 'Hello there', maxTokens: 50 });
    assertEqual(r.code, 'remote_network_error', 'typed error');
    assert(r.text.length > 0 && 'Echo: Hello there'.startsWith(r.text), `only the remote's own text, once (${JSON.stringify(r.text)})`);
    assertEqual((await chatCalls()).length, 1, 'no retry after the first token');
  });

  it('429 with Retry-After is retried after the wait, then succeeds; the token function runs once per attempt', async () => {
    await remoteFaults([{ match: '/chat/completions', status: 429, headers: { 'retry-after': '1' }, times: 1 }]);
    const t = testRemote();
    const t0 = performance.now();
    const r = await run({ ...t, policy: 'remote-only' }, { prompt: 'Hi', maxTokens: 4 });
    assertEqual(where(r), 'remote/remote_only', 'succeeded');
    assert(performance.now() - t0 >= 900, 'waited for Retry-After');
    const calls = await chatCalls();
    assertEqual(calls.length, 2, 'one retry');
    assert(calls.every((c) => /^Bearer tok-\d+$/.test(c.headers['authorization'] ?? '')), 'a bearer token from the token function on every attempt');
  });

  it('401 is not retried and ends typed remote_unauthorized with the server\'s error body', async () => {
    await remoteFaults([{ match: '/chat/completions', status: 401, times: 1 }]);
    const engine = createEngine({ ...testRemote(), policy: 'remote-only' });
    try {
      let err: unknown;
      try { await engine.text({ prompt: 'Hi' }); } catch (e) { err = e; }
      assert(isEdgewiseError(err) && err.code === 'remote_unauthorized', `typed 401 (${String(err)})`);
      assertEqual(err.details['status'], 401, 'status in details');
      assert(JSON.stringify(err.details['body']).includes('Injected 401'), 'the server\'s error body in details');
      assertEqual((await chatCalls()).length, 1, 'not retried');
    } finally {
      await engine.dispose();
    }
  });

  it('text() uses a non-streaming request; chat.completions.create returns OpenAI shapes with the route', async () => {
    const engine = createEngine({ ...testRemote(), policy: 'remote-only' });
    try {
      assertEqual(await engine.text({ prompt: 'Hi there' }), 'Echo: Hi there', 'text');
      assertEqual((await chatCalls())[0]?.body && (await chatCalls())[0]?.body !== null ? ((await chatCalls())[0]?.body as { stream?: boolean }).stream : 'none', false, 'stream: false on the wire');
      const c = await engine.chat.completions.create({ messages: [{ role: 'user', content: 'Yo' }] });
      assertEqual(c.choices[0]?.message.content, 'Echo: Yo', 'completion content');
      assertEqual(c.edgewise.ranOn, 'remote', 'where');
      assert(c.usage.prompt_tokens > 0 && c.edgewise.cost !== undefined, 'usage and cost');
    } finally {
      await engine.dispose();
    }
  });
});

/**
 * Edge ↔ cloud costs (issue 7): what a routing decision costs, what redacting a 2 KB
 * prompt costs, and the remote path's overhead over a raw `fetch` of the very same SSE
 * stream from the OpenAI-compatible test server (interleaved runs, medians).
 */
import { createEngine } from '/dist/edgewise.js';
import { createRedactionSession } from '../../src/privacy/index.js';
import { decideRoute, type RouteInput } from '../../src/route/router.js';
import { PII_CORPUS } from '../corpus/pii.js';
import { type BenchConfig, log, median, now, round } from './util.js';

const ROUTE_INPUT: RouteInput = {
  policy: 'prefer-local',
  maxTokens: 256,
  maxLocalLatencyMs: 4000,
  promptChars: 2048,
  candidates: [
    { side: 'local', ranOn: 'wasm', loaded: true, contextLength: 8192, promptTokens: 700, weightBytes: 2e8, cached: true, speed: { prefillTokensPerSecond: 300, decodeTokensPerSecond: 20, samples: 5 } },
    { side: 'remote', ranOn: 'remote', loaded: true },
  ],
  capabilities: { threads: true, cores: 8, storageManager: true, deviceMemoryGiB: 8, storage: { quota: 1e10, usage: 1e9 }, online: true },
};

/** A 2 KB prompt with a realistic sprinkle of personal data (a dozen items from the corpus). */
function prompt2k(): string {
  const filler = 'Please summarise the thread below and draft a polite reply that confirms the meeting. ';
  let out = '';
  for (let i = 0; out.length < 2048; i++) out += i % 3 === 0 ? `${PII_CORPUS[(i * 7) % PII_CORPUS.length]?.context ?? ''} ` : filler;
  return out.slice(0, 2048);
}

function perCall(n: number, f: () => void): number {
  for (let i = 0; i < Math.min(n, 200); i++) f();
  const samples: number[] = [];
  for (let r = 0; r < 7; r++) {
    const t0 = now();
    for (let i = 0; i < n; i++) f();
    samples.push((now() - t0) / n);
  }
  return median(samples) ?? NaN;
}

async function rawFetch(url: string, body: unknown): Promise<{ ms: number; ttfbMs: number }> {
  const t0 = now();
  const res = await fetch(`${url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer t' }, body: JSON.stringify(body) });
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  let ttfbMs = 0;
  for (;;) {
    const { done } = await reader.read();
    if (!ttfbMs) ttfbMs = now() - t0;
    if (done) break;
  }
  return { ms: now() - t0, ttfbMs };
}

async function faults(url: string, list: unknown[]): Promise<void> {
  await fetch(new URL('/__ctl/faults', url), { method: 'POST', body: JSON.stringify(list) });
}

export async function edgeCloudBench(cfg: BenchConfig & { remoteUrl: string }): Promise<unknown> {
  const decisionMs = perCall(20_000, () => void decideRoute(ROUTE_INPUT));
  const text = prompt2k();
  const redactMs = perCall(200, () => {
    const s = createRedactionSession();
    s.redactMessages([{ role: 'user', content: text }]);
  });
  log(`routing: ${round(decisionMs * 1000, 2)} µs per decision; redaction of a 2 KB prompt: ${round(redactMs, 3)} ms`);

  const content = 'word '.repeat(400);
  const runs = cfg.genRuns * 2;
  const overhead: Record<string, unknown> = {};
  const engine = createEngine({ remote: { baseURL: cfg.remoteUrl, model: 'bench', token: async () => 't' }, policy: 'remote-only', redact: false });
  for (const [label, pace] of [['paced 5 ms per chunk', 5], ['unpaced (worst case)', 0]] as const) {
    await faults(cfg.remoteUrl, [{ match: '/chat/completions', chunkSize: 8, ...(pace ? { chunkDelayMs: pace } : {}) }]);
    const body = { model: 'bench', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content }], max_tokens: 100_000 };
    const raw: number[] = [];
    const sdk: number[] = [];
    const sdkTtft: number[] = [];
    const rawTtfb: number[] = [];
    await rawFetch(cfg.remoteUrl, body);
    await engine.text({ messages: [{ role: 'user', content }], maxTokens: 100_000 });
    for (let r = 0; r < runs; r++) {
      const a = await rawFetch(cfg.remoteUrl, body);
      raw.push(a.ms);
      rawTtfb.push(a.ttfbMs);
      const t0 = now();
      let first = 0;
      for await (const p of engine.generate({ messages: [{ role: 'user', content }], maxTokens: 100_000 })) if (p.type === 'text' && !first) first = now() - t0;
      sdk.push(now() - t0);
      sdkTtft.push(first);
    }
    const rawMs = median(raw) ?? NaN;
    const sdkMs = median(sdk) ?? NaN;
    overhead[label] = {
      chunks: Math.ceil((`Echo: ${content}`).length / 8),
      rawFetchMs: round(rawMs, 1), sdkMs: round(sdkMs, 1), overheadPct: round((sdkMs / rawMs - 1) * 100, 1),
      rawFirstByteMs: round(median(rawTtfb), 1), sdkFirstTextMs: round(median(sdkTtft), 1), runs,
    };
    log(`remote path, ${label}: raw fetch ${round(rawMs, 1)} ms, SDK ${round(sdkMs, 1)} ms (${round((sdkMs / rawMs - 1) * 100, 1)}%)`);
  }
  await faults(cfg.remoteUrl, []);
  await engine.dispose();
  return {
    routingDecisionMs: round(decisionMs, 5), routingTargetMs: 1,
    redaction2kbMs: round(redactMs, 3), redactionTargetMs: 2,
    remoteOverhead: overhead, remoteOverheadTargetPct: 5,
  };
}

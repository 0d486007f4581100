// The `cpu` bench part, Node side (run.mjs calls runCpuPart). It drives cpu-bench.ts in fresh
// pages: one per thread count for speed (a page's transformers.js runtime and a worker's
// onnxruntime have their thread count fixed once started), one per weight form for memory,
// each in its own browser context (so its own renderer process and an empty IndexedDB), and
// one for the quality guard. It also builds the fp32 reference file, reads the renderer's
// memory from /proc, holds the native llama.cpp peer (native-llama.mjs) for each speed page,
// and prints the summary table on stderr.
import { sdkWorkers } from './sdk-workers.mjs';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openNative } from './native-llama.mjs';
import { WASM_MEMORY_HOOK } from './wasm-memory-hook.mjs';
import { descendants, isRenderer, procStat, rss } from './proc.mjs';

const MB = 1e6;
const r1 = (x) => (typeof x === 'number' && Number.isFinite(x) ? Math.round(x * 10) / 10 : null);
const r2 = (x) => (typeof x === 'number' && Number.isFinite(x) ? Math.round(x * 100) / 100 : null);
const mb = (b) => (typeof b === 'number' ? r1(b / MB) : null);

/**
 * The float32 file of the bench model, as a same-origin URL of the bench site: the fixture's
 * own `onnx/model.onnx` where it has one (tiny-llama), else the one node/fp32-fixture.ts
 * writes under test/bench/.fixtures (generated in a few seconds, kept while the q4 stamp holds).
 */
export function ensureFp32(root, model, say) {
  const tsx = join(root, 'node_modules', '.bin', 'tsx');
  const r = spawnSync(tsx, [join(root, 'test', 'bench', 'node', 'fp32-fixture.ts'), model], { cwd: root, encoding: 'utf8' });
  if (r.stderr) say(r.stderr.trim().split('\n').filter((l) => !l.startsWith('npm warn')).join('\n'));
  if (r.status !== 0) throw new Error(`node/fp32-fixture.ts failed (${r.status ?? r.signal}): ${r.stderr}`);
  const path = r.stdout.trim().split('\n').pop();
  const fixtures = join('test', 'fixtures', 'out') + sep;
  const bench = join('test', 'bench', '.fixtures') + sep;
  if (path.startsWith(fixtures)) return `/fixtures/${path.slice(fixtures.length).split(sep).join('/')}`;
  if (path.startsWith(bench)) return `/bench-fixtures/${path.slice(bench.length).split(sep).join('/')}`;
  throw new Error(`unexpected fp32 path ${path}`);
}

// ---------------------------------------------------------------------------------------
// The browser's processes (proc.mjs)

/** Cores the browser's processes used over `ms`: a loaded runtime that spins its idle threads shows here. */
async function browserCores(rootPid, ms) {
  const total = () => [rootPid, ...descendants(rootPid)].reduce((a, p) => { try { return a + procStat(p).ticks; } catch { return a; } }, 0);
  const a = total();
  await new Promise((ok) => setTimeout(ok, ms));
  return r2((total() - a) / 100 / (ms / 1000));
}

// ---------------------------------------------------------------------------------------

async function benchPage(context, siteUrl, say, tag) {
  const page = await context.newPage();
  page.on('console', (m) => {
    const text = m.text();
    if (text.startsWith('[bench]')) say(text);
    else if (m.type() === 'error' || m.type() === 'warn') say(`  ${tag} page ${m.type()}: ${text.slice(0, 500)}`);
  });
  page.on('pageerror', (e) => say(`  ${tag} page error: ${e?.message ?? e}`));
  page.on('response', (r) => { if (r.status() >= 400) say(`  ${tag} page: HTTP ${r.status()} for ${r.url()}`); });
  await page.goto(`${siteUrl}/bench/index.html`, { waitUntil: 'load' });
  await page.waitForFunction(() => typeof window.runCpuSpeed === 'function', { timeout: 60_000 });
  return page;
}

/**
 * The memory hooks of one page (window.benchCpuMemory). Only the SDK's own worker is asked:
 * onnxruntime's thread workers sit in Atomics.wait and never answer the protocol.
 * - snapshot: collects the SDK worker's garbage, then Runtime.getHeapUsage on it (usedSize:
 *   the live JS heap; backingStorageSize: ArrayBuffer backing stores and external strings)
 *   and on the page, and the renderer process's VmRSS / VmHWM from /proc.
 * - start / stop: samples the SDK worker's heap every 100 ms (the peak JS heap during load
 *   and generation: garbage not yet collected counts, as it occupies memory) and returns
 *   the peaks, with the renderer's VmHWM (its peak RSS since the process started).
 */
async function exposeMemoryHooks(page, renderer) {
  const pageClient = await page.createCDPSession();
  const sdk = () => sdkWorkers(page);
  const usage = async (client) => client.send('Runtime.getHeapUsage').then(
    (u) => ({ usedBytes: u.usedSize, totalHeapBytes: u.totalSize, backingStorageBytes: u.backingStorageSize ?? null }),
    () => null,
  );
  /**
   * Bytes of every WebAssembly.Memory the SDK worker holds: onnxruntime's heap (weights, KV
   * cache, arena), shared with its thread workers and counted once. The first snapshot
   * (after the worker started, before load() imports onnxruntime) wraps the worker's
   * WebAssembly.Memory constructor and WebAssembly.instantiate(Streaming) to remember each
   * memory (a WeakRef: the wrappers change nothing else); later snapshots read the current
   * byteLength. WASM memory never shrinks, so this is also its peak. (Runtime.queryObjects
   * would find them without a hook, but it never answers in these workers.)
   */
  const READ = `[...new Set((globalThis.__benchWasmMemories ?? []).map((r) => r.deref()).filter(Boolean))].map((m) => m.buffer.byteLength)`;
  const wasmMemory = async (client) => {
    try {
      const hooked = await client.send('Runtime.evaluate', { expression: WASM_MEMORY_HOOK, returnByValue: true });
      if (hooked.exceptionDetails) throw new Error(hooked.exceptionDetails.text);
      const r = await client.send('Runtime.evaluate', { expression: READ, returnByValue: true });
      if (r.exceptionDetails) throw new Error(r.exceptionDetails.text);
      return r.result.value;
    } catch (e) {
      return { error: String(e?.message ?? e) };
    }
  };
  let timer;
  let busy = false;
  let peak;
  const sample = async () => {
    if (busy) return;
    busy = true;
    try {
      for (const w of await sdk()) {
        const u = await usage(w.client);
        if (!u) continue;
        const wasm = await wasmMemory(w.client);
        const wasmBytes = Array.isArray(wasm) ? wasm.reduce((a, b) => a + b, 0) : 0;
        peak.samples++;
        peak.jsHeapBytes = Math.max(peak.jsHeapBytes, u.usedBytes);
        peak.backingStorageBytes = Math.max(peak.backingStorageBytes, u.backingStorageBytes ?? 0);
        peak.heapPlusBackingBytes = Math.max(peak.heapPlusBackingBytes, u.usedBytes + (u.backingStorageBytes ?? 0));
        peak.wasmMemoryBytes = Math.max(peak.wasmMemoryBytes, wasmBytes);
        peak.totalBytes = Math.max(peak.totalBytes, u.usedBytes + (u.backingStorageBytes ?? 0) + wasmBytes);
      }
      const p = renderer();
      if (p) peak.rendererRssBytes = Math.max(peak.rendererRssBytes, p.rssBytes);
    } finally {
      busy = false;
    }
  };
  await page.exposeFunction('benchCpuMemory', async (what) => {
    if (process.env.BENCH_DEBUG === '1') process.stderr.write(`benchCpuMemory ${what}\n`);
    if (what === 'snapshot') {
      const workers = [];
      for (const w of await sdk()) {
        await w.client.send('HeapProfiler.collectGarbage').catch(() => undefined);
        const u = await usage(w.client);
        const wasm = await wasmMemory(w.client);
        const wasmBytes = Array.isArray(wasm) ? wasm.reduce((a, b) => a + b, 0) : null;
        workers.push(u && { ...u, wasmMemoryBytes: wasmBytes, wasmMemories: wasm, totalBytes: wasmBytes === null ? null : u.usedBytes + (u.backingStorageBytes ?? 0) + wasmBytes });
      }
      return { sdkWorker: workers.length === 1 ? workers[0] : workers, page: await usage(pageClient), renderer: renderer() };
    }
    if (what === 'start') {
      // Each pass's own peak RSS: writing 5 to clear_refs resets the process's VmHWM (Linux).
      const pid = renderer()?.pid;
      let peakRssReset = false;
      try { if (pid) { writeFileSync(`/proc/${pid}/clear_refs`, '5'); peakRssReset = true; } } catch { /* not allowed: the peak covers the process's life */ }
      peak = { samples: 0, jsHeapBytes: 0, backingStorageBytes: 0, heapPlusBackingBytes: 0, wasmMemoryBytes: 0, totalBytes: 0, rendererRssBytes: 0, peakRssReset };
      await sample();
      timer = setInterval(() => void sample(), 100);
      return {};
    }
    clearInterval(timer);
    await sample();
    const now = renderer();
    // VmHWM is only brought up to date when RSS falls, so it can lag the current VmRSS: the
    // peak is the largest of the two and of what the sampler saw.
    const peakRssBytes = Math.max(peak.rendererRssBytes, now?.rssBytes ?? 0, now?.peakRssBytes ?? 0);
    const { rendererRssBytes: _r, peakRssReset, ...worker } = peak;
    return { sdkWorker: worker, renderer: { ...now, peakRssBytes, peakRssSince: peakRssReset ? 'start of this pass' : 'start of the process' } };
  });
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const list = (v, fallback) => (v || fallback).split(',').map((x) => x.trim()).filter(Boolean);

/**
 * The llama.cpp peers and the long-prompt rounds (issue 19), from the environment:
 * BENCH_CPU_PEERS (wllamaQ8,wllamaQ4,nativeQ8,nativeQ4), BENCH_CPU_PROMPTS (68,512,1024;
 * BENCH_QUICK: 68,512), BENCH_CPU_PROMPT_THREADS (2), BENCH_CPU_PROMPT_RUNS (5; quick: 2),
 * BENCH_CPU_PROMPT_PEERS (the peers that also take the long prompts: nativeQ8).
 */
function peerSettings(siteUrl, config) {
  const env = process.env;
  const quick = env.BENCH_QUICK === '1';
  const longPrompts = list(env.BENCH_CPU_PROMPTS, quick ? '68,512' : '68,512,1024').map(Number).filter((n) => n > 0).sort((a, b) => a - b);
  const gguf = (name) => `${siteUrl}/fixtures/${config.model}/gguf/model-${name}.gguf`;
  return {
    peers: {
      ggufUrls: { q8_0: gguf('q8_0'), q4_0: gguf('q4_0') },
      wllamaWasmUrl: `${siteUrl}/wllama/wllama.wasm`,
      peers: list(env.BENCH_CPU_PEERS, 'wllamaQ8,wllamaQ4,nativeQ8,nativeQ4'),
      // The longest prompt, its tokens and room to spare (the fixture's context is 2,048).
      contextSize: Math.min(2048, Math.max(...longPrompts, 68) + config.maxTokens + 64),
    },
    longPrompts,
    longPromptThreads: list(env.BENCH_CPU_PROMPT_THREADS, '2').map(Number),
    longPromptRuns: Number(env.BENCH_CPU_PROMPT_RUNS || (quick ? 2 : 5)),
    longPromptPeers: list(env.BENCH_CPU_PROMPT_PEERS, 'nativeQ8'),
  };
}

/** The native peer for one speed page, reached from it as window.benchNative. */
async function exposeNative(page, cpu, config, threads, say) {
  const want = cpu.peers.peers.filter((k) => k.startsWith('native')).map((k) => (k.endsWith('Q8') ? 'q8_0' : 'q4_0'));
  if (want.length === 0) return null;
  const dir = join(ROOT, 'test', 'fixtures', 'out', config.model, 'gguf');
  const native = await openNative({ files: Object.fromEntries(want.map((n) => [n, join(dir, `model-${n}.gguf`)])), threads, contextSize: cpu.peers.contextSize, say });
  if (native.skipped) say(`bench: native llama.cpp skipped: ${native.skipped}`);
  await page.exposeFunction('benchNative', async (req) => {
    if (native.skipped) return { skipped: native.skipped };
    if (req.op === 'info') return { info: native.info, models: Object.fromEntries(Object.entries(native.models).map(([k, m]) => [k, { loadMs: m.loadMs, threads: m.threads, file: `gguf/model-${k}.gguf` }])) };
    return native.models[req.model].run(req.promptIds, req.tokens);
  });
  return native;
}

/**
 * @param {{ browser: import('puppeteer-core').Browser, siteUrl: string, config: object, pageConfig: object, say: (l: string) => void }} o
 */
export async function runCpuPart({ browser, siteUrl, config, pageConfig, say }) {
  const browserPid = browser.process()?.pid;
  const cfg = { ...pageConfig, cpu: { ...pageConfig.cpu, ...peerSettings(siteUrl, config) } };
  const out = { settings: { threads: config.cpuThreads, forms: config.cpuForms, runs: config.genRuns, tokens: config.maxTokens, fp32Url: cfg.cpu.fp32Url, q4Url: cfg.cpu.q4Url, peers: cfg.cpu.peers, longPrompts: cfg.cpu.longPrompts, longPromptThreads: cfg.cpu.longPromptThreads, longPromptRuns: cfg.cpu.longPromptRuns, longPromptPeers: cfg.cpu.longPromptPeers } };
  const t0 = Date.now();

  // 1. Speed, one fresh page per thread count (and the native peer at that thread count).
  out.speed = {};
  for (const threads of config.cpuSteps.includes('speed') ? config.cpuThreads : []) {
    const page = await benchPage(browser.defaultBrowserContext(), siteUrl, say, `cpu ${threads}T`);
    await page.exposeFunction('benchCpuIdle', (ms) => (browserPid ? browserCores(browserPid, ms) : null));
    const native = await exposeNative(page, cfg.cpu, config, threads, say);
    // Others' work on the shared 2 cores shows in the load average (the bench itself adds ~1-2).
    const load = () => loadavg().map((x) => r2(x));
    const loadBefore = load();
    try {
      out.speed[`${threads}T`] = await page.evaluate((c, t) => window.runCpuSpeed(c, t), cfg, threads);
      out.speed[`${threads}T`].loadAverage = { before: loadBefore, after: load() };
    } finally {
      await page.close();
      await native?.dispose?.();
    }
  }
  out.speedSeconds = Math.round((Date.now() - t0) / 1000);

  // 2. Memory, one browser context (renderer process, IndexedDB) per form.
  const t1 = Date.now();
  out.memory = {};
  for (const form of config.cpuSteps.includes('memory') ? config.cpuForms : []) {
    const context = await browser.createBrowserContext();
    try {
      const before = new Set(browserPid ? descendants(browserPid) : []);
      const page = await benchPage(context, siteUrl, say, `memory ${form}`);
      // The page's renderer: the new renderer process with the most resident memory (a spare
      // renderer the browser keeps warm may also be new, but holds almost nothing).
      const renderer = () => {
        if (!browserPid) return null;
        const fresh = descendants(browserPid).filter((p) => !before.has(p) && isRenderer(p)).map(rss).filter(Boolean);
        return fresh.sort((a, b) => b.rssBytes - a.rssBytes)[0] ?? null;
      };
      await exposeMemoryHooks(page, renderer);
      out.memory[form] = await page.evaluate((c, f) => window.runCpuMemory(c, f), cfg, form);
    } finally {
      await context.close();
    }
  }
  out.memorySeconds = Math.round((Date.now() - t1) / 1000);

  // 3. Quality guard (stories260K).
  const t2 = Date.now();
  if (config.cpuSteps.includes('quality')) {
    const page = await benchPage(browser.defaultBrowserContext(), siteUrl, say, 'quality');
    try {
      out.quality = await page.evaluate((c) => window.runCpuQuality(c), cfg);
    } finally {
      await page.close();
    }
  }
  out.qualitySeconds = Math.round((Date.now() - t2) / 1000);

  out.ratios = ratios(out.speed);
  out.longPrompts = Object.fromEntries(Object.entries(out.speed).filter(([, s]) => s?.longPrompts).map(([t, s]) => [t, s.longPrompts]));
  out.acceptance = acceptance(out.ratios, out.longPrompts);
  out.memorySummary = memorySummary(out.memory);
  out.whatIsMeasured = WHAT;
  return out;
}

const WHAT = {
  speed: 'Medians over the runs. ttftMs: edgewise = usage.timeToFirstTokenMs (worker clock, generate() call to first sampled token, tokenization included); transformers.js = before tokenization to the streamer\'s first token; raw = prefill session.run + argmax from its own clock (prompt ids precomputed). decodeTokPerSec = (tokens - 1) / (last token - first token). edgewise runs with default options (wasmWeights auto); raw loops use edgewise\'s onnxruntime-web 1.30, transformers.js its own 1.31-dev. Peers on GGUF files of the same weights: wllama 3.8.1 in the page (text prompt, 68 tokens by usage.prompt_tokens; ttft = createCompletion call to the first streamed token; decode over first to last token chunk; byte tokens >= 0x80 banned, see README) and native llama.cpp (node-llama-cpp 3.21.1 in the bench\'s Node process; prompt ids; timed in Node). longPrompts: ttft of a 2-token run at each prompt length, medians of interleaved rounds.',
  memory: 'Per form: the edgewise SDK worker with wasmWeights = form, a fresh browser context (empty IndexedDB: the first load fetches over HTTP and runs the transform; `cached` is a second engine reading the stored result). devtools.sdkWorker, after a forced GC in that worker: usedBytes = live JS heap (Runtime.getHeapUsage usedSize), backingStorageBytes = ArrayBuffer backing stores (backingStorageSize; excludes WASM memory), wasmMemoryBytes = byteLength of every WebAssembly.Memory the worker holds (Runtime.queryObjects; ORT\'s heap: weights, KV cache, arena; shared with ORT\'s thread workers, counted once; never shrinks, so also its peak), totalBytes = the sum. peaks.sdkWorker: largest usedSize, backingStorageSize, WASM memory and their sum (totalBytes) sampled every 100 ms through load and one generation (uncollected garbage included; a worker busy in one long task answers late, so short spikes can be missed). renderer: VmRSS / peak RSS (max of VmHWM and samples) of the page\'s renderer process: page + SDK worker + ORT threads, resident pages only; the page alone (transformers.js bundle) is rendererRssMBBeforeLoad. measureUserAgentSpecificMemory (only at 1 thread: ORT\'s thread workers never answer it, it waits 60 s for them) attributes the same JS heap + array buffers + WASM memory to the SDK worker and cross-checks totalBytes.',
};

function ratios(speed) {
  const at = (t) => speed?.[`${t}T`];
  const ratio = (a, b) => (typeof a === 'number' && typeof b === 'number' && a > 0 && b > 0 ? r2(a / b) : null);
  const out = {};
  for (const t of Object.keys(speed ?? {}).map((k) => Number.parseInt(k, 10))) {
    const s = at(t);
    out[`${t}T`] = {
      edgewiseOverTjsDecode: ratio(s.edgewise?.decodeTokPerSec, s.transformersjs?.decodeTokPerSec),
      edgewiseOverTjsTtft: ratio(s.edgewise?.ttftMs, s.transformersjs?.ttftMs),
      edgewiseOverRawFp32Decode: ratio(s.edgewise?.decodeTokPerSec, s.rawFp32?.decodeTokPerSec),
      edgewiseOverRawQ4Decode: ratio(s.edgewise?.decodeTokPerSec, s.rawQ4?.decodeTokPerSec),
      // The SDK's own cost on top of the runtime, when edgewise runs the int8 form.
      edgewiseOverRawInt8Decode: ratio(s.edgewise?.decodeTokPerSec, s.rawInt8?.decodeTokPerSec),
      edgewiseOverRawInt8Ttft: ratio(s.edgewise?.ttftMs, s.rawInt8?.ttftMs),
      rawInt8OverRawFp32Decode: ratio(s.rawInt8?.decodeTokPerSec, s.rawFp32?.decodeTokPerSec),
      rawFp32OverRawQ4Decode: ratio(s.rawFp32?.decodeTokPerSec, s.rawQ4?.decodeTokPerSec),
      // The llama.cpp peers on the GGUF files of the same weights (issue 19).
      edgewiseOverNativeQ8Decode: ratio(s.edgewise?.decodeTokPerSec, s.nativeQ8?.decodeTokPerSec),
      edgewiseOverNativeQ4Decode: ratio(s.edgewise?.decodeTokPerSec, s.nativeQ4?.decodeTokPerSec),
      edgewiseOverWllamaQ8Decode: ratio(s.edgewise?.decodeTokPerSec, s.wllamaQ8?.decodeTokPerSec),
      edgewiseOverWllamaQ4Decode: ratio(s.edgewise?.decodeTokPerSec, s.wllamaQ4?.decodeTokPerSec),
      edgewiseOverNativeQ8Ttft: ratio(s.edgewise?.ttftMs, s.nativeQ8?.ttftMs),
      edgewiseOverWllamaQ8Ttft: ratio(s.edgewise?.ttftMs, s.wllamaQ8?.ttftMs),
    };
  }
  out.note = 'decode ratios > 1: the first decodes faster; ttft ratio < 1: edgewise answers sooner';
  return out;
}

/**
 * Issue 19's acceptance ratios, each at the thread count the issue names: decode
 * edgewise ÷ transformers.js (2T, ≥ 7), ÷ the raw fp32 loop (2T, ≥ 1.2), ÷ native llama.cpp
 * q8_0 (1T, ≥ 0.5), ÷ wllama q8_0 (2T, ≥ 1.5); TTFT edgewise ÷ transformers.js at 68 and
 * 1,024 prompt tokens (2T long-prompt rounds, ≤ 0.3).
 */
function acceptance(r, long) {
  const row = (name, at, value, op, target) => ({ name, at, value: value ?? null, target: `${op} ${target}`, met: typeof value === 'number' ? (op === '>=' ? value >= target : value <= target) : null });
  const lp = long?.['2T']?.edgewiseOverTjsTtft ?? {};
  return [
    row('decode edgewise / transformers.js', '2T', r?.['2T']?.edgewiseOverTjsDecode, '>=', 7),
    row('decode edgewise / raw fp32 loop', '2T', r?.['2T']?.edgewiseOverRawFp32Decode, '>=', 1.2),
    row('decode edgewise / native llama.cpp q8_0', '1T', r?.['1T']?.edgewiseOverNativeQ8Decode, '>=', 0.5),
    row('decode edgewise / wllama q8_0', '2T', r?.['2T']?.edgewiseOverWllamaQ8Decode, '>=', 1.5),
    row('TTFT edgewise / transformers.js, 68-token prompt', '2T', lp['68'], '<=', 0.3),
    row('TTFT edgewise / transformers.js, 1,024-token prompt', '2T', lp['1024'], '<=', 0.3),
  ];
}

function memorySummary(memory) {
  const out = {};
  for (const [form, m] of Object.entries(memory ?? {})) {
    for (const pass of ['first', 'cached']) {
      const p = m?.[pass];
      if (!p) continue;
      const w = (x) => x?.devtools?.sdkWorker;
      const u = (x) => x?.measureUserAgentSpecificMemory;
      out[pass === 'first' ? form : `${form} (cached)`] = {
        ranAs: p.weights ? `${p.weights.form} (transform ${p.weights.transform}${p.weights.transformMs ? `, ${Math.round(p.weights.transformMs)} ms` : ''})` : 'unknown (no weights info)',
        threads: p.threads ?? p.requestedThreads,
        weightsMB: mb(p.weights?.bytes),
        loadMs: p.loadMs,
        workerMBAfterLoad: mb(w(p.afterLoad)?.totalBytes),
        workerMBAfterGenerate: mb(w(p.afterGenerate)?.totalBytes),
        wasmMB: mb(w(p.afterGenerate)?.wasmMemoryBytes),
        jsHeapMBAfterGenerate: mb(w(p.afterGenerate)?.usedBytes),
        arrayBuffersMBAfterGenerate: mb(w(p.afterGenerate)?.backingStorageBytes),
        peakJsHeapMB: mb(p.peaks?.sdkWorker?.jsHeapBytes),
        peakJsHeapPlusArrayBuffersMB: mb(p.peaks?.sdkWorker?.heapPlusBackingBytes),
        // Largest JS heap + array buffers + WASM memory seen at one sample.
        peakWorkerMB: mb(p.peaks?.sdkWorker?.totalBytes),
        rendererRssMBBeforeLoad: mb(p.before?.devtools?.renderer?.rssBytes),
        rendererRssMBAfterLoad: mb(p.afterLoad?.devtools?.renderer?.rssBytes),
        rendererRssMBAfterGenerate: mb(p.afterGenerate?.devtools?.renderer?.rssBytes),
        rendererPeakRssMB: mb(p.peaks?.renderer?.peakRssBytes),
        ...(typeof u(p.afterGenerate)?.sdkWorkerBytes === 'number' ? { uasmWorkerMBAfterLoad: mb(u(p.afterLoad)?.sdkWorkerBytes), uasmWorkerMBAfterGenerate: mb(u(p.afterGenerate)?.sdkWorkerBytes) } : {}),
      };
    }
  }
  return out;
}

/** The human-readable summary (stderr). */
export function printCpuTable(cpu, say) {
  if (!cpu) return;
  const pad = (s, n) => String(s ?? '–').padEnd(n);
  const padL = (s, n) => String(s ?? '–').padStart(n);
  say('');
  say('cpu: decode tok/s | TTFT ms (medians)');
  const names = [['edgewise', 'edgewise (default)'], ['transformersjs', 'transformers.js q4'], ['rawQ4', 'raw ORT q4 file'], ['rawInt8', 'raw ORT int8 form'], ['rawFp32', 'raw ORT fp32 file'],
    ['wllamaQ8', 'wllama q8_0'], ['wllamaQ4', 'wllama q4_0'], ['nativeQ8', 'llama.cpp q8_0'], ['nativeQ4', 'llama.cpp q4_0']];
  const threads = Object.keys(cpu.speed ?? {});
  say(`  ${pad('', 20)}${threads.map((t) => padL(`${t} tok/s`, 12) + padL(`${t} ttft`, 11)).join('')}`);
  for (const [k, label] of names) {
    say(`  ${pad(label, 20)}${threads.map((t) => padL(cpu.speed[t]?.[k]?.decodeTokPerSec, 12) + padL(cpu.speed[t]?.[k]?.ttftMs, 11)).join('')}`);
  }
  for (const t of threads) {
    const e = cpu.speed[t]?.edgewise;
    if (e?.weights) say(`  edgewise at ${t} ran ${e.weights.form} (transform ${e.weights.transform}): ${e.weights.reason}`);
    else if (e) say(`  edgewise at ${t}: the engine reports no weights info (the transform has not landed?)`);
  }
  const r = cpu.ratios?.['2T'];
  if (r) say(`  at 2 threads: edgewise/tjs decode ${r.edgewiseOverTjsDecode}, ttft ${r.edgewiseOverTjsTtft}; edgewise/raw-fp32 decode ${r.edgewiseOverRawFp32Decode}; edgewise/raw-int8-form decode ${r.edgewiseOverRawInt8Decode}, ttft ${r.edgewiseOverRawInt8Ttft}`);
  for (const t of threads) {
    const la = cpu.speed[t]?.loadAverage;
    if (la) say(`  load average (1/5/15 min) at ${t}: ${la.before.join(' ')} before, ${la.after.join(' ')} after; browser idle before the rounds: ${cpu.speed[t]?.idleCpuCores} cores`);
    const skipped = cpu.speed[t]?.peersSkipped;
    if (skipped) for (const [k, why] of Object.entries(skipped)) say(`  ${k} at ${t}: skipped: ${why}`);
  }
  for (const [t, lp] of Object.entries(cpu.longPrompts ?? {})) {
    const lengths = Object.keys(lp.byLength ?? {});
    const who = [...new Set(lengths.flatMap((n) => Object.keys(lp.byLength[n])))];
    say('');
    say(`cpu: TTFT ms by prompt length at ${t} (medians of ${lp.runs}, interleaved)`);
    say(`  ${pad('', 20)}${lengths.map((n) => padL(n, 10)).join('')}`);
    for (const k of who) say(`  ${pad(k, 20)}${lengths.map((n) => padL(lp.byLength[n]?.[k]?.ttftMs, 10)).join('')}`);
    say(`  ${pad('edgewise / tjs', 20)}${lengths.map((n) => padL(lp.edgewiseOverTjsTtft?.[n], 10)).join('')}`);
  }
  if (cpu.acceptance) {
    say('');
    say('cpu: issue 19 acceptance ratios');
    for (const a of cpu.acceptance) say(`  ${pad(a.name, 52)}${pad(a.at, 4)}${padL(a.value, 7)}  target ${pad(a.target, 7)} ${a.met === null ? 'not measured' : a.met ? 'met' : 'NOT met'}`);
  }
  say('');
  say('cpu: memory per form, MB (the edgewise worker: JS heap + array buffers + WASM memory; RSS: its renderer process)');
  say(`  ${pad('form', 17)}${pad('ran as', 30)}${padL('thr', 4)}${padL('weights', 8)}${padL('load', 8)}${padL('gen', 8)}${padL('WASM', 8)}${padL('JS gen', 8)}${padL('peak', 8)}${padL('peak JS', 9)}${padL('RSS gen', 9)}${padL('peak RSS', 10)}`);
  for (const [form, m] of Object.entries(cpu.memorySummary ?? {})) {
    say(`  ${pad(form, 17)}${pad(m.ranAs.slice(0, 29), 30)}${padL(m.threads, 4)}${padL(m.weightsMB, 8)}${padL(m.workerMBAfterLoad, 8)}${padL(m.workerMBAfterGenerate, 8)}${padL(m.wasmMB, 8)}${padL(m.jsHeapMBAfterGenerate, 8)}${padL(m.peakWorkerMB, 8)}${padL(m.peakJsHeapMB, 9)}${padL(m.rendererRssMBAfterGenerate, 9)}${padL(m.rendererPeakRssMB, 10)}`);
  }
  say('  weights: as they run (info().model.weights.bytes); load/gen: the worker after load / after one generation (after GC);');
  say('  peak: largest 100 ms sample of the same sum, garbage included; RSS: the renderer (page ~150 MB of it), peak RSS over this pass');
  say('');
  const q = cpu.quality;
  if (q?.skipped) say(`cpu: quality: ${q.skipped}`);
  else if (q?.sources) {
    say(`cpu: quality guard, stories260K, ${q.positions} positions: top-1 agreement and perplexity change against the fp32 form (transformModel) of the same file`);
    say(`  ${pad('source', 16)}${pad('int8 step', 17)}${pad('int8 window', 17)}${pad('mixed window', 17)}${pad('mixed step', 17)}| vs the fp32 file, step: ${pad('source', 15)}int8 form`);
    for (const [src, s] of Object.entries(q.sources)) {
      const f = (g) => (g ? `${(g.top1Agreement * 100).toFixed(1)}% ${g.perplexityChangePct >= 0 ? '+' : ''}${g.perplexityChangePct}%` : '–');
      say(`  ${pad(src, 16)}${pad(f(s.int8VsFp32Form?.step), 17)}${pad(f(s.int8VsFp32Form?.window), 17)}${pad(f(s.mixedVsFp32Form?.window), 17)}${pad(f(s.mixedVsFp32Form?.step), 17)}|${' '.repeat(25)}${pad(f(s.againstFp32File?.sourceAsIs?.step), 15)}${f(s.againstFp32File?.int8Form?.step)}`);
    }
    say('  mixed: int8 form with lm_head and down_proj kept in float32 (keepFp32)');
    const o = q.oracle;
    if (o) say(`  oracle: fp32 file greedy from "${o.prompt}" ${o.matches ? 'matches' : 'DOES NOT match'} the documented sample (${o.matchingPrefixChars}/${o.comparedChars} chars)`);
  }
}


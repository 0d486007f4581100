// The `cpu` bench part, Node side (run.mjs calls runCpuPart). It drives cpu-bench.ts in fresh
// pages: one per thread count for speed (a page's transformers.js runtime and a worker's
// onnxruntime have their thread count fixed once started), one per weight form for memory,
// each in its own browser context (so its own renderer process and an empty IndexedDB), and
// one for the quality guard. It also builds the fp32 reference file, reads the renderer's
// memory from /proc, and prints the summary table on stderr.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';

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
// /proc: the browser's processes

function procStat(pid) {
  const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) };
}

/** Every live process under the browser's (the zygote and its renderers included). */
function descendants(rootPid) {
  const parent = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try { parent.set(Number(d), procStat(d).ppid); } catch { /* gone */ }
  }
  const out = [];
  for (const pid of parent.keys()) {
    for (let p = pid, hops = 0; p && hops < 8; p = parent.get(p), hops++) {
      if (p === rootPid) { out.push(pid); break; }
    }
  }
  return out;
}

function isRenderer(pid) {
  try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer'); } catch { return false; }
}

/** VmRSS / VmHWM (peak RSS) of a process, in bytes. */
function rss(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? NaN) * 1024;
    return { pid, rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM') };
  } catch {
    return null;
  }
}

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
  const sdk = () => page.workers().filter((w) => w.url().includes('edgewise.worker'));
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
  const HOOK = `(() => {
    if (globalThis.__benchWasmMemories) return 'hooked before';
    const seen = (globalThis.__benchWasmMemories = []);
    const M = WebAssembly.Memory;
    WebAssembly.Memory = new Proxy(M, { construct(t, args, nt) { const m = Reflect.construct(t, args, nt); seen.push(new WeakRef(m)); return m; } });
    for (const k of ['instantiate', 'instantiateStreaming']) {
      const f = WebAssembly[k];
      WebAssembly[k] = async function (...a) {
        const r = await f.apply(this, a);
        for (const v of Object.values((r.instance ?? r).exports ?? {})) if (v instanceof M) seen.push(new WeakRef(v));
        return r;
      };
    }
    return 'hooked';
  })()`;
  const READ = `[...new Set((globalThis.__benchWasmMemories ?? []).map((r) => r.deref()).filter(Boolean))].map((m) => m.buffer.byteLength)`;
  const wasmMemory = async (client) => {
    try {
      const hooked = await client.send('Runtime.evaluate', { expression: HOOK, returnByValue: true });
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
      for (const w of sdk()) {
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
      for (const w of sdk()) {
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

/**
 * @param {{ browser: import('puppeteer-core').Browser, siteUrl: string, config: object, pageConfig: object, say: (l: string) => void }} o
 */
export async function runCpuPart({ browser, siteUrl, config, pageConfig, say }) {
  const browserPid = browser.process()?.pid;
  const cfg = pageConfig;
  const out = { settings: { threads: config.cpuThreads, forms: config.cpuForms, runs: config.genRuns, tokens: config.maxTokens, fp32Url: cfg.cpu.fp32Url, q4Url: cfg.cpu.q4Url } };
  const t0 = Date.now();

  // 1. Speed, one fresh page per thread count.
  out.speed = {};
  for (const threads of config.cpuSteps.includes('speed') ? config.cpuThreads : []) {
    const page = await benchPage(browser.defaultBrowserContext(), siteUrl, say, `cpu ${threads}T`);
    await page.exposeFunction('benchCpuIdle', (ms) => (browserPid ? browserCores(browserPid, ms) : null));
    try {
      out.speed[`${threads}T`] = await page.evaluate((c, t) => window.runCpuSpeed(c, t), cfg, threads);
    } finally {
      await page.close();
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
  out.memorySummary = memorySummary(out.memory);
  out.whatIsMeasured = WHAT;
  return out;
}

const WHAT = {
  speed: 'Medians over the runs. ttftMs: edgewise = usage.timeToFirstTokenMs (worker clock, generate() call to first sampled token, tokenization included); transformers.js = before tokenization to the streamer\'s first token; raw = prefill session.run + argmax from its own clock (prompt ids precomputed). decodeTokPerSec = (tokens - 1) / (last token - first token). edgewise runs with default options (wasmWeights auto); raw loops use edgewise\'s onnxruntime-web 1.30, transformers.js its own 1.31-dev.',
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
    };
  }
  out.note = 'decode ratios > 1: the first decodes faster; ttft ratio < 1: edgewise answers sooner';
  return out;
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
  const names = [['edgewise', 'edgewise (default)'], ['transformersjs', 'transformers.js q4'], ['rawQ4', 'raw ORT q4 file'], ['rawInt8', 'raw ORT int8 form'], ['rawFp32', 'raw ORT fp32 file']];
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


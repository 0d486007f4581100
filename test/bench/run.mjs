#!/usr/bin/env node
// `npm run bench`: edgewise vs transformers.js (same model files, WASM EP, same threads),
// edgewise's IndexedDB weight cache (cold vs warm load), and the `cpu` part (edgewise vs
// transformers.js vs raw onnxruntime-web at 1 and 2 threads, memory per weight form, the
// weight transform's quality guard), in headless Chromium.
//
// Env: BENCH_QUICK=1 (fewer runs/tokens), BENCH_MODEL (default smollm2-135m-shape; use
// tiny-llama while developing), BENCH_PARTS (comma list of cache,generate,transformersjs,edgecloud,embed,privacy,search,structured,cpu,scale,tabs), BENCH_SEARCH_SIZES,
// BENCH_SCALE_SHAPES / BENCH_SCALE_STEPS / BENCH_SCALE_ABORT_SHAPES / BENCH_SCALE_RUNS / BENCH_SCALE_ABORT_RUNS (the scale part, see README),
// BENCH_RUNS / BENCH_LOAD_RUNS / BENCH_TOKENS / BENCH_THREADS (override counts), BENCH_TIMEOUT_MS,
// BENCH_CPU_THREADS / BENCH_CPU_FORMS / BENCH_CPU_MEMORY_THREADS / BENCH_CPU_STEPS /
// BENCH_QUALITY_POSITIONS (the cpu part, see README), CHROMIUM_PATH, BENCH_HEADFUL=1. Prints the result as JSON on stdout, progress on stderr,
// writes test/bench/results/latest.json, exits non-zero on failure.
import { sdkWorkers } from './sdk-workers.mjs';
import { execFileSync } from 'node:child_process';
import { createServer, request as httpRequest } from 'node:http';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem, platform, release } from 'node:os';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import puppeteer from 'puppeteer-core';
import { startModelServer } from '../server/model-server.mjs';
import { startOpenAIServer } from '../server/openai-server.mjs';
import { ensureFp32, printCpuTable, runCpuPart } from './cpu-runner.mjs';
import { printScaleTable, runScalePart } from './scale-runner.mjs';
import { printTabsTable, runTabsPart } from './tabs-runner.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const RESULTS = join(HERE, 'results');
const env = process.env;
const QUICK = env.BENCH_QUICK === '1';
const MODEL = env.BENCH_MODEL || 'smollm2-135m-shape';
const TJS_ORT_DIR = join(ROOT, 'node_modules', '@huggingface', 'transformers', 'node_modules', 'onnxruntime-web', 'dist');
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
  // performance.measureUserAgentSpecificMemory() answers at once instead of at the next GC (up to 20 s later).
  '--enable-blink-features=ForceEagerMeasureMemory',
];
const PROMPT = 'The old lighthouse keeper climbed the stairs every evening to light the lamp. One night, as the storm grew stronger, he noticed';

const config = {
  model: MODEL,
  dtype: 'q4',
  numThreads: Number(env.BENCH_THREADS || 2),
  prompt: PROMPT,
  maxTokens: Number(env.BENCH_TOKENS || (QUICK ? 32 : 64)),
  genRuns: Number(env.BENCH_RUNS || (QUICK ? 2 : 5)),
  loadRuns: Number(env.BENCH_LOAD_RUNS || (QUICK ? 1 : 3)),
  embedModel: 'minilm-l6-shape',
  // The search part's synthetic index sizes, in chunks.
  searchSizes: (env.BENCH_SEARCH_SIZES || '10000,100000').split(',').map(Number).filter((n) => n > 0),
  parts: (env.BENCH_PARTS || 'cache,generate,transformersjs,edgecloud,embed,privacy,structured,cpu').split(',').map((s) => s.trim()).filter(Boolean),
  // The cpu part: thread counts for speed, weight forms for memory, quality guard positions.
  cpuThreads: (env.BENCH_CPU_THREADS || '1,2').split(',').map(Number).filter((n) => n >= 1),
  cpuForms: (env.BENCH_CPU_FORMS || 'source,int8,fp32').split(',').map((s) => s.trim()).filter(Boolean),
  qualityPositions: Number(env.BENCH_QUALITY_POSITIONS || 2000),
  // Which of the cpu part's steps to run (for developing the bench).
  cpuSteps: (env.BENCH_CPU_STEPS || 'speed,memory,quality').split(',').map((s) => s.trim()),
  // numThreads of the memory step (1 also gets measureUserAgentSpecificMemory's cross-check).
  cpuMemoryThreads: Number(env.BENCH_CPU_MEMORY_THREADS || env.BENCH_THREADS || 2),
  // The scale part (only when named; README "scale"): its shapes, steps, and runs.
  scaleShapes: (env.BENCH_SCALE_SHAPES || 'smollm2-360m-shape,smollm2-1.7b-shape').split(',').map((s) => s.trim()).filter(Boolean),
  scaleSteps: (env.BENCH_SCALE_STEPS || 'edgewise,transformersjs,abort').split(',').map((s) => s.trim()),
  scaleAbortShapes: (env.BENCH_SCALE_ABORT_SHAPES || 'smollm2-135m-shape,smollm2-1.7b-shape').split(',').map((s) => s.trim()).filter(Boolean),
  scaleRuns: Number(env.BENCH_SCALE_RUNS || 2),
  scaleTokens: Number(env.BENCH_TOKENS || 32),
  scaleAbortRuns: Number(env.BENCH_SCALE_ABORT_RUNS || 1),
  scaleAbortRuns135m: Number(env.BENCH_SCALE_ABORT_RUNS || 3),
};
// The cpu part alone ran 21 minutes on 2 cores with its llama.cpp peers and long prompts (load ~1-2), structured ~4; the margin is for a busy machine.
const TIMEOUT_MS = Number(env.BENCH_TIMEOUT_MS || (10 + (config.parts.includes('cpu') ? (QUICK ? 15 : 40) : 0) + (config.parts.includes('structured') ? 5 : 0) + (config.parts.includes('scale') ? 50 : 0)) * 60_000);

const say = (line) => process.stderr.write(`${line}\n`);
// Parts that need no generation model files.
// `scale` checks its own shapes' fixtures (scale-runner.mjs).
const MODEL_FREE = new Set(['edgecloud', 'embed', 'privacy', 'search', 'scale']);

/**
 * The privacy part's corpus table runs in Node (the acceptance measurement of
 * test/node/privacy/measure.ts: the public API against a recording endpoint); the page
 * measures the timings.
 */
function privacyCorpus() {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(HERE, 'node', 'privacy-corpus.ts')], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  return JSON.parse(out.trim().split('\n').pop());
}
let timedOut = false;

// ---------------------------------------------------------------------------------------
// The page's origin: /dist/ (edgewise, untouched), transformers.js's own onnxruntime-web
// dist (untouched: ORT's .mjs glue must not be rewritten), and the bundled page. Every
// response is cross-origin isolated so ORT may use WASM threads.

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm', '.json': 'application/json', '.map': 'application/json',
};
const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

async function bundlePage() {
  const out = await build({
    // raw-worker.ts: the cpu part's raw onnxruntime-web loop and quality guard, in a dedicated worker.
    // scale-bench.ts: the scale part's page side, added to its pages by scale-runner.mjs.
    entryPoints: [join(HERE, 'page.ts'), join(HERE, 'raw-worker.ts'), join(HERE, 'scale-bench.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    outdir: '/bench',
    sourcemap: 'linked',
    // edgewise is fetched at runtime from /dist/, so its worker and runtime resolve beside it.
    // 'url' and 'module': XGrammar's Node-only branches (the structured part's compile bench).
    external: ['/dist/*', 'url', 'module'],
    logLevel: 'warning',
    logOverride: { 'empty-import-meta': 'silent' },
  });
  const files = new Map();
  for (const f of out.outputFiles) files.set(`/bench/${relative('/bench', f.path)}`, Buffer.from(f.contents));
  files.set('/bench/index.html', await readFile(join(HERE, 'index.html')));
  return files;
}

/** Relays `/fixtures/*` to the model server, so transformers.js can load it by a same-origin path. */
function relay(req, res, upstream) {
  const up = new URL(upstream);
  const { host: _host, ...headers } = req.headers;
  const out = httpRequest({ host: up.hostname, port: up.port, path: req.url, method: req.method, headers }, (r) => {
    res.writeHead(r.statusCode ?? 502, { ...r.headers, ...ISOLATION });
    r.pipe(res);
  });
  out.on('error', (e) => { if (!res.headersSent) res.writeHead(502, ISOLATION); res.end(String(e)); });
  req.pipe(out);
}

function startStaticServer(memory, modelsUrl) {
  // /bench-fixtures/: the cpu part's fp32 reference model (node/fp32-fixture.ts).
  // /wllama/: wllama's wasm (the cpu part's in-browser llama.cpp peer, wllama-bench.ts).
  const mounts = [['/dist/', join(ROOT, 'dist')], ['/ort-tjs/', TJS_ORT_DIR], ['/bench-fixtures/', join(HERE, '.fixtures')], ['/wllama/', join(ROOT, 'node_modules', '@wllama', 'wllama', 'esm', 'wasm')]];
  const server = createServer(async (req, res) => {
    try {
      let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (path === '/' || path === '/bench/') path = '/bench/index.html';
      if (path === '/favicon.ico') return res.writeHead(204, ISOLATION).end();
      if (path.startsWith('/fixtures/')) return relay(req, res, modelsUrl);
      const type = TYPES[extname(path)] ?? 'application/octet-stream';
      const mem = memory.get(path);
      if (mem) {
        res.writeHead(200, { ...ISOLATION, 'Content-Type': type, 'Content-Length': mem.length, 'Cache-Control': 'no-store' });
        return res.end(mem);
      }
      const mount = mounts.find(([prefix]) => path.startsWith(prefix));
      const file = mount && resolve(mount[1], path.slice(mount[0].length));
      const st = file && file.startsWith(mount[1] + sep) ? await stat(file).catch(() => null) : null;
      if (!st?.isFile()) {
        res.writeHead(404, { ...ISOLATION, 'Content-Type': 'text/plain' });
        return res.end(`not found: ${path}`);
      }
      // The runtimes may sit in the HTTP cache (as on any real site), so every load pays
      // the same for them and the load numbers are about the model weights.
      res.writeHead(200, { ...ISOLATION, 'Content-Type': type, 'Content-Length': st.size, 'Cache-Control': 'max-age=3600' });
      if (req.method === 'HEAD') return res.end();
      createReadStream(file).pipe(res);
    } catch (e) {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String(e?.stack ?? e));
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok({
      url: `http://127.0.0.1:${server.address().port}`,
      close: () => new Promise((done) => { server.closeAllConnections(); server.close(() => done()); }),
    }));
  });
}

// ---------------------------------------------------------------------------------------

async function modelFiles(name) {
  const dir = join(ROOT, 'test', 'fixtures', 'out', name);
  const out = {};
  async function walk(d) {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (!e.name.startsWith('.')) out[relative(dir, p)] = (await stat(p)).size;
    }
  }
  await walk(dir);
  return out;
}

async function preflight() {
  const problems = [];
  for (const f of ['edgewise.js', 'edgewise.worker.js', 'ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm']) {
    if (!(await stat(join(ROOT, 'dist', f)).catch(() => null))) problems.push(`dist/${f} is missing: run \`npm run build\``);
  }
  const weights = join(ROOT, 'test', 'fixtures', 'out', MODEL, 'onnx', 'model_q4.onnx');
  const needsModel = config.parts.some((p) => !MODEL_FREE.has(p));
  const encoder = join(ROOT, 'test', 'fixtures', 'out', config.embedModel, 'onnx', 'model.onnx');
  if (config.parts.includes('embed') && !(await stat(encoder).catch(() => null))) problems.push(`${relative(ROOT, encoder)} is missing: run \`npx tsx test/fixtures/generate.ts --bench\``);
  if (needsModel && !(await stat(weights).catch(() => null))) problems.push(`${relative(ROOT, weights)} is missing: run \`npx tsx test/fixtures/generate.ts --bench\``);
  if (!(await stat(join(TJS_ORT_DIR, 'ort-wasm-simd-threaded.asyncify.wasm')).catch(() => null))) problems.push(`transformers.js's onnxruntime-web is missing under ${relative(ROOT, TJS_ORT_DIR)}`);
  if (problems.length) throw new Error(problems.join('\n'));
  if (config.parts.includes('cpu')) return { fp32Url: ensureFp32(ROOT, MODEL, say) };
  return {};
}

/** Fraction of all cores busy over `ms` (Linux /proc/stat): how much others use the machine. */
async function cpuBusy(ms) {
  const sample = async () => {
    const f = (await readFile('/proc/stat', 'utf8')).split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return { idle: f[3] + (f[4] ?? 0), total: f.reduce((a, b) => a + b, 0) };
  };
  try {
    const a = await sample();
    await new Promise((ok) => setTimeout(ok, ms));
    const b = await sample();
    return Math.round((1 - (b.idle - a.idle) / (b.total - a.total)) * 100) / 100;
  } catch {
    return null;
  }
}

/**
 * Lets the page sample memory while a run goes on: every 100 ms, each SDK worker's and
 * the page's JS heap plus array-buffer backing stores (where WASM memory and vectors live),
 * read through the DevTools protocol. The page calls benchMemoryStart / benchMemoryStop.
 */
async function exposeMemorySampler(page) {
  let timer;
  let peak = { worker: 0, page: 0, samples: 0 };
  const size = (u) => u.usedSize + (u.backingStorageSize ?? 0);
  const pageClient = await page.createCDPSession();
  async function sample() {
    const workers = await sdkWorkers(page);
    const w = await Promise.all(workers.map((x) => x.client.send('Runtime.getHeapUsage').then(size, () => 0)));
    const p = await pageClient.send('Runtime.getHeapUsage').then(size, () => 0);
    peak = { worker: Math.max(peak.worker, w.reduce((a, b) => a + b, 0)), page: Math.max(peak.page, p), samples: peak.samples + 1 };
  }
  await page.exposeFunction('benchMemoryStart', async () => {
    // Start from a collected heap, so the peak is the run's and not the garbage before it.
    // Only the SDK's worker: onnxruntime's thread workers sit in Atomics.wait and never answer.
    for (const w of await sdkWorkers(page)) await w.client.send('HeapProfiler.collectGarbage').catch(() => undefined);
    await pageClient.send('HeapProfiler.collectGarbage').catch(() => undefined);
    peak = { worker: 0, page: 0, samples: 0 };
    await sample();
    timer = setInterval(() => void sample(), 100);
  });
  // The search part: its worker's heap after a forced GC (null when it is not running).
  await page.exposeFunction('benchSearchWorkerHeap', async () => {
    const workers = page.workers().filter((w) => w.url().includes('edgewise.search.worker'));
    if (workers.length === 0) return null;
    let total = 0;
    for (const w of workers) {
      await w.client.send('HeapProfiler.collectGarbage').catch(() => undefined);
      total += await w.client.send('Runtime.getHeapUsage').then(size, () => 0);
    }
    return total;
  });
  await page.exposeFunction('benchMemoryStop', async () => {
    clearInterval(timer);
    await sample();
    const result = { peakWorkerBytes: peak.worker, peakPageBytes: peak.page, samples: peak.samples };
    // What stays after collection: retention, as opposed to garbage the GC had not reached.
    const sdk = await sdkWorkers(page);
    for (const w of sdk) await w.client.send('HeapProfiler.collectGarbage').catch(() => undefined);
    const after = await Promise.all(sdk.map((x) => x.client.send('Runtime.getHeapUsage').then(size, () => 0)));
    return { ...result, workerBytesAfterGc: after.reduce((a, b) => a + b, 0) };
  });
}

async function main() {
  const prepared = await preflight();
  const busyBefore = await cpuBusy(2000);
  if (busyBefore !== null && busyBefore > 0.25) say(`bench: warning: the machine was ${Math.round(busyBefore * 100)}% busy before the run; numbers will be noisy`);
  const files = config.parts.some((p) => !MODEL_FREE.has(p)) ? await modelFiles(MODEL) : {};
  const memory = await bundlePage();
  const models = await startModelServer({ repoRoot: ROOT });
  const remote = await startOpenAIServer();
  const site = await startStaticServer(memory, models.url);
  let browser;
  const cleanup = async () => {
    await browser?.close().catch(() => undefined);
    await site.close();
    await models.close();
    await remote.close();
  };
  const timer = setTimeout(() => {
    timedOut = true;
    say(`bench: timed out after ${TIMEOUT_MS / 1000} s`);
    cleanup().finally(() => process.exit(124));
  }, TIMEOUT_MS);

  try {
    browser = await puppeteer.launch({
      executablePath: env.CHROMIUM_PATH || '/usr/bin/chromium',
      headless: env.BENCH_HEADFUL !== '1',
      args: CHROMIUM_ARGS,
      protocolTimeout: TIMEOUT_MS + 60_000,
    });
    const page = await browser.newPage();
    await exposeMemorySampler(page);
    page.on('console', (m) => {
      const text = m.text();
      if (text.startsWith('[bench]')) say(text);
      else if (m.type() === 'error' || m.type() === 'warn') say(`  page ${m.type()}: ${text.slice(0, 500)}`);
    });
    page.on('pageerror', (e) => say(`  page error: ${e?.message ?? e}`));
    page.on('response', (r) => { if (r.status() >= 400) say(`  page: HTTP ${r.status()} for ${r.url()}`); });
    page.on('requestfailed', (r) => {
      // The SDK cancels response bodies it does not need (HEAD probes, finished readers): noise.
      if (r.failure()?.errorText !== 'net::ERR_ABORTED' || env.BENCH_DEBUG === '1') say(`  page: request failed: ${r.url()} (${r.failure()?.errorText})`);
    });
    await page.goto(`${site.url}/bench/index.html`, { waitUntil: 'load' });
    await page.waitForFunction(() => typeof window.runBench === 'function', { timeout: 60_000 });

    say(`bench: ${MODEL} q4, ${config.numThreads} threads, ${config.maxTokens} tokens, ${config.genRuns} generation runs, ${config.loadRuns} load runs per kind${QUICK ? ' (BENCH_QUICK)' : ''}`);
    const t0 = Date.now();
    const loadBefore = loadavg().map((x) => Math.round(x * 100) / 100);
    const pageResult = await page.evaluate((cfg) => window.runBench(cfg), {
      ...config, modelsUrl: models.url, tjsWasmPaths: `${site.url}/ort-tjs/`, remoteUrl: remote.url,
    });
    const { page: pageInfo, ...rest } = pageResult;
    if (config.parts.includes('privacy')) {
      say('bench: privacy corpus through the public API (Node, recording endpoint)');
      rest.privacy = { ...rest.privacy, corpus: privacyCorpus() };
    }
    if (config.parts.includes('cpu')) {
      say('bench: cpu part (fresh pages per thread count and per weight form)');
      const pageConfig = {
        ...config, modelsUrl: models.url, tjsWasmPaths: `${site.url}/ort-tjs/`, remoteUrl: remote.url,
        cpu: {
          fp32Url: `${site.url}${prepared.fp32Url}`,
          q4Url: `${site.url}/fixtures/${MODEL}/onnx/model_q4.onnx`,
          wasmPaths: `${site.url}/dist/`,
          storiesUrl: `${models.url}/shared/stories260K-onnx/`,
          qualityPositions: config.qualityPositions,
          memoryCachedLoad: !QUICK,
          memoryThreads: config.cpuMemoryThreads,
        },
      };
      rest.cpu = await runCpuPart({ browser, siteUrl: site.url, config, pageConfig, say });
    }
    if (config.parts.includes('scale')) {
      say('bench: scale part (360M / 1.7B shapes, a browser per pass)');
      const pageConfig = { ...config, maxTokens: config.scaleTokens, modelsUrl: models.url, tjsWasmPaths: `${site.url}/ort-tjs/`, remoteUrl: remote.url };
      // A browser per pass, on a profile on disk (scale-runner.mjs says why).
      const launch = { executablePath: env.CHROMIUM_PATH || '/usr/bin/chromium', headless: env.BENCH_HEADFUL !== '1', args: CHROMIUM_ARGS, protocolTimeout: TIMEOUT_MS + 60_000 };
      rest.scale = await runScalePart({ launch, siteUrl: site.url, config: { ...config, maxTokens: config.scaleTokens }, pageConfig, say, root: ROOT, results: RESULTS });
    }
    if (config.parts.includes('tabs')) {
      say('bench: tabs part (two tabs: one shared model host vs a worker per tab)');
      rest.tabs = await runTabsPart({ browser, siteUrl: site.url, config, say });
    }
    const result = {
      date: new Date().toISOString(),
      quick: QUICK,
      machine: {
        cores: cpus().length,
        cpu: cpus()[0]?.model ?? null,
        memoryGB: Math.round(totalmem() / 1e9),
        os: `${platform()} ${release()}`,
        node: process.version,
        chromium: await browser.version(),
        crossOriginIsolated: pageInfo.crossOriginIsolated,
        hardwareConcurrency: pageInfo.hardwareConcurrency,
        // Share of all cores busy in the 2 s before the browser started (others' work).
        cpuBusyBeforeRun: busyBefore,
        // 1/5/15-min load averages: on a shared 2-core machine, > ~1.5 before the run means others were busy.
        loadAverageBefore: loadBefore,
        loadAverageAfter: loadavg().map((x) => Math.round(x * 100) / 100),
      },
      model: {
        name: MODEL,
        dtype: config.dtype,
        files,
        weightBytes: files['onnx/model_q4.onnx'] ?? null,
        totalBytes: Object.values(files).reduce((a, b) => a + b, 0),
      },
      settings: {
        executionProvider: 'wasm',
        numThreads: config.numThreads,
        maxNewTokens: config.maxTokens,
        greedy: true,
        prompt: config.prompt,
        generationRuns: config.genRuns,
        loadRunsPerKind: config.loadRuns,
        parts: config.parts,
        ...(config.parts.includes('cpu') ? { cpuThreads: config.cpuThreads, cpuForms: config.cpuForms, qualityPositions: config.qualityPositions } : {}),
      },
      ...rest,
      wallSeconds: Math.round((Date.now() - t0) / 1000),
    };
    const json = JSON.stringify(result, null, 2);
    await mkdir(RESULTS, { recursive: true });
    await writeFile(join(RESULTS, 'latest.json'), `${json}\n`);
    process.stdout.write(`${json}\n`);
    printCpuTable(rest.cpu, say);
    printScaleTable(rest.scale, say);
    printTabsTable(rest.tabs, say);
    if (rest.structured?.markdown) say(`\n${rest.structured.markdown}\n`);
    if (rest.privacy?.corpus?.markdown) say(`\n${rest.privacy.corpus.markdown}\n`);
    say(`bench: wrote ${relative(ROOT, join(RESULTS, 'latest.json'))}`);
  } finally {
    clearTimeout(timer);
    await cleanup();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    if (timedOut) return; // the timer reports and exits 124 once the browser is closed
    say(`bench failed: ${e?.stack ?? e}`);
    process.exit(1);
  },
);

#!/usr/bin/env node
// Diagnostic, not part of `npm run bench`: a raw onnxruntime-web decode loop (no SDK) on the
// bench model, for each runtime build (edgewise's 1.30 vs transformers.js's 1.31-dev),
// thread count and context (page / dedicated worker). Tells a runtime problem from an SDK one.
//   node test/bench/ort-diag.mjs            # full matrix
//   DIAG=sdk:2:worker,tjs:2:page node test/bench/ort-diag.mjs   (ort:threads:context[:graphOptimizationLevel])
//   DIAG_STEPS (decode steps, 24), DIAG_PROMPT (prompt tokens, 68), DIAG_OPT (default 'all'), DIAG_IDLE=1
import { createServer } from 'node:http';
import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import puppeteer from 'puppeteer-core';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const MODEL = process.env.BENCH_MODEL || 'smollm2-135m-shape';
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cross-Origin-Resource-Policy': 'same-origin' };

const out = await build({ entryPoints: [join(HERE, 'ort-diag.ts')], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, outfile: '/bench/ort-diag.js', logLevel: 'warning' });
const memory = new Map([
  ['/bench/ort-diag.js', Buffer.from(out.outputFiles[0].contents)],
  ['/bench/diag.html', Buffer.from('<!doctype html><meta charset="utf-8"><script type="module" src="./ort-diag.js"></script>')],
]);
const mounts = [
  ['/dist/', join(ROOT, 'dist')],
  ['/ort-tjs/', join(ROOT, 'node_modules/@huggingface/transformers/node_modules/onnxruntime-web/dist')],
  ['/fixtures/', join(ROOT, 'test/fixtures/out')],
];
const server = createServer(async (req, res) => {
  const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  const type = TYPES[extname(path)] ?? 'application/octet-stream';
  if (memory.has(path)) return res.writeHead(200, { ...ISOLATION, 'Content-Type': type }).end(memory.get(path));
  const m = mounts.find(([p]) => path.startsWith(p));
  const file = m && resolve(m[1], path.slice(m[0].length));
  const st = file?.startsWith(m[1] + sep) ? await stat(file).catch(() => null) : null;
  if (!st?.isFile()) return res.writeHead(404, ISOLATION).end();
  res.writeHead(200, { ...ISOLATION, 'Content-Type': type, 'Content-Length': st.size });
  createReadStream(file).pipe(res);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const origin = `http://127.0.0.1:${server.address().port}`;

const config = JSON.parse(await (await import('node:fs/promises')).readFile(join(ROOT, 'test/fixtures/out', MODEL, 'config.json'), 'utf8'));
const cases = (process.env.DIAG || 'sdk:1:page,sdk:2:page,sdk:1:worker,sdk:2:worker,tjs:1:page,tjs:2:page,tjs:1:worker,tjs:2:worker')
  .split(',').map((c) => { const [ort, threads, ctx, opt] = c.split(':'); return { ort, threads: Number(threads), ctx, opt }; });

/** utime+stime of every chromium process, in seconds (Linux /proc). */
function chromiumCpuSeconds() {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (!readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('chrom')) continue;
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch { /* gone */ }
  }
  return ticks / 100;
}

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', headless: true, protocolTimeout: 600_000,
  args: ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
const results = [];
try {
  for (const c of cases) {
    const page = await browser.newPage();
    page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
    await page.goto(`${origin}/bench/diag.html`);
    await page.waitForFunction(() => typeof window.runDiag === 'function');
    const cfg = {
      keep: process.env.DIAG_IDLE === '1',
      ort: c.ort, threads: c.threads, model: MODEL, steps: Number(process.env.DIAG_STEPS || 24), promptLength: Number(process.env.DIAG_PROMPT || 68), origin,
      graphOptimizationLevel: c.opt ?? process.env.DIAG_OPT ?? 'all',
      layers: config.num_hidden_layers, kvHeads: config.num_key_value_heads, headDim: config.head_dim ?? config.hidden_size / config.num_attention_heads,
    };
    const r = await page.evaluate((cfg, ctx) => window.runDiag(cfg, ctx), cfg, c.ctx);
    if (cfg.keep) {
      // CPU the browser burns while the runtime sits idle (a spinning thread pool shows here).
      await new Promise((ok) => setTimeout(ok, 1000));
      const a = chromiumCpuSeconds();
      await new Promise((ok) => setTimeout(ok, 5000));
      r.idleCpuCoresUsed = Math.round(((chromiumCpuSeconds() - a) / 5) * 100) / 100;
    }
    results.push({ ctx: c.ctx, ...r });
    process.stderr.write(`${JSON.stringify({ ctx: c.ctx, ...r })}\n`);
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);

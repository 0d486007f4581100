// The `scale` bench part, Node side (run.mjs calls runScalePart; only when BENCH_PARTS names
// it, because its fixtures take minutes and GBs to make: `generate.ts --bench-scale`). Per
// shape, each pass in its own browser context (its own renderer process, empty storage):
// edgewise (default options) and transformers.js on the same q4 files, with memory sampled
// through the first load (scale-memory.mjs); then abort / dispose in the middle of the weight
// transform. Each pass's full memory series goes to results/scale-<shape>-<pass>.json.
//
// Each pass gets its own browser, with its own profile on disk: a context of the shared
// browser is incognito, whose storage lives in memory with a small quota (transformers.js's
// Cache API put fails there, and 3 GB of IndexedDB would sit in the browser process's RAM).
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { exposeScaleMemory, peaks, phases, rendererOf } from './scale-memory.mjs';
import { descendants } from './proc.mjs';

const MB = 1e6;
const mb = (b) => (typeof b === 'number' && Number.isFinite(b) ? Math.round(b / MB) : null);
const r2 = (x) => (typeof x === 'number' && Number.isFinite(x) ? Math.round(x * 100) / 100 : null);

async function scalePage(o, tag, target) {
  const { siteUrl, say } = o;
  const profile = await mkdtemp(join(tmpdir(), 'edgewise-scale-'));
  const browser = await puppeteer.launch({ ...o.launch, userDataDir: profile });
  const browserPid = browser.process()?.pid;
  const before = new Set(browserPid ? descendants(browserPid) : []);
  const page = await browser.newPage();
  let crashed = null;
  page.on('console', (m) => {
    const text = m.text();
    if (text.startsWith('[bench]')) say(text);
    else if (m.type() === 'error' || m.type() === 'warn') say(`  ${tag} page ${m.type()}: ${text.slice(0, 400)}`);
  });
  page.on('pageerror', (e) => say(`  ${tag} page error: ${e?.message ?? e}`));
  page.on('error', (e) => { crashed = String(e?.message ?? e); say(`  ${tag}: page crashed: ${crashed}`); });
  await page.goto(`${siteUrl}/bench/index.html`, { waitUntil: 'load' });
  await page.addScriptTag({ url: '/bench/scale-bench.js', type: 'module' });
  await page.waitForFunction(() => typeof window.runScaleAbort === 'function', { timeout: 60_000 });
  const renderer = browserPid ? rendererOf(browserPid, before) : () => null;
  await exposeScaleMemory(page, renderer, target);
  const close = async () => {
    await browser.close().catch(() => undefined);
    await rm(profile, { recursive: true, force: true });
  };
  return { page, close, crashed: () => crashed };
}

/** Runs `fn(page)` in a fresh context; a crash (out of memory) or an error becomes the result. */
async function pass(o, tag, target, fn) {
  const p = await scalePage(o, tag, target);
  const t0 = Date.now();
  try {
    return { ...(await fn(p.page)), passSeconds: Math.round((Date.now() - t0) / 1000) };
  } catch (e) {
    return { failed: String(e?.message ?? e).slice(0, 500), crashed: p.crashed(), passSeconds: Math.round((Date.now() - t0) / 1000) };
  } finally {
    await p.close();
  }
}

async function saveSeries(results, name, sampled) {
  if (!sampled?.series) return null;
  await mkdir(results, { recursive: true });
  const file = join(results, `scale-${name}.json`);
  await writeFile(file, `${JSON.stringify(sampled)}\n`);
  return file;
}

/** Figures of one sampled load, without the series (saved apart). */
async function loadFigures(o, name, load, weightsBytes, transformMs, before) {
  if (!load?.sampled) return load ?? null;
  const base = before?.rendererRssBytes ?? null;
  const p = peaks(load.sampled, base);
  const { sampled: _s, ...rest } = load;
  return {
    ...rest,
    peaks: { ...p, peakTargetMB: mb(p.peakTargetBytes), peakWasmMB: mb(p.peakWasmBytes), rendererPeakRssMB: mb(p.rendererPeakRssBytes), rendererPeakRssOverBeforeMB: mb(p.rendererPeakRssOverBeforeBytes) },
    phases: phases(load.sampled, transformMs, base),
    ...(weightsBytes ? {
      peakOverWeights: r2(p.peakTargetBytes / weightsBytes),
      rendererPeakOverBeforeOverWeights: p.rendererPeakRssOverBeforeBytes ? r2(p.rendererPeakRssOverBeforeBytes / weightsBytes) : null,
    } : {}),
    seriesFile: await saveSeries(o.results, name, load.sampled),
  };
}

async function edgewise(o, shape) {
  return pass(o, `scale ${shape} edgewise`, 'sdk', async (page) => {
    const r = await page.evaluate((c) => window.runScaleEdgewise(c), { ...o.pageConfig, model: shape });
    const bytes = r.weights?.bytes;
    return {
      ...r,
      cold: await loadFigures(o, `${shape}-edgewise-cold`, r.cold, bytes, r.weights?.transformMs, r.cold?.before),
      warm: await loadFigures(o, `${shape}-edgewise-warm`, r.warm, bytes, undefined, r.warm?.before),
    };
  });
}

async function transformersjs(o, shape) {
  return pass(o, `scale ${shape} transformers.js`, 'page', async (page) => {
    const r = await page.evaluate((c) => window.runScaleTjs(c), { ...o.pageConfig, model: shape });
    return {
      ...r,
      cold: await loadFigures(o, `${shape}-tjs-cold`, r.cold, null, undefined, r.before),
      warm: await loadFigures(o, `${shape}-tjs-warm`, r.warm, null, undefined, r.before),
    };
  });
}

async function abortRuns(o, shape, transformMs) {
  return pass(o, `scale ${shape} abort`, 'sdk', async (page) => {
    const runs = [];
    // From a known transform time the abort lands at 40% of it; else the page measures a reference load first.
    let delay = transformMs ? Math.round(transformMs * 0.4) : undefined;
    const n = shape.includes('135m') ? o.config.scaleAbortRuns135m : o.config.scaleAbortRuns;
    for (let i = 0; i < n; i++) {
      for (const mode of ['abort', 'dispose']) {
        const r = await page.evaluate((c, m, d) => window.runScaleAbort(c, m, d), { ...o.pageConfig, model: shape }, mode, delay ?? null).catch((e) => ({ mode, failed: String(e?.message ?? e) }));
        delay ??= r.delayAfterBytesMs;
        runs.push(r);
      }
    }
    const of = (m, k = 'settleMs') => runs.filter((r) => r.mode === m && typeof r[k] === 'number').map((r) => r[k]);
    return { settleMs: { abort: of('abort'), dispose: of('dispose') }, workerAnswerMs: of('abort', 'workerAnswerMs'), disposeResolvedMs: of('dispose', 'disposeResolvedMs'), runs };
  });
}

const fixtureOk = (root, shape) => existsSync(join(root, 'test', 'fixtures', 'out', shape, 'onnx', 'model_q4.onnx'));

export async function runScalePart(o) {
  const { config, say, root } = o;
  const out = { settings: { shapes: config.scaleShapes, steps: config.scaleSteps, abortShapes: config.scaleAbortShapes, runs: config.scaleRuns, tokens: config.maxTokens, threads: config.numThreads } };
  const missing = [...config.scaleShapes, ...(config.scaleSteps.includes('abort') ? config.scaleAbortShapes : [])].filter((s) => !fixtureOk(root, s));
  if (missing.length) throw new Error(`scale: fixtures missing: ${missing.join(', ')}; run \`npx tsx test/fixtures/generate.ts --bench --bench-scale\``);
  out.shapes = {};
  for (const shape of config.scaleShapes) {
    const s = (out.shapes[shape] = {});
    if (config.scaleSteps.includes('edgewise')) { say(`bench: scale ${shape}: edgewise`); s.edgewise = await edgewise(o, shape); }
    if (config.scaleSteps.includes('transformersjs')) { say(`bench: scale ${shape}: transformers.js`); s.transformersjs = await transformersjs(o, shape); }
  }
  out.abort = {};
  for (const shape of config.scaleSteps.includes('abort') ? config.scaleAbortShapes : []) {
    say(`bench: scale ${shape}: abort and dispose mid-transform`);
    out.abort[shape] = await abortRuns(o, shape, out.shapes[shape]?.edgewise?.weights?.transformMs);
  }
  out.summary = summary(out);
  return out;
}

function summary(out) {
  const rows = {};
  for (const [shape, s] of Object.entries(out.shapes)) {
    const e = s.edgewise;
    const t = s.transformersjs;
    rows[shape] = {
      edgewise: e?.failed ? { failed: e.failed, crashed: e.crashed } : e && {
        form: e.weights?.form, weightsMB: mb(e.weights?.bytes), transformMs: e.weights?.transformMs,
        coldLoadMs: e.cold?.loadMs, warmLoadMs: e.warm?.loadMs, warmTransform: e.warm?.weights?.transform, decodeTokPerSec: e.decode?.decodeTokPerSec, ttftMs: e.decode?.ttftMs,
        firstLoadPeakWorkerMB: e.cold?.peaks?.peakTargetMB, firstLoadPeakWasmMB: e.cold?.peaks?.peakWasmMB, peakOverWeights: e.cold?.peakOverWeights,
        rendererPeakOverBeforeMB: e.cold?.peaks?.rendererPeakRssOverBeforeMB, rendererPeakOverBeforeOverWeights: e.cold?.rendererPeakOverBeforeOverWeights,
        workerMBAfterLoad: mb(e.cold?.afterLoad?.totalBytes), workerMBAfterGenerate: mb(e.cold?.afterGenerate?.totalBytes),
        warmLoadPeakWorkerMB: e.warm?.peaks?.peakTargetMB,
        phasesPeakWorkerMB: Object.fromEntries(Object.entries(e.cold?.phases ?? {}).map(([k, v]) => [k, v.peakTargetMB])),
        phasesPeakRendererOverBeforeMB: Object.fromEntries(Object.entries(e.cold?.phases ?? {}).map(([k, v]) => [k, v.peakRendererRssOverBeforeMB])),
      },
      transformersjs: t?.failed || t?.cold?.error ? { failed: t.failed ?? t.cold.error, crashed: t.crashed ?? null } : t && {
        coldLoadMs: t.cold?.loadMs, warmLoadMs: t.warm?.loadMs ?? t.warm?.error, warmWeightRequests: t.warm?.weightRequests, decodeTokPerSec: t.decode?.decodeTokPerSec ?? t.decode?.error, ttftMs: t.decode?.ttftMs,
        firstLoadPeakPageMB: t.cold?.peaks?.peakTargetMB, firstLoadPeakWasmMB: t.cold?.peaks?.peakWasmMB, rendererPeakOverBeforeMB: t.cold?.peaks?.rendererPeakRssOverBeforeMB,
        pageMBAfterLoad: mb(t.cold?.afterLoad?.totalBytes),
      },
    };
  }
  for (const [shape, a] of Object.entries(out.abort)) {
    rows[shape] = { ...rows[shape], abortSettleMs: a.settleMs?.abort, abortWorkerAnswerMs: a.workerAnswerMs, disposeSettleMs: a.settleMs?.dispose, disposeResolvedMs: a.disposeResolvedMs, abortOutcomes: a.runs?.map((r) => `${r.mode}: ${r.outcome ?? r.failed}, derived left ${r.derivedRecordsLeft?.length ?? '?'}/${r.derivedChunksLeft ?? '?'} chunks, next ${r.next?.ok ? 'ok' : 'FAILED'}`) };
  }
  return rows;
}

export function printScaleTable(scale, say) {
  if (!scale?.summary) return;
  say('\nscale: per shape (edgewise default options vs transformers.js, q4 files, MB = 10^6 bytes)');
  say(JSON.stringify(scale.summary, null, 2));
}

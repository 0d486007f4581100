// The `scale` part's memory probe (Node side). What cpu-runner.mjs measures once per pass,
// sampled as a time series so a load can be cut into phases: every 100 ms, the renderer
// process's RSS from /proc (it always answers, even while the worker runs one long task) and,
// through the DevTools protocol, the JS heap, ArrayBuffer backing stores and WebAssembly
// memory of one target: the SDK's worker (edgewise) or the page (transformers.js runs
// onnxruntime on the main thread). The page marks moments (`bytes`: the last progress
// event; `loaded`) on the same Node clock.
import { sdkWorkers } from './sdk-workers.mjs';
import { writeFileSync } from 'node:fs';
import { WASM_MEMORY_HOOK } from './wasm-memory-hook.mjs';
import { descendants, isRenderer, rss } from './proc.mjs';

/** The renderer of a context opened after `before` was taken: the new one holding the most. */
export function rendererOf(browserPid, before) {
  return () => {
    const fresh = descendants(browserPid).filter((p) => !before.has(p) && isRenderer(p)).map(rss).filter(Boolean);
    return fresh.sort((a, b) => b.rssBytes - a.rssBytes)[0] ?? null;
  };
}

// ---------------------------------------------------------------------------------------

const READ = `[...new Set((globalThis.__benchWasmMemories ?? []).map((r) => r.deref()).filter(Boolean))].reduce((a, m) => a + m.buffer.byteLength, 0)`;

async function usage(client) {
  const u = await client.send('Runtime.getHeapUsage');
  const w = await client.send('Runtime.evaluate', { expression: READ, returnByValue: true });
  const wasm = typeof w.result?.value === 'number' ? w.result.value : 0;
  return { js: u.usedSize, backing: u.backingStorageSize ?? 0, wasm };
}

/**
 * Exposes `window.benchScaleMemory(what, arg)` to the page:
 * - `hook`: wrap the target's WebAssembly.Memory (before the runtime starts);
 * - `snapshot`: forced GC in the target, then its heap, backing stores, WASM memory and the renderer's RSS;
 * - `start`: reset the renderer's peak RSS and sample every 100 ms; `mark(name)`; `stop`: the series and marks.
 * `target` is 'sdk' (the edgewise worker) or 'page'.
 */
export async function exposeScaleMemory(page, renderer, target) {
  const pageClient = await page.createCDPSession();
  // The newest SDK worker: a disposed engine's worker may still be listed while it closes.
  const client = async () => (target === 'page' ? pageClient : (await sdkWorkers(page)).at(-1)?.client);
  let t0 = 0;
  let series = [];
  let marks = {};
  let timers = [];
  let busy = false;
  const at = () => Date.now() - t0;
  const sampleDevtools = async () => {
    if (busy) return;
    const c = await client();
    if (!c) return;
    busy = true;
    const asked = at();
    try {
      const u = await usage(c);
      series.push({ t: asked, answeredAfterMs: at() - asked, ...u });
    } catch { /* the worker ended */ } finally { busy = false; }
  };
  const sampleRss = () => { const r = renderer(); if (r) series.push({ t: at(), rss: r.rssBytes }); };
  await page.exposeFunction('benchScaleMemory', async (what, arg) => {
    const c = await client();
    if (what === 'hook') return c ? (await c.send('Runtime.evaluate', { expression: WASM_MEMORY_HOOK, returnByValue: true }).catch(() => null))?.result?.value ?? null : null;
    if (what === 'snapshot') {
      if (c) await c.send('HeapProfiler.collectGarbage').catch(() => undefined);
      const u = c ? await usage(c).catch(() => null) : null;
      return { target, ...(u ? { jsHeapBytes: u.js, backingStorageBytes: u.backing, wasmMemoryBytes: u.wasm, totalBytes: u.js + u.backing + u.wasm } : {}), rendererRssBytes: renderer()?.rssBytes ?? null };
    }
    if (what === 'start') {
      const pid = renderer()?.pid;
      try { if (pid) writeFileSync(`/proc/${pid}/clear_refs`, '5'); } catch { /* the peak then covers the process's life */ }
      t0 = Date.now();
      series = [];
      marks = { start: 0 };
      await sampleDevtools();
      sampleRss();
      timers = [setInterval(() => void sampleDevtools(), 100), setInterval(sampleRss, 100)];
      return {};
    }
    if (what === 'mark') { marks[arg] = at(); return {}; }
    for (const t of timers) clearInterval(t);
    sampleRss();
    await sampleDevtools();
    const r = renderer();
    return { series, marks, rendererPeakRssBytes: Math.max(r?.peakRssBytes ?? 0, ...series.map((s) => s.rss ?? 0)) };
  });
}

// ---------------------------------------------------------------------------------------
// Phases

const MB = 1e6;
const mb = (b) => (typeof b === 'number' && Number.isFinite(b) ? Math.round(b / MB) : null);

/**
 * Peaks per phase of a first load: `download` (start → last progress event), `transform`
 * (→ + transformMs), `store` (→ the WASM memory starts to grow: the runtime is opening the
 * session), `session` (→ load resolved). Without a transform: download, then the rest.
 */
export function phases({ series, marks }, transformMs, baseline) {
  const bytes = marks.bytes ?? marks.start;
  const end = marks.loaded ?? Math.max(0, ...series.map((s) => s.t));
  const wasmBase = series.filter((s) => s.wasm !== undefined && s.t <= bytes).reduce((a, s) => Math.max(a, s.wasm), 0);
  const grows = series.find((s) => s.wasm !== undefined && s.t > bytes && s.wasm > wasmBase + 16 * MB);
  const cuts = transformMs ? [['download', 0, bytes], ['transform', bytes, bytes + transformMs], ['store', bytes + transformMs, grows?.t ?? end], ['session', grows?.t ?? end, end]]
    : [['download', 0, bytes], ['session', bytes, end]];
  const out = {};
  for (const [name, from, to] of cuts) {
    const inside = series.filter((s) => s.t >= from && s.t <= to);
    const dev = inside.filter((s) => s.js !== undefined);
    const max = (f) => (dev.length ? Math.max(...dev.map(f)) : null);
    const rssMax = inside.filter((s) => s.rss !== undefined).reduce((a, s) => Math.max(a, s.rss), 0);
    out[name] = {
      fromMs: Math.round(from), toMs: Math.round(to), devtoolsSamples: dev.length,
      peakTargetMB: mb(max((s) => s.js + s.backing + s.wasm)), peakJsPlusBuffersMB: mb(max((s) => s.js + s.backing)),
      peakWasmMB: mb(max((s) => s.wasm)), peakRendererRssMB: mb(rssMax || null),
      peakRendererRssOverBeforeMB: rssMax && baseline ? mb(rssMax - baseline) : null,
    };
  }
  return out;
}

/** Overall peaks of a sampled pass, and how late the target answered (a busy worker answers late). */
export function peaks({ series, rendererPeakRssBytes }, baseline) {
  const dev = series.filter((s) => s.js !== undefined);
  const max = (f) => (dev.length ? Math.max(...dev.map(f)) : null);
  return {
    peakTargetBytes: max((s) => s.js + s.backing + s.wasm),
    peakJsPlusBuffersBytes: max((s) => s.js + s.backing),
    peakWasmBytes: max((s) => s.wasm),
    rendererPeakRssBytes,
    rendererPeakRssOverBeforeBytes: baseline ? rendererPeakRssBytes - baseline : null,
    devtoolsSamples: dev.length,
    slowestDevtoolsAnswerMs: dev.length ? Math.max(...dev.map((s) => s.answeredAfterMs)) : null,
  };
}

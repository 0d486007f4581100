// The `tabs` bench part (only when BENCH_PARTS names it): two real tabs of one origin run the
// same model, once sharing one model host (`share: true`: a SharedWorker, one WASM thread)
// and once each in a worker of its own (`share: false`, `numThreads` threads). Per mode, in
// a fresh browser context (its own storage, so the first tab downloads and stores): the
// first and the second tab's load, one tab's decode speed alone, both tabs decoding at once
// (the faster and the slower tab's speed, request to last token, and the sum), and the browser's renderer memory (RSS of every renderer
// process, /proc) with both tabs loaded. Issue 20 asks which default is better per case.
import { descendants, isRenderer, rss } from './proc.mjs';

const r1 = (x) => Math.round(x * 10) / 10;

/** In a tab: an engine on the bench model, its load time, and a streamed run's speed. */
const TAB_API = `(() => {
  window.tabBench = {
    async load(options) {
      const { createEngine } = await import('/dist/edgewise.js');
      window.tabEngine = createEngine(options);
      const t0 = performance.now();
      const info = await window.tabEngine.load();
      return { loadMs: performance.now() - t0, host: (await window.tabEngine.info()).host, threads: info.threads ?? null };
    },
    async decode(prompt, maxTokens) {
      let first = 0;
      let tokens = 0;
      const t0 = performance.now();
      for await (const p of window.tabEngine.generate({ prompt, maxTokens, temperature: 0 })) {
        if (p.type === 'text' && !first) first = performance.now();
        if (p.type === 'finish') tokens = p.usage.completionTokens;
      }
      const end = performance.now();
      return { tokens, ttftMs: first - t0, decodeTokPerS: (tokens - 1) / ((end - first) / 1000), start: t0 + performance.timeOrigin, end: end + performance.timeOrigin };
    },
  };
})()`;

function rendererRss(browserPid) {
  return descendants(browserPid).filter(isRenderer).reduce((n, pid) => n + (rss(pid)?.rssBytes ?? 0), 0);
}

async function mode(o, name, options) {
  const { browser, siteUrl, config, say } = o;
  const context = await browser.createBrowserContext();
  try {
    const tabs = [await context.newPage(), await context.newPage()];
    for (const t of tabs) {
      await t.goto(`${siteUrl}/bench/index.html`, { waitUntil: 'load' });
      await t.evaluate(TAB_API);
    }
    const model = { id: config.model, url: `${siteUrl}/fixtures/${config.model}/`, dtype: 'q4' };
    const first = await tabs[0].evaluate((opts) => window.tabBench.load(opts), { model, ...options });
    const second = await tabs[1].evaluate((opts) => window.tabBench.load(opts), { model, ...options });
    say(`[bench] tabs ${name}: loads ${Math.round(first.loadMs)} / ${Math.round(second.loadMs)} ms, ${first.host?.kind} (${first.host?.reason}), ${first.threads} thread(s)`);
    const rssBytes = rendererRss(browser.process().pid);
    // Warm both, then one tab alone, then both at once.
    await Promise.all(tabs.map((t) => t.evaluate((p) => window.tabBench.decode(p, 4), config.prompt)));
    const alone = [];
    for (let i = 0; i < config.genRuns; i++) alone.push(await tabs[0].evaluate((p, n) => window.tabBench.decode(p, n), config.prompt, config.maxTokens));
    const together = [];
    for (let i = 0; i < config.genRuns; i++) {
      const both = await Promise.all(tabs.map((t) => t.evaluate((p, n) => window.tabBench.decode(p, n), config.prompt, config.maxTokens)));
      const wall = (Math.max(...both.map((b) => b.end)) - Math.min(...both.map((b) => b.start))) / 1000;
      together.push({ perTab: both.map((b) => b.tokens / ((b.end - b.start) / 1000)), sum: both.reduce((n, b) => n + b.tokens, 0) / wall });
    }
    const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    return {
      host: first.host,
      threads: first.threads,
      firstTabLoadMs: Math.round(first.loadMs),
      secondTabLoadMs: Math.round(second.loadMs),
      aloneDecodeTokPerS: r1(med(alone.map((a) => a.decodeTokPerS))),
      aloneTtftMs: Math.round(med(alone.map((a) => a.ttftMs))),
      // Each run's slower tab: in one queue the second request waits for the first.
      togetherSlowerTabTokPerS: r1(med(together.map((t) => Math.min(...t.perTab)))),
      togetherFasterTabTokPerS: r1(med(together.map((t) => Math.max(...t.perTab)))),
      togetherSumTokPerS: r1(med(together.map((t) => t.sum))),
      rendererRssMB: Math.round(rssBytes / 1e6),
    };
  } finally {
    await context.close();
  }
}

export async function runTabsPart(o) {
  const shared = await mode(o, 'shared', { share: true });
  const dedicated = await mode(o, 'dedicated', { share: false, numThreads: o.config.numThreads });
  return { tabs: 2, model: o.config.model, maxTokens: o.config.maxTokens, runs: o.config.genRuns, shared, dedicated };
}

export function printTabsTable(t, say) {
  if (!t) return;
  say(`\ntabs: two tabs of one origin, ${t.model} q4, ${t.maxTokens} tokens, median of ${t.runs}\n`);
  say('| host | threads | 1st / 2nd tab load | decode, one tab | both at once: faster / slower tab | both tabs, sum | renderer RSS, both loaded |');
  say('|---|---|---|---|---|---|---|');
  for (const [name, m] of [['shared worker', t.shared], ['worker per tab', t.dedicated]]) {
    say(`| ${name} | ${m.threads} | ${m.firstTabLoadMs} / ${m.secondTabLoadMs} ms | ${m.aloneDecodeTokPerS} tok/s | ${m.togetherFasterTabTokPerS} / ${m.togetherSlowerTabTokPerS} tok/s | ${m.togetherSumTokPerS} tok/s | ${m.rendererRssMB} MB |`);
  }
}

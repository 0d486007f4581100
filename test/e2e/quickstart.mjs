#!/usr/bin/env node
// The README's quick start, tried as a new user would: an empty Vite app, `npm install` of
// the package (this repository's `npm pack` tarball in place of the registry's `edgewise`),
// the first ```ts block under the "Quick start" heading pasted verbatim as the app's
// main.ts, a Vite build with no configuration, and the page in Chromium. The snippet names
// a catalog model; the hub is swapped by configuration only: the page sets
// `globalThis.EDGEWISE_HUB` (a documented hook) to a hub-shaped folder served from
// 127.0.0.1 (`/<org>/<model>/resolve/main/…`) that holds the generated tiny-llama fixture
// under the catalog model's path. README.md is read when the test runs, so the test follows
// whatever the quick start says.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, assert, check, launch, screenshot, summary } from './harness.mjs';
import { LAYOUTS, assertLayout, packTarball, run } from './npm-import-app.mjs';
import { serveApp } from './npm-import-serve.mjs';
import { codeBlocks, sections } from '../docs/markdown.mjs';

const VITE = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'out', 'tiny-llama');

/** The quick start of README.md: its install command and its first ```ts block. */
function quickStart() {
  const [section] = sections([{ file: 'README.md', lines: readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n') }], /quick start/i);
  assert(section, 'README.md has a heading with "Quick start"');
  const blocks = codeBlocks(section);
  const snippet = blocks.find((b) => b.lang === 'ts');
  assert(snippet, 'the quick start has a ```ts block');
  const install = blocks.find((b) => /\bnpm (install|i) edgewise\b/.test(b.code));
  assert(install, 'the quick start says `npm install edgewise`');
  const model = /id:\s*'([^']+)'/.exec(snippet.code)?.[1];
  return { snippet: snippet.code, model };
}

const work = mkdtempSync(join(tmpdir(), 'edgewise-quickstart-'));
const app = join(work, 'app');
let built = false;
let catalogUrl;

try {
  await check('the README quick start, pasted into a new Vite app that installed the packed tarball, builds with no configuration', async () => {
    const { snippet, model } = quickStart();
    const { CATALOG } = await import(join(ROOT, 'dist', 'edgewise.js'));
    catalogUrl = CATALOG.find((e) => e.id === model)?.url;
    assert(catalogUrl, `the quick start's model (${model}) is a catalog id: ${CATALOG.map((e) => e.id).join(', ')}`);
    mkdirSync(join(app, 'src'), { recursive: true });
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'quickstart', private: true, type: 'module' }, null, 2));
    // The repository's .npmrc keeps any install script from downloading binaries.
    cpSync(join(ROOT, '.npmrc'), join(app, '.npmrc'));
    const tarball = await packTarball(work);
    // `npm install edgewise`, with the tarball for the registry's copy.
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: app, timeout: 240_000 });
    writeFileSync(join(app, 'src', 'main.ts'), `${snippet}\n`);
    // The hub hook is the page's only configuration: a mirror at /hub on the page's own origin.
    writeFileSync(join(app, 'index.html'), [
      '<!doctype html>', '<html lang="en">', '<head><meta charset="utf-8"><title>quick start</title><link rel="icon" href="data:,"></head>',
      '<body>', '<script>globalThis.EDGEWISE_HUB = location.origin + \'/models\';</script>', '<script type="module" src="/src/main.ts"></script>', '</body>', '</html>', '',
    ].join('\n'));
    await run(process.execPath, [VITE, 'build', '--logLevel', 'warn'], { cwd: app, timeout: 120_000 });
    assertLayout(app, LAYOUTS.vite);
    built = true;
  }, 420_000);

  await check('the quick start streams text in Chromium from a hub served on 127.0.0.1 (globalThis.EDGEWISE_HUB), nothing from huggingface.co', async (skip) => {
    if (!existsSync(join(FIXTURE, 'config.json'))) skip('test/fixtures/out/tiny-llama is absent: run `npm run fixtures`');
    assert(built, 'the app was not built (see the check above)');
    // The catalog row's folder under the hub: /<org>/<model>/resolve/main/ holds the fixture.
    const hub = join(work, 'hub');
    const folder = join(hub, new URL(catalogUrl).pathname);
    mkdirSync(join(folder, '..'), { recursive: true });
    symlinkSync(FIXTURE, folder.replace(/\/$/, ''), 'dir');
    const server = await serveApp(join(app, 'dist'), hub);
    const browser = await launch(join(work, 'profile'));
    try {
      const page = await browser.newPage();
      const seen = [];
      const logs = [];
      page.on('request', (r) => seen.push(r.url()));
      page.on('console', (m) => logs.push(m.text()));
      page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
      // Count the text nodes the snippet appends to <body> one part at a time: more than one is a stream.
      await page.evaluateOnNewDocument(() => {
        globalThis.__appended = 0;
        new MutationObserver((records) => { for (const r of records) globalThis.__appended += [...r.addedNodes].filter((n) => n.nodeType === 3).length; })
          .observe(document, { childList: true, subtree: true });
      });
      await page.goto(`${server.url}/`, { waitUntil: 'load' });
      // The snippet's finish part logs `ranOn tokensPerSecond` ('wasm 24.3').
      const deadline = Date.now() + 120_000;
      while (!logs.some((l) => /^(wasm|webgpu) /.test(l) || l.startsWith('pageerror')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      const [text, appended] = await page.evaluate(() => [document.body.innerText, globalThis.__appended]);
      await screenshot(page, 'quickstart');
      const finish = logs.find((l) => /^(wasm|webgpu) /.test(l));
      console.log(`    finish: ${finish}; ${appended} text parts appended; text: ${JSON.stringify(text.slice(0, 80))}`);
      assert(finish, `the stream ended with a finish part that ran locally (console: ${logs.slice(-5).join(' | ')})`);
      assert(appended > 1 && text.trim().length > 0, `text streamed into the page in parts (${appended} parts)`);
      const hubPath = `/models${new URL(catalogUrl).pathname}`;
      assert(server.requests.some((p) => p.startsWith(`${hubPath}onnx/model_q4.onnx`)), `the weights came from the local hub at ${hubPath} (requests: ${server.requests.join(', ')})`);
      const foreign = seen.filter((u) => !u.startsWith(server.url) && !/^(data|blob):/.test(u));
      assert(foreign.length === 0, `no request left 127.0.0.1: ${foreign.join(', ')}`);
    } finally {
      await browser.close();
      await server.stop();
    }
  }, 180_000);
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(summary());

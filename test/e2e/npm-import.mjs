#!/usr/bin/env node
// "Ship it: npm import", as an app developer meets it: `npm pack` this repository, install
// the tarball into a copy of demos/npm-import/, build it with Vite (no edgewise-specific
// configuration, no `assetsUrl`), serve the build, and stream a completion in Chromium.
// The worker and the runtime's .mjs/.wasm must come from the app's own assets/ folder.
// Needs `npm run build` first (the tarball packs dist/). The npm registry is the only
// network it uses (the tarball's dependencies; the npm cache is preferred).
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, SHARED_MODELS, assert, check, launch, screenshot, summary } from './harness.mjs';
import { serveApp } from './npm-import-serve.mjs';

const PROMPT = 'Once upon a time';
const VITE = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');

/** Runs a command to completion within `timeout` ms; resolves to stdout, rejects with the output's tail. */
function run(file, args, { cwd, timeout }) {
  return new Promise((ok, fail) => {
    execFile(file, args, { cwd, timeout, maxBuffer: 64 << 20, env: { ...process.env, npm_config_update_notifier: 'false' } }, (err, stdout, stderr) => {
      if (err) fail(new Error(`${[file, ...args].join(' ')} failed (${err.killed ? `killed after ${timeout} ms` : `exit ${err.code}`}):\n${`${stdout}\n${stderr}`.trim().split('\n').slice(-15).join('\n')}`));
      else ok(stdout);
    });
  });
}

/** The model the page loads: stories260K when ../shared/models has it, else the generated tiny Llama. */
function pickModel() {
  if (existsSync(join(SHARED_MODELS, 'stories260K-onnx', 'config.json'))) return { dir: SHARED_MODELS, path: '/models/stories260K-onnx/', name: 'stories260K q4' };
  const fixtures = join(ROOT, 'test', 'fixtures', 'out');
  if (existsSync(join(fixtures, 'tiny-llama', 'config.json'))) return { dir: fixtures, path: '/models/tiny-llama/', name: 'the generated tiny-llama fixture, q4' };
  return undefined;
}

const work = mkdtempSync(join(tmpdir(), 'edgewise-npm-import-'));
const app = join(work, 'app');
let built = false;

try {
  await check('npm pack + npm install of the tarball + vite build emit the worker and the runtime files into the app\'s assets/', async () => {
    for (const f of ['edgewise.js', 'edgewise.worker.js', 'ort-wasm-simd-threaded.wasm', 'ort-wasm-simd-threaded.mjs']) {
      assert(existsSync(join(ROOT, 'dist', f)), `dist/${f} is missing: run \`npm run build\` first`);
    }
    assert(/new URL\(["'`]\.\/edgewise\.worker\.js["'`], import\.meta\.url\)/.test(readFileSync(join(ROOT, 'dist', 'edgewise.js'), 'utf8')),
      'dist/ was built before the worker could be found by bundlers: run `npm run build` again');
    assert(existsSync(VITE), 'node_modules/vite is missing: run `npm install` in the repository');

    const [packed] = JSON.parse(await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT, timeout: 60_000 }));
    const tarball = join(work, packed.filename);

    cpSync(join(ROOT, 'demos', 'npm-import'), app, { recursive: true, filter: (src) => !/[/\\](node_modules|dist)$/.test(src) });
    // The repository's .npmrc keeps any install script from downloading binaries.
    cpSync(join(ROOT, '.npmrc'), join(app, '.npmrc'));
    const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'));
    pkg.dependencies.edgewise = `file:${tarball}`;
    writeFileSync(join(app, 'package.json'), JSON.stringify(pkg, null, 2));
    // Vite is a dev dependency of the demo; the build uses the repository's copy instead.
    await run('npm', ['install', '--no-audit', '--no-fund', '--omit=dev', '--prefer-offline'], { cwd: app, timeout: 240_000 });
    assert(existsSync(join(app, 'node_modules', 'edgewise', 'dist', 'edgewise.worker.js')), 'the tarball installed edgewise with its dist/');

    await run(process.execPath, [VITE, 'build', '--logLevel', 'warn'], { cwd: app, timeout: 120_000 });
    const assets = readdirSync(join(app, 'dist', 'assets'));
    for (const re of [/^edgewise\.worker-[\w-]+\.js$/, /^ort-wasm-simd-threaded-[\w-]+\.wasm$/, /^ort-wasm-simd-threaded-[\w-]+\.mjs$/, /^ort-wasm-simd-threaded\.asyncify-[\w-]+\.wasm$/, /^ort-wasm-simd-threaded\.asyncify-[\w-]+\.mjs$/]) {
      assert(assets.some((a) => re.test(a)), `dist/assets/ has a file like ${re}: ${assets.join(', ')}`);
    }
    built = true;
  }, 420_000);

  await check('the Vite-built app streams a completion in Chromium, its worker and runtime loaded from its own assets/', async (skip) => {
    const model = pickModel();
    if (!model) skip('no model: ../shared/models/stories260K-onnx and test/fixtures/out/tiny-llama (npm run fixtures) are both absent');
    assert(built, 'the app was not built (see the check above)');
    console.log(`    model: ${model.name}`);
    const server = await serveApp(join(app, 'dist'), model.dir);
    const profile = join(work, 'profile');
    const browser = await launch(profile);
    try {
      const page = await browser.newPage();
      const seen = [];
      const logs = [];
      page.on('request', (r) => seen.push(r.url()));
      page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
      page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
      await page.goto(`${server.url}/?model=${encodeURIComponent(model.path)}`, { waitUntil: 'load' });
      await page.waitForFunction(() => document.body.dataset.done || document.body.dataset.error, { timeout: 120_000 });
      const [done, error, text, where, isolated] = await page.evaluate(() => [
        document.body.dataset.done, document.body.dataset.error, document.getElementById('out').textContent,
        document.getElementById('where').textContent, globalThis.crossOriginIsolated,
      ]);
      await screenshot(page, 'npm-import');
      console.log(`    ${where} crossOriginIsolated: ${isolated}; text: ${JSON.stringify(text.slice(0, 100))}`);
      assert(!error && (done === 'wasm' || done === 'webgpu'), `generated locally (done: ${done}, error: ${error}: ${where}; console: ${logs.slice(-5).join(' | ')})`);
      assert(text.startsWith(PROMPT) && text.length > PROMPT.length + 10, `the text grew past the prompt: ${JSON.stringify(text.slice(0, 100))}`);

      const paths = server.requests;
      const worker = paths.find((p) => /^\/assets\/edgewise\.worker-[\w-]+\.js$/.test(p));
      const wasm = paths.find((p) => /^\/assets\/ort-wasm-simd-threaded(\.asyncify)?-[\w-]+\.wasm$/.test(p));
      const glue = paths.find((p) => /^\/assets\/ort-wasm-simd-threaded(\.asyncify)?-[\w-]+\.mjs$/.test(p));
      assert(worker && wasm && glue, `the worker, the runtime glue and its .wasm came from /assets/ (requests: ${paths.join(', ')})`);
      assert(!paths.some((p) => p.includes('node_modules') || /^\/(edgewise\.worker\.js|ort-wasm)/.test(p)), `nothing was asked for outside the app's build (requests: ${paths.join(', ')})`);
      const foreign = seen.filter((u) => !u.startsWith(server.url) && !/^(data|blob):/.test(u));
      assert(foreign.length === 0, `no request left the app's origin (no CDN): ${foreign.join(', ')}`);
      console.log(`    from the app's build: ${worker}, ${glue}, ${wasm}`);
    } finally {
      await browser.close();
      await server.stop();
    }
  }, 180_000);

  await check('the faces page: the real `ai` streamText over edgewise/ai-sdk, then a Prompt-API session over edgewise/prompt-api, on one engine; the core-only page carries neither face', async (skip) => {
    const model = pickModel();
    if (!model) skip('no model: ../shared/models/stories260K-onnx and test/fixtures/out/tiny-llama (npm run fixtures) are both absent');
    assert(built, 'the app was not built (see the first check)');
    const assets = readdirSync(join(app, 'dist', 'assets'));
    const mainJs = assets.filter((a) => /^main-[\w-]+\.js$/.test(a)).map((a) => readFileSync(join(app, 'dist', 'assets', a), 'utf8')).join('\n');
    assert(mainJs.length > 0, `the core-only page has its own chunk: ${assets.join(', ')}`);
    assert(!/specificationVersion|promptStreaming|contextoverflow/.test(mainJs), 'the core-only page\'s chunk has no AI SDK or Prompt-API face code');
    const server = await serveApp(join(app, 'dist'), model.dir);
    const browser = await launch(join(work, 'profile-faces'));
    try {
      const page = await browser.newPage();
      const logs = [];
      page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
      await page.goto(`${server.url}/faces.html?model=${encodeURIComponent(model.path)}`, { waitUntil: 'load' });
      await page.waitForFunction(() => document.body.dataset.done || document.body.dataset.error, { timeout: 120_000 });
      const [done, error, text, session, where] = await page.evaluate(() => [
        document.body.dataset.done, document.body.dataset.error, document.getElementById('out').textContent,
        document.getElementById('session').textContent, document.getElementById('where').textContent,
      ]);
      console.log(`    ${where} streamText: ${JSON.stringify(text.slice(0, 60))}; session.prompt: ${JSON.stringify(session.slice(0, 60))}`);
      assert(!error && (done === 'wasm' || done === 'webgpu'), `both faces ran locally (done: ${done}, error: ${error}: ${where}; ${logs.join(' | ')})`);
      assert(text.length > 10 && session.length > 0, 'the AI SDK stream and the session both answered');
    } finally {
      await browser.close();
      await server.stop();
    }
  }, 180_000);
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(summary());

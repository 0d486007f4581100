#!/usr/bin/env node
// "Ship it: npm import", as an app developer meets it: `npm pack` this repository, install
// the tarball into a copy of demos/npm-import/, build it with Vite (no edgewise-specific
// configuration, no `assetsUrl`), serve the build, and stream a completion in Chromium.
// The worker and the runtime's .mjs/.wasm must come from the app's own assets/ folder.
// Then the same app with webpack 5 and with Parcel 2, each with the small configuration the
// README's "Ship it" section names (demos/npm-import/webpack.config.js, .parcelrc).
// Needs `npm run build` first (the tarball packs dist/). The npm registry is the only
// network it uses (the tarball's dependencies; the npm cache is preferred).
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, assert, check, launch, summary } from './harness.mjs';
import { LAYOUTS, assertLayout, assertStreams, buildWithParcel, buildWithWebpack, pickModel, run } from './npm-import-app.mjs';
import { serveApp } from './npm-import-serve.mjs';

const VITE = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
const NO_MODEL = 'no model: ../shared/models/stories260K-onnx and test/fixtures/out/tiny-llama (npm run fixtures) are both absent';

const work = mkdtempSync(join(tmpdir(), 'edgewise-npm-import-'));
const app = join(work, 'app');
const built = { vite: false, webpack: false, parcel: false };

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

    cpSync(join(ROOT, 'demos', 'npm-import'), app, { recursive: true, filter: (src) => !/[/\\](node_modules|dist|dist-webpack|dist-parcel|\.parcel-cache)$/.test(src) });
    // The repository's .npmrc keeps any install script from downloading binaries.
    cpSync(join(ROOT, '.npmrc'), join(app, '.npmrc'));
    const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'));
    pkg.dependencies.edgewise = `file:${tarball}`;
    writeFileSync(join(app, 'package.json'), JSON.stringify(pkg, null, 2));
    // Vite is a dev dependency of the demo; the build uses the repository's copy instead.
    await run('npm', ['install', '--no-audit', '--no-fund', '--omit=dev', '--prefer-offline'], { cwd: app, timeout: 240_000 });
    assert(existsSync(join(app, 'node_modules', 'edgewise', 'dist', 'edgewise.worker.js')), 'the tarball installed edgewise with its dist/');

    await run(process.execPath, [VITE, 'build', '--logLevel', 'warn'], { cwd: app, timeout: 120_000 });
    assertLayout(app, LAYOUTS.vite);
    built.vite = true;
  }, 420_000);

  await check('the Vite-built app streams a completion in Chromium, its worker and runtime loaded from its own assets/', async (skip) => {
    if (!pickModel()) skip(NO_MODEL);
    assert(built.vite, 'the app was not built (see the check above)');
    await assertStreams(app, LAYOUTS.vite, { profile: join(work, 'profile'), shot: 'npm-import' });
  }, 180_000);

  await check('the faces page: the real `ai` streamText over edgewise/ai-sdk, then a Prompt-API session over edgewise/prompt-api, on one engine; the core-only page carries neither face', async (skip) => {
    const model = pickModel();
    if (!model) skip(NO_MODEL);
    assert(built.vite, 'the app was not built (see the first check)');
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

  for (const [name, label, build] of [['webpack', 'webpack 5', buildWithWebpack], ['parcel', 'Parcel 2', buildWithParcel]]) {
    await check(`${label} builds the same app with the demo's ${name === 'webpack' ? 'webpack.config.js' : '.parcelrc'}: the worker, its chunks and both runtimes' .mjs/.wasm land in ${LAYOUTS[name].dir}/`, async () => {
      assert(existsSync(join(app, 'node_modules', 'edgewise')), 'the tarball was installed (see the first check)');
      const started = Date.now();
      await build(app, 300_000);
      const files = assertLayout(app, LAYOUTS[name]);
      console.log(`    ${label}: ${files.length} files in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      built[name] = true;
    }, 320_000);
    await check(`the ${label} build streams a completion in Chromium, its worker and runtime loaded from the build`, async (skip) => {
      if (!pickModel()) skip(NO_MODEL);
      assert(built[name], `the ${label} build did not finish (see the check above)`);
      await assertStreams(app, LAYOUTS[name], { profile: join(work, `profile-${name}`), shot: `npm-import-${name}` });
    }, 180_000);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(summary());

// The npm-import demo app as npm-import.mjs meets it: a command runner, the model the page
// loads, the builds with webpack 5 and Parcel 2 (Vite's is in npm-import.mjs), and one
// check that a build streams a completion in Chromium with its worker and runtime files
// taken from the build itself.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import webpack from 'webpack';
import { ROOT, SHARED_MODELS, assert, launch, screenshot } from './harness.mjs';
import { serveApp } from './npm-import-serve.mjs';

export const PROMPT = 'Once upon a time';
const PARCEL = join(ROOT, 'node_modules', 'parcel', 'lib', 'bin.js');

/** Runs a command to completion within `timeout` ms; resolves to stdout, rejects with the output's tail. */
export function run(file, args, { cwd, timeout, env = {} }) {
  return new Promise((ok, fail) => {
    execFile(file, args, { cwd, timeout, maxBuffer: 64 << 20, env: { ...process.env, npm_config_update_notifier: 'false', ...env } }, (err, stdout, stderr) => {
      if (err) fail(new Error(`${[file, ...args].join(' ')} failed (${err.killed ? `killed after ${timeout} ms` : `exit ${err.code}`}):\n${`${stdout}\n${stderr}`.trim().split('\n').slice(-15).join('\n')}`));
      else ok(stdout);
    });
  });
}

/** `npm pack` of this repository into `dest` (dist/ as built); resolves to the tarball's path. */
export async function packTarball(dest) {
  const [packed] = JSON.parse(await run('npm', ['pack', '--json', '--pack-destination', dest], { cwd: ROOT, timeout: 60_000 }));
  return join(dest, packed.filename);
}

/** The model the page loads: stories260K when ../shared/models has it, else the generated tiny Llama. */
export function pickModel() {
  if (existsSync(join(SHARED_MODELS, 'stories260K-onnx', 'config.json'))) return { dir: SHARED_MODELS, path: '/models/stories260K-onnx/', name: 'stories260K q4' };
  const fixtures = join(ROOT, 'test', 'fixtures', 'out');
  if (existsSync(join(fixtures, 'tiny-llama', 'config.json'))) return { dir: fixtures, path: '/models/tiny-llama/', name: 'the generated tiny-llama fixture, q4' };
  return undefined;
}

/** Where each bundler puts the worker, the runtime's .mjs glue and its .wasm (both builds: WASM and the WebGPU `.asyncify`). */
export const LAYOUTS = {
  vite: {
    dir: 'dist', worker: /^assets\/edgewise\.worker-[\w-]+\.js$/,
    glue: /^assets\/ort-wasm-simd-threaded(\.asyncify)?-[\w-]+\.mjs$/, wasm: /^assets\/ort-wasm-simd-threaded(\.asyncify)?-[\w-]+\.wasm$/,
  },
  // webpack names the worker's chunk after the Worker's `name` option, and assets by content hash.
  webpack: { dir: 'dist-webpack', worker: /^edgewise-inference\.js$/, glue: /^[0-9a-f]{20}\.mjs$/, wasm: /^[0-9a-f]{20}\.wasm$/ },
  parcel: {
    dir: 'dist-parcel', worker: /^edgewise\.worker\.[0-9a-f]{8}\.js$/,
    glue: /^ort-wasm-simd-threaded(\.asyncify)?\.[0-9a-f]{8}\.mjs$/, wasm: /^ort-wasm-simd-threaded(\.asyncify)?\.[0-9a-f]{8}\.wasm$/,
  },
};

/** Files under `dir`, relative, `/`-separated. */
function listFiles(dir, prefix = '') {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]));
}

/** Asserts the build in `app` holds the worker and both runtime builds' glue and .wasm; returns its file list. */
export function assertLayout(app, layout) {
  const files = listFiles(join(app, layout.dir));
  const count = (re) => files.filter((f) => re.test(f)).length;
  assert(count(layout.worker) === 1 && count(layout.glue) === 2 && count(layout.wasm) === 2,
    `${layout.dir}/ has the worker (${layout.worker}), two runtime glue files (${layout.glue}) and two .wasm (${layout.wasm}): ${files.join(', ')}`);
  return files;
}

/**
 * `webpack` with the demo's webpack.config.js, as `npm run build:webpack` does (the Node API
 * instead of webpack-cli), but unminified: terser over the 6 MB web-llm chunk is ~85% of the
 * build (39 s of 45 s on the 2-core CI machine) and changes no file name or URL. The
 * minified build streams too (checked by hand with webpack 5.113, issue 20).
 */
export async function buildWithWebpack(app) {
  const { default: config } = await import(pathToFileURL(join(app, 'webpack.config.js')).href);
  const unminified = { ...config, context: app, optimization: { ...config.optimization, minimize: false } };
  const stats = await new Promise((ok, fail) => webpack(unminified, (err, s) => (err ? fail(err) : ok(s))));
  assert(!stats.hasErrors(), `webpack built without errors:\n${stats.toString({ all: false, errors: true, errorDetails: false }).slice(0, 3000)}`);
  cpSync(join(app, 'webpack.html'), join(app, LAYOUTS.webpack.dir, 'index.html'));
}

/**
 * `parcel build index.html` with the demo's .parcelrc, as `npm run build:parcel` does. Parcel
 * lives in this repository, so the app is shown its plugins (.parcelrc extends
 * @parcel/config-default) through a link; --no-autoinstall keeps it from editing the app's
 * package.json, and --no-cache from writing a cache no later run reads.
 */
export async function buildWithParcel(app, timeout) {
  mkdirSync(join(app, 'node_modules'), { recursive: true });
  if (!existsSync(join(app, 'node_modules', '@parcel'))) symlinkSync(join(ROOT, 'node_modules', '@parcel'), join(app, 'node_modules', '@parcel'), 'dir');
  await run(process.execPath, [PARCEL, 'build', 'index.html', '--dist-dir', LAYOUTS.parcel.dir, '--no-autoinstall', '--no-cache', '--no-source-maps', '--log-level', 'warn'], { cwd: app, timeout });
}

/**
 * Serves `app`'s build for `layout`, opens its page in Chromium and waits for the streamed
 * completion; asserts it ran locally, and that the worker, the glue and the .wasm came from
 * the build (no node_modules path, nothing off the origin).
 */
export async function assertStreams(app, layout, { profile, shot }) {
  const model = pickModel();
  console.log(`    model: ${model.name}`);
  const dist = join(app, layout.dir);
  const server = await serveApp(dist, model.dir);
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
    await screenshot(page, shot);
    console.log(`    ${where} crossOriginIsolated: ${isolated}; text: ${JSON.stringify(text.slice(0, 100))}`);
    assert(!error && (done === 'wasm' || done === 'webgpu'), `generated locally (done: ${done}, error: ${error}: ${where}; console: ${logs.slice(-5).join(' | ')})`);
    assert(text.startsWith(PROMPT) && text.length > PROMPT.length + 10, `the text grew past the prompt: ${JSON.stringify(text.slice(0, 100))}`);

    const paths = server.requests.filter((p) => !p.startsWith('/models/')).map((p) => p.slice(1));
    const worker = paths.find((p) => layout.worker.test(p));
    const glue = paths.find((p) => layout.glue.test(p));
    const wasm = paths.find((p) => layout.wasm.test(p));
    assert(worker && glue && wasm, `the worker, the runtime glue and its .wasm came from the build (requests: ${paths.join(', ')})`);
    const outside = paths.filter((p) => p !== '' && !existsSync(join(dist, p)));
    assert(outside.length === 0, `nothing was asked for outside the app's build: ${outside.join(', ')}`);
    const foreign = seen.filter((u) => !u.startsWith(server.url) && !/^(data|blob):/.test(u));
    assert(foreign.length === 0, `no request left the app's origin (no CDN): ${foreign.join(', ')}`);
    console.log(`    from the app's build: ${worker}, ${glue}, ${wasm}`);
  } finally {
    await browser.close();
    await server.stop();
  }
}

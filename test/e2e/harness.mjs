// Shared by the end-to-end scripts: a tiny test list with a summary line, Chromium via
// puppeteer-core (never a downloaded browser), a free port, and the demo server.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ARTIFACTS = join(ROOT, 'test', 'e2e', 'artifacts');
export const SHARED_MODELS = resolve(ROOT, '..', 'shared', 'models');
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

const results = { passed: 0, failed: 0, skipped: 0 };

/** Runs one named check; `skip(reason)` inside marks it skipped (said, never counted as passed). */
export async function check(name, body, timeoutMs = 180_000) {
  const started = Date.now();
  let skipped;
  const skip = (reason) => { skipped = reason; throw Object.assign(new Error(reason), { skip: true }); };
  try {
    await Promise.race([body(skip), new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs))]);
    results.passed++;
    console.log(`  ✓ ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    if (skipped) {
      results.skipped++;
      console.log(`  - SKIP ${name}: ${skipped}`);
    } else {
      results.failed++;
      console.log(`  ✗ ${name}\n      ${String(e?.stack ?? e).split('\n').slice(0, 6).join('\n      ')}`);
    }
  }
}

export function summary() {
  console.log(`${results.passed} passed, ${results.failed} failed, ${results.skipped} skipped`);
  return results.failed === 0 ? 0 : 1;
}

export async function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

export function assert(cond, message) {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}

export async function launch(userDataDir) {
  return puppeteer.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    ...(userDataDir ? { userDataDir } : {}),
  });
}

export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Starts `node demos/serve.mjs` on a free port; resolves once it says it listens. */
export async function startDemoServer(extraArgs = []) {
  const port = await freePort();
  const child = spawn(process.execPath, ['demos/serve.mjs', '--port', String(port), ...extraArgs], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`the demo server did not start: ${output}`)), 20_000);
    const onData = (d) => {
      output += d;
      if (output.includes('edgewise demo:')) { clearTimeout(timer); ok(); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); fail(new Error(`the demo server exited (${code}): ${output}`)); });
  });
  let exited = false;
  child.once('exit', () => { exited = true; });
  const stop = () => new Promise((ok) => {
    if (exited) return ok();
    child.once('exit', () => ok());
    child.kill();
  });
  return { url: `http://127.0.0.1:${port}`, stop };
}

export const sharedModels = () => existsSync(join(SHARED_MODELS, 'stories260K-onnx', 'config.json'));

/**
 * Cuts the network for `page` alone (the server keeps running) and returns the list it
 * fills with every response or failure that did not come from the service worker or the
 * HTTP cache: what left the browser while offline.
 */
export async function goOffline(page) {
  const cdp = await page.createCDPSession();
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: true, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  const left = [];
  page.on('response', (r) => { if (!r.fromServiceWorker() && !r.fromCache() && /^https?:/.test(r.url())) left.push(`${r.status()} ${r.url()}`); });
  page.on('requestfailed', (r) => { if (/^https?:/.test(r.url())) left.push(`failed ${r.url()} (${r.failure()?.errorText})`); });
  return left;
}

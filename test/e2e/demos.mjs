#!/usr/bin/env node
// Acceptance of issue 10 in real Chromium, against `demos/serve.mjs` (what `npm start`
// serves): the <script> drop-in, the strict-CSP page, and the PWA assistant (online, then
// offline with zero requests leaving, and a long prompt handed to the remote endpoint;
// installable, opening offline at each of its addresses: demos-pwa.mjs, issue 20).
// Screenshots go to test/e2e/artifacts/ (git-ignored build artefacts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assert, check, launch, screenshot, sharedModels, startDemoServer, summary } from './harness.mjs';
import { assistantChecks } from './demos-assistant.mjs';
import { documentsChecks } from './demos-documents.mjs';
import { pwaChecks } from './demos-pwa.mjs';

const server = await startDemoServer();
const profile = mkdtempSync(join(tmpdir(), 'edgewise-e2e-'));
const browser = await launch(profile);
try {
  await check('the <script> drop-in streams a completion from stories260K', async (skip) => {
    if (!sharedModels()) skip('../shared/models is absent (the drop-in demo loads stories260K from there)');
    const page = await browser.newPage();
    await page.goto(`${server.url}/script-tag/`, { waitUntil: 'load' });
    await page.waitForFunction(() => document.body.dataset.done, { timeout: 120_000 });
    const [text, ranOn] = await page.evaluate(() => [document.getElementById('out').textContent, document.body.dataset.done]);
    assert(text.length > 40 && /Once upon a time/.test(text), `streamed text: ${text.slice(0, 80)}`);
    assert(ranOn === 'wasm' || ranOn === 'webgpu', `ran locally: ${ranOn}`);
    await screenshot(page, 'script-tag');
    await page.close();
  });

  await check('the Prompt-API sample app, not a line changed, runs on edgewise through install() at /prompt-api-sample/edgewise.html', async () => {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${server.url}/prompt-api-sample/edgewise.html`, { waitUntil: 'load' });
    await page.waitForFunction(() => /^(model: ready|error)/.test(document.getElementById('status').textContent), { timeout: 120_000 });
    assert((await page.$eval('#status', (e) => e.textContent)) === 'model: ready', `the app created its session: ${await page.$eval('#status', (e) => e.textContent)} ${errors.join(' | ')}`);
    await page.click('#ask');
    await page.waitForFunction(() => !document.getElementById('ask').disabled && document.getElementById('answer').textContent.length > 0, { timeout: 120_000 });
    const [status, answer, usage] = await page.evaluate(() => ['status', 'answer', 'usage'].map((id) => document.getElementById(id).textContent));
    assert(status === 'model: ready' && answer.length > 0 && /^context: \d+ of \d+ tokens$/.test(usage), `streamed an answer: ${status} | ${answer.slice(0, 60)} | ${usage}`);
    await screenshot(page, 'prompt-api-sample');
    await page.close();
  });

  await check('a page under the strict Content-Security-Policy generates (WASM path), structured output included', async (skip) => {
    if (!sharedModels()) skip('../shared/models is absent (the CSP demo loads stories260K from there)');
    const page = await browser.newPage();
    const violations = [];
    page.on('console', (m) => { if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text()); });
    const response = await page.goto(`${server.url}/csp/`, { waitUntil: 'load' });
    assert(/wasm-unsafe-eval/.test(response.headers()['content-security-policy'] ?? ''), 'the page is served with the strict CSP');
    await page.waitForFunction(() => document.body.dataset.done || document.body.dataset.error, { timeout: 120_000 });
    const [done, error, text] = await page.evaluate(() => [document.body.dataset.done, document.body.dataset.error, document.getElementById('out').textContent]);
    assert(done === 'ok' && !error, `generated under the CSP (error: ${error}; violations: ${violations.join(' | ')})`);
    assert(text.length > 20, `text: ${text.slice(0, 80)}`);
    // Structured output under the same policy: XGrammar in the worker (WASM, no eval) and
    // the JSON Schema validator on the page (no code generation), with no violation.
    const structured = await page.evaluate(async () => {
      const { createEngine } = await import('/dist/edgewise.js');
      const engine = createEngine({ model: { id: 'stories260K', url: '/models/stories260K-onnx/', dtype: 'q4' }, device: 'wasm', cache: false });
      try {
        return { value: await engine.object({ prompt: 'Lily', schema: { type: 'object', properties: { name: { type: 'string', maxLength: 12 }, age: { type: 'integer', minimum: 1, maximum: 9 } }, required: ['name', 'age'] } }) };
      } catch (e) {
        return { error: `${e?.code ?? 'untyped'}: ${e?.message ?? String(e)}` };
      } finally {
        await engine.dispose();
      }
    });
    assert(structured.value && Number.isInteger(structured.value.age) && violations.length === 0, `structured output under the CSP: ${JSON.stringify(structured)}; violations: ${violations.join(' | ')}`);
    // A path that needs more than the policy allows fails typed, promptly: a remote endpoint
    // on another origin is blocked by connect-src.
    const blocked = await page.evaluate(async () => {
      const { createEngine } = await import('/dist/edgewise.js');
      const engine = createEngine({ remote: { baseURL: 'http://127.0.0.1:9/v1', model: 'x', maxRetries: 0 }, policy: 'remote-only' });
      const t0 = performance.now();
      try {
        await engine.text({ prompt: 'hi' });
        return { code: 'no error', ms: performance.now() - t0 };
      } catch (e) {
        return { code: e?.code ?? `untyped ${String(e)}`, ms: performance.now() - t0 };
      } finally {
        await engine.dispose();
      }
    });
    assert(blocked.code === 'remote_network_error' && blocked.ms < 5000, `a blocked remote ends typed and promptly: ${JSON.stringify(blocked)}`);
    await screenshot(page, 'csp');
    await page.close();
  });

  // On its own server: its offline check stops that one.
  await pwaChecks(browser);
  // Before the assistant's checks: their offline check stops the server.
  await documentsChecks(browser, server);
  await assistantChecks(browser, server);
} finally {
  await browser.close();
  await server.stop();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(summary());

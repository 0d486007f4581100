// The PWA assistant (demos/assistant/), as a person uses it: a hand-off answered by the demo
// server's own model; pick stories260K, ask, ask a prompt too long for the device (it goes
// to the demo's remote endpoint, and says why),
// then go offline, reload, and ask again: the page opens from the service worker, the
// weights come from IndexedDB, and no request leaves the browser.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assert, check, goOffline, screenshot, SHARED_MODELS, sharedModels } from './harness.mjs';

/** stories260K's documented greedy sample (MODEL_CARD.md), the oracle test/browser/stories-oracle.test.ts reads too. */
function documentedSample() {
  const card = readFileSync(join(SHARED_MODELS, 'stories260K-onnx', 'MODEL_CARD.md'), 'utf8');
  return /```\n\$ [^\n]*\n([\s\S]*?)```/.exec(card.slice(card.indexOf('temperature 0.0')))[1];
}

async function pickModel(page, label) {
  await page.waitForFunction((l) => [...document.querySelectorAll('#model option')].some((o) => o.textContent.includes(l)), { timeout: 30_000 }, label);
  await page.evaluate((l) => {
    const select = document.getElementById('model');
    const option = [...select.options].find((o) => o.textContent.includes(l));
    select.value = option.value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
  }, label);
}

async function setPolicy(page, policy) {
  await page.evaluate((p) => {
    const select = document.getElementById('policy');
    select.value = p;
    select.dispatchEvent(new Event('change', { bubbles: true }));
  }, policy);
}

/** Sends a prompt and waits for its answer to finish; returns where it ran and why. */
async function ask(page, prompt) {
  const before = await page.$$eval('#messages [data-state]', (els) => els.length);
  await page.$eval('#prompt', (el, text) => {
    el.value = text;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, prompt);
  await page.click('#send');
  await page.waitForFunction((n) => {
    const states = [...document.querySelectorAll('#messages [data-state]')];
    const last = states.at(-1);
    return states.length > n && last && (last.dataset.state === 'done' || last.dataset.state === 'error');
  }, { timeout: 120_000 }, before);
  return page.evaluate(() => {
    const last = [...document.querySelectorAll('#messages [data-state]')].at(-1);
    const badge = last.querySelector('.badge');
    return {
      state: last.dataset.state, text: last.textContent, answer: last.querySelector('.body')?.textContent ?? '',
      ranOn: badge?.dataset.ranOn ?? document.body.dataset.lastRanOn, reason: badge?.dataset.reason ?? document.body.dataset.lastReason,
      model: badge?.dataset.model, headline: badge?.querySelector('strong')?.textContent,
    };
  });
}

export async function assistantChecks(browser, server) {
  await check('assistant: a hand-off is answered by the demo server\'s own model (stories260K in Node, its greedy text), and the badge names the model', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/`, { waitUntil: 'load' });
    await page.waitForFunction(() => document.body.dataset.ready === 'true', { timeout: 30_000 });
    await setPolicy(page, 'remote-only');
    const remote = await ask(page, 'Once upon a time');
    const shown = JSON.stringify({ ...remote, text: undefined, answer: remote.answer.slice(0, 100) });
    assert(remote.state === 'done' && remote.ranOn === 'remote', `answered by the remote endpoint: ${shown}`);
    if (sharedModels()) {
      // The page asks for temperature 0 (the SDK's default): greedy, so the oracle's first line exactly.
      const firstLine = documentedSample().slice('Once upon a time'.length).split('\n')[0];
      assert(remote.answer.startsWith(firstLine), `stories260K's greedy continuation came from /v1: ${shown}`);
      assert(remote.model === 'stories260K-onnx' && remote.headline.includes('stories260K-onnx'), `the badge names the endpoint's model: ${shown}`);
    } else {
      assert(remote.answer.startsWith('[stand-in endpoint]') && remote.model === 'stand-in', `without ../shared/models the labelled stand-in answers: ${shown}`);
    }
    await screenshot(page, 'assistant-remote-model');
    await page.close();
  });

  await check('assistant: stories260K answers on the device; a prompt longer than its context goes to the remote endpoint under prefer-local, and the badge and the insight panel say so', async (skip) => {
    if (!sharedModels()) skip('../shared/models is absent (the assistant test uses stories260K)');
    const page = await browser.newPage();
    await page.goto(`${server.url}/`, { waitUntil: 'load' });
    await pickModel(page, 'stories260K');
    await setPolicy(page, 'prefer-local');
    const local = await ask(page, 'Once upon a time');
    assert(local.state === 'done' && (local.ranOn === 'wasm' || local.ranOn === 'webgpu'), `the short prompt ran locally: ${JSON.stringify(local)}`);
    const long = await ask(page, 'Tell me a story about '.concat('a dragon and a princess and a castle '.repeat(120)));
    assert(long.state === 'done' && long.ranOn === 'remote' && long.reason === 'context_overflow', `the long prompt went remote for the context: ${JSON.stringify({ ...long, text: long.text.slice(0, 80) })}`);
    assert(long.model === 'stories260K-onnx', `the badge names the endpoint's model: ${long.model}`);
    const insight = await page.$$eval('#insight [data-request]', (rows) => rows.map((r) => r.textContent));
    assert(insight.length >= 2, `one insight row per request (${insight.length})`);
    const panel = await page.$eval('#insight', (el) => el.textContent.toLowerCase());
    assert(panel.includes('remote') && (panel.includes('wasm') || panel.includes('webgpu')), 'the insight panel shows both routes');
    await screenshot(page, 'assistant');
    await page.close();
  }, 240_000);

  await check('PWA: online once with stories260K, then offline and reloaded, it opens from the service worker and answers; no request leaves the browser', async (skip) => {
    if (!sharedModels()) skip('../shared/models is absent (the offline test uses stories260K)');
    const page = await browser.newPage();
    await page.goto(`${server.url}/`, { waitUntil: 'load' });
    // The first visit installs the service worker; the second load is controlled by it.
    await page.evaluate(async () => { await navigator.serviceWorker.ready; });
    await page.reload({ waitUntil: 'load' });
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, { timeout: 30_000 });
    await pickModel(page, 'stories260K');
    await setPolicy(page, 'local-only');
    const online = await ask(page, 'Once upon a time');
    assert(online.state === 'done', `answered online: ${JSON.stringify(online)}`);

    await server.stop();
    const left = await goOffline(page);
    await page.reload({ waitUntil: 'load' });
    await page.waitForSelector('#prompt', { timeout: 30_000 });
    await pickModel(page, 'stories260K');
    await setPolicy(page, 'local-only');
    const offline = await ask(page, 'Once upon a time');
    assert(offline.state === 'done' && offline.text.length > 20, `answered offline: ${JSON.stringify({ ...offline, text: offline.text.slice(0, 80) })}`);
    const indicator = await page.$eval('#offline', (el) => el.dataset.online);
    assert(indicator === 'false', `the offline indicator shows offline (${indicator})`);
    assert(left.length === 0, `no request left the browser: ${left.join(', ')}`);
    await screenshot(page, 'assistant-offline');
    await page.close();
  }, 240_000);
}

// The assistant as an installable PWA (issue 20): it has one URL, `/`, and opens offline at
// every address the server answers with it (the others redirect to `/`, online from the
// server, offline from sw.js); Chromium finds it installable, with PNG icons (192, 512,
// maskable) that are real PNGs of their sizes; the install button shows only when the
// browser offers to install. Its own demo server (its own origin, a fresh service worker);
// no model is needed.
import { APP_ALIASES } from '../../demos/server/routes.mjs';
import { assert, check, goOffline, screenshot, startDemoServer } from './harness.mjs';

/** Every address the server answers with the app: `/`, with a query, and each alias. */
const APP_URLS = ['/', '/?from=e2e', ...APP_ALIASES, '/assistant/index.html?from=e2e'];
const searchOf = (path) => new URL(path, 'http://x').search;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** `WxH` from a PNG's IHDR chunk; undefined when `bytes` is not a PNG. */
function pngSize(bytes) {
  if (bytes.length < 24 || PNG_SIGNATURE.some((b, i) => bytes[i] !== b) || bytes.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return `${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`;
}

/**
 * Runs `body(page)` on a page of the app once it has booted (`data-ready`), then asserts
 * that nothing reached the console as an error; closes the page either way.
 */
async function inApp(browser, url, body) {
  const page = await browser.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  // Counts the offers Chromium makes by itself (it does once the app is installable here).
  await page.evaluateOnNewDocument(() => {
    globalThis.offers = 0;
    // Registered before install.js's listener, so it sees the button as it was before the offer.
    addEventListener('beforeinstallprompt', () => {
      if (globalThis.offers++ === 0) globalThis.hiddenBeforeOffer = document.getElementById('install')?.hidden;
    });
  });
  await page.goto(url, { waitUntil: 'load' });
  try {
    await page.waitForFunction(() => document.body.dataset.ready === 'true', { timeout: 30_000 });
    await body(page);
    assert(errors.length === 0, `no console errors: ${errors.join(' | ')}`);
  } finally {
    await page.close();
  }
}

export async function pwaChecks(browser) {
  const server = await startDemoServer();
  try {
    await check('PWA: the app has one URL: every other address the server answers with it redirects to /, its query kept', async () => {
      for (const path of APP_URLS.filter((p) => new URL(p, 'http://x').pathname !== '/')) {
        const res = await fetch(`${server.url}${path}`, { redirect: 'manual' });
        assert(res.status === 301 && res.headers.get('location') === `/${searchOf(path)}`, `${path} redirects to /${searchOf(path)} (${res.status} ${res.headers.get('location')})`);
      }
      const page = await (await fetch(`${server.url}/`)).text();
      assert(page.includes('src="/assistant/app.js"'), '/ is the app');
    });

    await check('PWA: the manifest lists PNG icons of 192 and 512 px and a maskable one, each a real PNG of its size (the maskable one full-bleed), and Chromium finds the app installable', async () => {
      const manifest = await (await fetch(`${server.url}/assistant/manifest.webmanifest`)).json();
      const wanted = [{ sizes: '192x192', purpose: 'any' }, { sizes: '512x512', purpose: 'any' }, { sizes: '512x512', purpose: 'maskable' }];
      const found = [];
      for (const want of wanted) {
        const icon = manifest.icons.find((i) => i.type === 'image/png' && i.sizes === want.sizes && (i.purpose ?? 'any').split(' ').includes(want.purpose));
        assert(icon, `the manifest lists a ${want.purpose} PNG icon of ${want.sizes}: ${JSON.stringify(manifest.icons)}`);
        const res = await fetch(new URL(icon.src, server.url));
        const size = pngSize(Buffer.from(await res.arrayBuffer()));
        assert(res.ok && res.headers.get('content-type') === 'image/png' && size === want.sizes, `${icon.src} is a PNG of ${want.sizes} (${res.status} ${res.headers.get('content-type')}, ${size})`);
        found.push(icon.src);
      }
      await inApp(browser, `${server.url}/`, async (page) => {
        // Full-bleed: a mask may cut any corner, so the maskable icon is opaque to its edges.
        const corners = await page.evaluate(async (src) => {
          const img = new Image();
          img.src = src;
          await img.decode();
          const ctx = new OffscreenCanvas(img.width, img.height).getContext('2d');
          ctx.drawImage(img, 0, 0);
          return [[0, 0], [img.width - 1, 0], [0, img.height - 1], [img.width - 1, img.height - 1]].map(([x, y]) => ctx.getImageData(x, y, 1, 1).data[3]);
        }, found[2]);
        assert(corners.every((a) => a === 255), `the maskable icon is opaque in its corners (alpha ${corners.join(', ')})`);
        await page.waitForFunction(() => document.body.dataset.offlineReady === 'true', { timeout: 60_000 });
        const cdp = await page.createCDPSession();
        const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
        assert(installabilityErrors.length === 0, `Chromium finds the app installable: ${JSON.stringify(installabilityErrors)}`);
      });
    });

    await check('PWA: the install button is hidden until beforeinstallprompt (Chromium\'s own offer shows it), opens the prompt once, and hides when used or on appinstalled', async () => {
      await inApp(browser, `${server.url}/`, async (page) => {
        // The service worker installed by the check above is in control: Chromium offers the install itself.
        await page.waitForFunction(() => globalThis.offers > 0 && !document.getElementById('install').hidden, { timeout: 10_000 });
        const hiddenAtFirst = await page.evaluate(() => globalThis.hiddenBeforeOffer);
        // Then a recording stand-in for the event: a real prompt() opens a dialog no one answers.
        const seen = await page.evaluate(async () => {
          const button = /** @type {HTMLButtonElement} */ (document.getElementById('install'));
          const tick = () => new Promise((r) => setTimeout(r, 50));
          const calls = [];
          const offer = () => Object.assign(new Event('beforeinstallprompt', { cancelable: true }), {
            prompt: async () => { calls.push('prompt'); },
            userChoice: Promise.resolve({ outcome: 'accepted', platform: 'web' }),
          });
          dispatchEvent(new Event('appinstalled'));
          const states = { hiddenOnInstalled: button.hidden, name: button.textContent.trim(), type: button.type };
          const first = offer();
          dispatchEvent(first);
          states.offered = !button.hidden && first.defaultPrevented;
          button.click();
          await tick();
          states.afterUse = { hidden: button.hidden, calls: calls.length, outcome: document.body.dataset.install };
          button.click();
          await tick();
          states.callsAfterSecondClick = calls.length;
          return states;
        });
        const shown = JSON.stringify({ hiddenAtFirst, ...seen });
        assert(hiddenAtFirst && seen.name === 'Install app' && seen.type === 'button', `hidden until offered, a named button: ${shown}`);
        assert(seen.hiddenOnInstalled && seen.offered && seen.afterUse.hidden && seen.afterUse.calls === 1 && seen.afterUse.outcome === 'accepted', `appinstalled hides it; an offer shows it; a click calls prompt() and hides it: ${shown}`);
        assert(seen.callsAfterSecondClick === 1, `a used offer is not prompted again: ${shown}`);
      });
    });

    await check('PWA: with the server stopped and the network gone, the app opens and starts at every address the server answers with it; no request leaves the browser', async () => {
      await inApp(browser, `${server.url}/`, async (page) => {
        await page.waitForFunction(() => document.body.dataset.offlineReady === 'true', { timeout: 60_000 });
        await server.stop();
        const left = await goOffline(page);
        for (const path of APP_URLS) {
          await page.goto(`${server.url}${path}`, { waitUntil: 'load' });
          await page.waitForFunction(() => document.body.dataset.ready === 'true' && document.body.dataset.offlineReady === 'true', { timeout: 30_000 });
          const [at, online] = await page.evaluate(() => [location.pathname + location.search, document.getElementById('offline')?.dataset.online]);
          assert(at === `/${searchOf(path)}` && online === 'false', `${path} opened the app at /${searchOf(path)} offline (at ${at}, online indicator ${online})`);
        }
        await screenshot(page, 'assistant-offline-alias');
        assert(left.length === 0, `no request left the browser: ${left.join(', ')}`);
      });
    }, 240_000);
  } finally {
    await server.stop();
  }
}

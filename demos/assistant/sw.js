// The assistant's service worker, served as /sw.js so its scope is the whole origin.
//
// What it caches: on install, the app shell (SHELL below) plus every URL the server lists
// at /precache-manifest.json (the shell and the SDK's runtime files under /dist/: bundles,
// chunks, the worker, onnxruntime's .mjs and .wasm), into one cache named after VERSION.
// How it serves: requests for the shell and /dist/ are answered cache-first; a listed file
// the install missed is fetched and stored on first use. Everything else is left to the
// network without the worker touching it: /api/* (model list, config), /v1/* (the remote
// endpoint), /models/* (weights, with Range requests; the SDK keeps them in IndexedDB,
// not here). Bump VERSION to ship a new shell: activate deletes every older cache.
// While online, each start of the app also checks in the background whether the server's
// files changed (a rebuilt SDK during development): changed ones are stored again, and the
// page is told to reload. The page that asked keeps the files it already had.
// The app's one URL is `/`: navigations to its other addresses (APP_ALIASES) get the
// redirect the server gives online, so they open offline too and land on the same page.
const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));
const VERSION = 'v4';
const PREFIX = 'edgewise-assistant-';
const CACHE = `${PREFIX}${VERSION}`;
const SHELL = [
  '/',
  '/assistant/styles.css',
  '/assistant/app.js',
  '/assistant/badge.js',
  '/assistant/cache-panel.js',
  '/assistant/chart.js',
  '/assistant/chat.js',
  '/assistant/citations.js',
  '/assistant/doc-files.js',
  '/assistant/doc-index.js',
  '/assistant/doc-list.js',
  '/assistant/doc-search.js',
  '/assistant/documents.js',
  '/assistant/dom.js',
  '/assistant/format.js',
  '/assistant/insight.js',
  '/assistant/markdown.js',
  '/assistant/models.js',
  '/assistant/offline.js',
  '/assistant/prefs.js',
  '/assistant/progress.js',
  '/assistant/session.js',
  '/assistant/settings.js',
  '/assistant/sw-register.js',
  '/assistant/manifest.webmanifest',
  '/assistant/icon.svg',
  '/assistant/icon-192.png',
  '/assistant/icon-512.png',
  '/assistant/icon-maskable-512.png',
  '/assistant/install.js',
  '/dist/edgewise.js',
  '/dist/edgewise.worker.js',
  // The Documents panel: the index's entry and worker (their chunks come from the manifest).
  '/dist/edgewise.search.js',
  '/dist/edgewise.search.worker.js',
];
// The same list as APP_ALIASES in demos/server/routes.mjs (test/e2e/demos-pwa.mjs opens each offline).
const APP_ALIASES = ['/index.html', '/assistant', '/assistant/', '/assistant/index.html'];
// Where the list of precached paths is kept, so a restarted worker still knows it.
const LIST_KEY = '/__precache-list__';
// Served cache-first; any other path goes straight to the network.
const CACHE_FIRST = [/^\/assistant\//, /^\/dist\//];

sw.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const listed = await fetch('/precache-manifest.json', { cache: 'no-store' })
      .then((res) => (res.ok ? res.json() : []))
      .catch(() => []);
    const paths = [...new Set([...SHELL, ...(Array.isArray(listed) ? listed : [])].map(samePath).filter(Boolean))];
    const cache = await caches.open(CACHE);
    const results = await Promise.allSettled(paths.map((path) => store(cache, path)));
    const failed = paths.filter((_, i) => results[i].status === 'rejected');
    if (failed.length) console.warn(`edgewise assistant: ${failed.length} files not precached (fetched on first use instead):`, failed);
    // The shell page itself is the one file an offline start cannot do without.
    if (failed.includes('/')) throw new Error('The app page could not be precached; the install will be retried.');
    await cache.put(LIST_KEY, new Response(JSON.stringify(paths), { headers: { 'content-type': 'application/json' } }));
    listCache = undefined;
    await sw.skipWaiting();
  })());
});

sw.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n)));
    await sw.clients.claim();
  })());
});

sw.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || req.headers.has('range')) return;
  const url = new URL(req.url);
  if (url.origin !== sw.location.origin) return;
  if (req.mode === 'navigate') {
    // The app is one page: any navigation to it (with or without a query) gets the shell.
    if (url.pathname === '/') {
      event.respondWith(cacheFirst('/', req));
      event.waitUntil(revalidate());
    } else if (APP_ALIASES.includes(url.pathname)) {
      event.respondWith(Response.redirect(`/${url.search}`, 301));
    }
    return;
  }
  if (CACHE_FIRST.some((re) => re.test(url.pathname)) && !url.search) event.respondWith(cacheFirst(url.pathname, req));
});

/** @param {string} path @param {Request} req */
async function cacheFirst(path, req) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(path);
  if (hit) return hit;
  const res = await fetch(req);
  if (res.status === 200 && (await listed()).has(path)) {
    // Stored only when listed: source maps and other extras stay out of the cache.
    await cache.put(path, clean(res.clone())).catch(() => undefined);
  }
  return res;
}

/** @type {Promise<Set<string>> | undefined} */
let listCache;
function listed() {
  listCache ??= caches.open(CACHE)
    .then((cache) => cache.match(LIST_KEY))
    .then((res) => (res ? res.json() : SHELL))
    .then((paths) => new Set(paths))
    .catch(() => new Set(SHELL));
  return listCache;
}

let lastCheck = 0;

/**
 * Compares the server's list and validators (ETag, else Last-Modified and size, from HEAD
 * requests) with what is stored; stores what changed, drops what the list no longer names.
 */
async function revalidate() {
  if (!navigator.onLine || Date.now() - lastCheck < 10_000) return;
  lastCheck = Date.now();
  try {
    const res = await fetch('/precache-manifest.json', { cache: 'no-store' });
    if (!res.ok) return;
    const fromServer = await res.json();
    if (!Array.isArray(fromServer)) return;
    const paths = [...new Set([...SHELL, ...fromServer].map(samePath).filter(Boolean))];
    const cache = await caches.open(CACHE);
    const changed = [];
    await Promise.all(paths.map(async (path) => {
      const old = await cache.match(path);
      if (old) {
        const head = await fetch(path, { method: 'HEAD', cache: 'no-store' }).catch(() => undefined);
        const now = head?.ok ? validator(head.headers) : '';
        if (!now || now === validator(old.headers)) return;
      }
      await store(cache, path).then(() => changed.push(path), () => undefined);
    }));
    const before = await listed();
    const gone = [...before].filter((p) => !paths.includes(p));
    await Promise.all(gone.map((p) => cache.delete(p)));
    await cache.put(LIST_KEY, new Response(JSON.stringify(paths), { headers: { 'content-type': 'application/json' } }));
    listCache = undefined;
    if (changed.length) {
      for (const client of await sw.clients.matchAll({ type: 'window' })) client.postMessage({ type: 'edgewise-assistant:updated', paths: changed });
    }
  } catch {
    // Offline or the server is restarting: the stored files keep serving.
  }
}

/** @param {Headers} h */
const validator = (h) => h.get('etag') ?? (h.get('last-modified') ? `${h.get('last-modified')}|${h.get('content-length')}` : '');

/** @param {Cache} cache @param {string} path */
async function store(cache, path) {
  // `reload` skips the HTTP cache, so a new VERSION never stores stale files.
  const res = await fetch(path, { cache: 'reload' });
  if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}`);
  await cache.put(path, clean(res));
}

/**
 * A redirected response cannot answer a navigation; copy it into a plain one. Headers are
 * kept, COOP/COEP included, so the page stays cross-origin isolated when served from here.
 * @param {Response} res
 */
function clean(res) {
  return res.redirected ? new Response(res.body, { status: res.status, statusText: res.statusText, headers: res.headers }) : res;
}

/** @param {unknown} u */
function samePath(u) {
  if (typeof u !== 'string') return '';
  try {
    const url = new URL(u, sw.location.origin);
    return url.origin === sw.location.origin ? url.pathname : '';
  } catch {
    return '';
  }
}

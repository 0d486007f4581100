// What each URL of the demo server serves. Every response is cross-origin isolated, which
// lets the WASM runtime use threads (SharedArrayBuffer needs COOP + COEP).
import { join, resolve } from 'node:path';
import { listModels } from './models.mjs';
import { precacheManifest } from './precache.mjs';
import { inside, sendFile, sendJSON, sendText } from './static.mjs';

const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * The assistant's one URL is `/` (its manifest's start_url and scope). These other
 * addresses of it redirect there; offline, sw.js answers them with the same redirect.
 */
export const APP_ALIASES = Object.freeze(['/index.html', '/assistant', '/assistant/', '/assistant/index.html']);

/** The strict policy the CSP demo proves the SDK runs under: no inline script, no eval, WASM allowed. */
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; connect-src 'self'";

/** This server's own origin as the browser sees it (a Host that looks odd falls back to the socket's address). */
function originOf(req) {
  const host = req.headers.host ?? '';
  const ok = /^([a-z0-9.-]+|\[[0-9a-f:.]+\])(:\d{1,5})?$/i.test(host);
  return `http://${ok ? host : `127.0.0.1:${req.socket.localPort}`}`;
}

/**
 * @param {{ root: string, modelsDir?: string, remote?: { baseURL: string, model: string },
 *   endpoint: ReturnType<typeof import('./model-endpoint.mjs').createModelEndpoint> }} options the endpoint answers /v1
 * @returns {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => Promise<void>}
 */
export function createHandler({ root, modelsDir, remote, endpoint }) {
  const dir = {
    assistant: join(root, 'demos/assistant'),
    demos: join(root, 'demos'),
    dist: join(root, 'dist'),
    fixtures: join(root, 'test/fixtures/out'),
    shared: resolve(root, '../shared/models'),
  };

  const files = {
    '/': [join(dir.assistant, 'index.html')],
    '/sw.js': [join(dir.assistant, 'sw.js'), { 'Service-Worker-Allowed': '/', 'Cache-Control': 'no-cache' }],
    '/manifest.webmanifest': [join(dir.assistant, 'manifest.webmanifest')],
    '/basic.html': [join(dir.demos, 'basic.html')],
  };

  // First match wins, so the more specific /models/ prefixes come before /models.
  const mounts = [
    ['/assistant', dir.assistant],
    ['/script-tag', join(dir.demos, 'script-tag')],
    ['/prompt-api-sample', join(dir.demos, 'prompt-api-sample')],
    ['/csp', join(dir.demos, 'csp'), { 'Content-Security-Policy': CSP }],
    ['/dist', dir.dist],
    ['/models/fixtures', dir.fixtures],
    ...(modelsDir ? [['/models/local', modelsDir]] : []),
    ['/models', dir.shared],
  ];

  const api = {
    '/api/models': () => listModels({ modelsDir, sharedDir: dir.shared, fixturesDir: dir.fixtures }),
    '/api/config': async (req) => ({
      remote: remote ? { baseURL: remote.baseURL, model: remote.model, label: 'your provider' } : await endpoint.config(`${originOf(req)}/v1`),
    }),
    '/precache-manifest.json': () => precacheManifest({ assistantDir: dir.assistant, distDir: dir.dist }),
  };

  return async function handle(req, res) {
    for (const [name, value] of Object.entries(ISOLATION)) res.setHeader(name, value);
    const path = new URL(req.url ?? '/', 'http://x').pathname;

    if (path === '/v1' || path.startsWith('/v1/')) return endpoint.handle(req, res, path);
    if (api[path]) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'method not allowed', { Allow: 'GET, HEAD' });
      return sendJSON(res, 200, await api[path](req));
    }
    // No demo has an icon; an empty answer keeps a 404 for it out of every page's console.
    if (path === '/favicon.ico') return res.writeHead(204, { 'Cache-Control': 'max-age=86400' }).end();
    if (files[path]) return sendFile(req, res, ...files[path]);
    if (APP_ALIASES.includes(path)) {
      // no-cache: a browser keeps a bare 301 for good, which would outlive a change of URL.
      return res.writeHead(301, { Location: `/${new URL(req.url ?? '/', 'http://x').search}`, 'Cache-Control': 'no-cache' }).end();
    }
    const mount = mounts.find(([prefix]) => path === prefix || path.startsWith(`${prefix}/`));
    if (!mount) return sendText(res, 404, 'not found');
    const [prefix, base, headers] = mount;
    return sendFile(req, res, inside(base, path.slice(prefix.length)), headers);
  };
}

// A static server for the built npm-import demo: the app's `dist/` at `/`, a models folder
// at `/models/`, cross-origin isolated (so the runtime may use threads), on 127.0.0.1. It
// records every path asked for, so the test can say where the worker and the runtime came from.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  // instantiateStreaming needs this exact type.
  '.wasm': 'application/wasm',
};

const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** `rel` (a URL path, still encoded) inside `dir`, or undefined when it escapes it. */
function inside(dir, rel) {
  let decoded;
  try { decoded = decodeURIComponent(rel); } catch { return undefined; }
  const file = resolve(join(dir, decoded));
  return file === dir || file.startsWith(dir + sep) ? file : undefined;
}

/** Serves `appDir` at `/` and `modelsDir` at `/models/`; resolves to `{ url, requests, stop }`. */
export async function serveApp(appDir, modelsDir) {
  const requests = [];
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    requests.push(path);
    const rel = path.startsWith('/models/') ? inside(modelsDir, path.slice('/models/'.length)) : inside(appDir, path === '/' ? 'index.html' : path.slice(1));
    const info = rel ? await stat(rel).catch(() => undefined) : undefined;
    if (!info?.isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain', ...ISOLATION });
      return res.end('not found');
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(rel)] ?? 'application/octet-stream', 'Content-Length': info.size, 'Cache-Control': 'no-store', ...ISOLATION });
    if (req.method === 'HEAD') return res.end();
    createReadStream(rel).pipe(res);
  });
  await new Promise((ok, fail) => { server.once('error', fail); server.listen(0, '127.0.0.1', ok); });
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    stop: () => new Promise((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}

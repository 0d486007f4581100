// `npm start`: serves the demos, the built SDK and local model folders on 127.0.0.1,
// cross-origin isolated so the WASM runtime can use threads.
import { createServer } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const MOUNTS = [
  ['/models/fixtures/', join(ROOT, 'test/fixtures/out')],
  ['/models/', resolve(ROOT, '../shared/models')],
  ['/dist/', join(ROOT, 'dist')],
  ['/', join(ROOT, 'demos')],
];
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.css': 'text/css', '.map': 'application/json', '.webmanifest': 'application/manifest+json' };
const port = Number(process.env.PORT ?? 8080);

createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const [prefix, dir] = MOUNTS.find(([p]) => url.pathname.startsWith(p)) ?? [];
  let file = dir ? normalize(join(dir, decodeURIComponent(url.pathname.slice(prefix.length)))) : '';
  if (file && existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
  if (!dir || !file.startsWith(dir) || !existsSync(file)) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    return;
  }
  const size = statSync(file).size;
  const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
  const start = range ? Number(range[1]) : 0;
  const end = range && range[2] ? Number(range[2]) : size - 1;
  res.writeHead(range ? 206 : 200, {
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Length': String(end - start + 1),
    'Accept-Ranges': 'bytes',
    'ETag': `"${size}-${statSync(file).mtimeMs}"`,
    ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
  });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file, { start, end }).pipe(res);
}).listen(port, '127.0.0.1', () => console.log(`edgewise demo: http://127.0.0.1:${port}/`));

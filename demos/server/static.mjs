// Files from disk with Range and ETag, so the SDK's downloader can resume a cut transfer
// (it continues only when Content-Range and ETag still match what it stored).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
};

export const typeOf = (file) => TYPES[extname(file)] ?? 'application/octet-stream';

/** `rel` (URL-encoded, from a request path) inside `dir`, or undefined when it escapes it. */
export function inside(dir, rel) {
  let decoded;
  try { decoded = decodeURIComponent(rel); } catch { return undefined; }
  if (decoded.includes('\0')) return undefined;
  const file = resolve(join(dir, decoded));
  return file === dir || file.startsWith(dir + sep) ? file : undefined;
}

export function sendJSON(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache', ...headers });
  res.end(text);
}

export function sendText(res, status, text, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

async function statOf(file) {
  try { return await stat(file); } catch { return undefined; }
}

/**
 * Sends `file` (a folder serves its index.html; a folder asked for without its trailing
 * slash is redirected to it, so the page's relative URLs resolve inside it).
 */
export async function sendFile(req, res, file, headers = {}) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'method not allowed', { Allow: 'GET, HEAD' });
  let info = file ? await statOf(file) : undefined;
  if (info?.isDirectory()) {
    const url = new URL(req.url, 'http://x');
    if (!url.pathname.endsWith('/')) {
      res.writeHead(301, { Location: `${url.pathname}/${url.search}`, ...headers });
      return res.end();
    }
    file = join(file, 'index.html');
    info = await statOf(file);
  }
  if (!info?.isFile()) return sendText(res, 404, 'not found', headers);

  const size = info.size;
  const etag = `"${size}-${info.mtimeMs}"`;
  const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
  const start = range ? Number(range[1]) : 0;
  const end = range && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
  if (range && (start >= size || start > end)) {
    return sendText(res, 416, 'range not satisfiable', { 'Content-Range': `bytes */${size}`, ETag: etag, ...headers });
  }
  res.writeHead(range ? 206 : 200, {
    'Content-Type': typeOf(file),
    'Content-Length': String(Math.max(0, end - start + 1)),
    'Accept-Ranges': 'bytes',
    ETag: etag,
    ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
    ...headers,
  });
  if (req.method === 'HEAD' || size === 0) return res.end();
  createReadStream(file, { start, end }).on('error', () => res.destroy()).pipe(res);
}

// The model host for browser tests: real files over HTTP with Range/ETag/CORS, generated
// blobs, and faults driven over HTTP (`/__ctl/*`) so tests inside the page can script them.
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve, sep, extname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseRules, takeRule, describeRule, pumpBody } from './faults.mjs';

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Range, If-Range, Content-Type',
  'Access-Control-Expose-Headers': 'Content-Length, Content-Range, ETag, Accept-Ranges, Content-Type',
  'Access-Control-Max-Age': '600',
  // The test page is cross-origin isolated (COEP require-corp).
  'Cross-Origin-Resource-Policy': 'cross-origin',
};
const TYPES = { '.json': 'application/json', '.txt': 'text/plain; charset=utf-8', '.md': 'text/markdown; charset=utf-8', '.html': 'text/html; charset=utf-8' };
const HTML = Buffer.from('<!doctype html>\n<html><head><title>Not here</title></head><body><p>This is a web page, not a model file.</p></body></html>\n');
const GEN_BLOCK = 1 << 16;

/**
 * Starts the server. `repoRoot` locates `../shared/models` and `test/fixtures/out`.
 * @returns {Promise<{ url: string, close: () => Promise<void>, faults: object[], log: object[] }>}
 */
export async function startModelServer({ port = 0, host = '127.0.0.1', repoRoot = process.cwd() } = {}) {
  const roots = { shared: resolve(repoRoot, '..', 'shared', 'models'), fixtures: resolve(repoRoot, 'test', 'fixtures', 'out') };
  const state = { faults: [], log: [], offline: false };

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) send(res, 500, { 'Content-Type': 'text/plain' }, String(e?.stack ?? e));
      else res.destroy();
    });
  });

  async function handle(req, res) {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (req.method === 'OPTIONS') return send(res, 204, {}, null);
    if (path.startsWith('/__ctl/')) return control(req, res, path);

    const entry = { method: req.method, path, range: req.headers.range ?? null, status: 0, bytesSent: 0, fault: null };
    state.log.push(entry);
    if (state.offline) {
      entry.fault = 'offline';
      req.socket.destroy();
      return;
    }
    const rule = takeRule(state.faults, req.method, path);
    entry.fault = describeRule(rule);
    if (rule?.delayMs) await sleep(rule.delayMs);
    if (rule?.status !== undefined) return reply(res, entry, rule.status, { 'Content-Type': 'application/json' }, JSON.stringify({ error: `injected ${rule.status}` }));
    if (rule?.html || path.startsWith('/html/')) return serve(req, res, entry, rule, htmlResource());

    const resource = await locate(path);
    if (!resource) return reply(res, entry, 404, { 'Content-Type': 'application/json' }, JSON.stringify({ error: 'not found', path }));
    return serve(req, res, entry, rule, resource);
  }

  async function locate(path) {
    const gen = /^\/gen\/(\d+)\/(.+)$/.exec(path);
    if (gen) return genResource(Number(gen[1]), gen[2]);
    const m = /^\/(shared|fixtures)\/(.+)$/.exec(path);
    if (!m) return null;
    const root = roots[m[1]];
    const file = resolve(root, m[2]);
    if (!file.startsWith(root + sep)) return null;
    const st = await stat(file).catch(() => null);
    if (!st?.isFile()) return null;
    return {
      size: st.size,
      etag: `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`,
      type: TYPES[extname(file)] ?? 'application/octet-stream',
      open: (start, end) => createReadStream(file, { start, end, highWaterMark: GEN_BLOCK }),
    };
  }

  async function control(req, res, path) {
    const body = req.method === 'POST' ? await readJson(req) : undefined;
    if (path === '/__ctl/faults' && req.method === 'POST') {
      try { state.faults = parseRules(body); } catch (e) { return send(res, 400, { 'Content-Type': 'text/plain' }, e.message); }
      return send(res, 204, {}, null);
    }
    if (path === '/__ctl/reset' && req.method === 'POST') {
      state.faults = []; state.log.length = 0; state.offline = false;
      return send(res, 204, {}, null);
    }
    if (path === '/__ctl/offline' && req.method === 'POST') {
      state.offline = Boolean(body?.on);
      return send(res, 204, {}, null);
    }
    if (path === '/__ctl/log' && req.method === 'GET') return send(res, 200, { 'Content-Type': 'application/json' }, JSON.stringify(state.log));
    return send(res, 404, { 'Content-Type': 'text/plain' }, `no control endpoint ${req.method} ${path}`);
  }

  await new Promise((ok, fail) => { server.once('error', fail); server.listen(port, host, ok); });
  const { port: actual } = server.address();
  return {
    url: `http://${host}:${actual}`,
    get faults() { return state.faults; },
    get log() { return state.log; },
    close: () => new Promise((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}

/** Answers GET/HEAD for a resource with Range support; `ignoreRange` and `etag` faults apply here. */
async function serve(req, res, entry, rule, resource) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, entry, 405, { Allow: 'GET, HEAD, OPTIONS' }, null);
  const { size } = resource;
  const headers = {
    'Content-Type': resource.type,
    'Accept-Ranges': 'bytes',
    ETag: rule?.etag ?? resource.etag,
    // The browser HTTP cache would hide requests from the log and blur resume tests.
    'Cache-Control': 'no-store',
  };
  let start = 0;
  let end = size - 1;
  let status = 200;
  const range = rule?.ignoreRange ? null : parseRange(req.headers.range, size);
  if (range === 'invalid') {
    return reply(res, entry, 416, { 'Content-Range': `bytes */${size}` }, null);
  }
  if (range) {
    [start, end] = range;
    status = 206;
    headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  }
  headers['Content-Length'] = String(Math.max(0, end - start + 1));
  res.writeHead(status, { ...CORS, ...headers });
  entry.status = status;
  if (req.method === 'HEAD' || size === 0) return res.end();
  await pumpBody(res, resource.open(start, end), start, rule, entry);
}

/** `bytes=a-` or `bytes=a-b` (single range only); null when absent, 'invalid' when unsatisfiable. */
function parseRange(header, size) {
  if (!header) return null;
  const m = /^bytes=(\d+)-(\d*)$/.exec(header.trim());
  if (!m) return null;
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'invalid';
  return [start, end];
}

function htmlResource() {
  return { size: HTML.length, etag: '"html-page"', type: 'text/html; charset=utf-8', open: (s, e) => [HTML.subarray(s, e + 1)] };
}

/**
 * Deterministic pseudo-random bytes: each 32-bit word is a hash of (seed, word index),
 * so any range can be produced without generating what comes before it.
 */
function genResource(size, name) {
  let seed = 0x811c9dc5 ^ size;
  for (const ch of Buffer.from(name)) seed = Math.imul(seed ^ ch, 0x01000193);
  return {
    size,
    etag: `"gen-${size.toString(16)}-${(seed >>> 0).toString(16)}"`,
    type: TYPES[extname(name)] ?? 'application/octet-stream',
    open: (start, end) => genBlocks(seed, start, end),
  };
}

function* genBlocks(seed, start, end) {
  for (let at = start; at <= end; at += GEN_BLOCK) {
    const stop = Math.min(end + 1, at + GEN_BLOCK);
    const first = at >> 2;
    const words = new Uint32Array(((stop + 3) >> 2) - first);
    for (let i = 0; i < words.length; i++) words[i] = mix32(seed + Math.imul(first + i, 0x9e3779b9));
    const bytes = Buffer.from(words.buffer);
    yield bytes.subarray(at - first * 4, stop - first * 4);
  }
}

function mix32(h) {
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function reply(res, entry, status, headers, body) {
  entry.status = status;
  if (body !== null) entry.bytesSent = Buffer.byteLength(body);
  send(res, status, headers, body);
}

function send(res, status, headers, body) {
  res.writeHead(status, { ...CORS, ...headers, ...(body === null ? {} : { 'Content-Length': Buffer.byteLength(body) }) });
  res.end(body ?? undefined);
}

async function readJson(req) {
  let text = '';
  for await (const piece of req) text += piece;
  return text ? JSON.parse(text) : undefined;
}

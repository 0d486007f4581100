// A real OpenAI-compatible HTTP server for tests: chat completions (SSE and JSON) in the
// dialects of OpenAI, vLLM, llama.cpp and Ollama, JSON answers to response_format and
// scripted tool calls, embeddings and the model list, with every request logged and
// faults scripted over HTTP (`/__ctl/*`) so browser tests on another origin can drive it too.
import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeFaults, parseFaults, takeFaults } from './openai-faults.mjs';
import { completionBody, drop, embeddingsBody, writeStream } from './openai-replies.mjs';
import { JSON_SCHEMA_REFUSAL } from './openai-structured.mjs';

const MODELS = ['echo-1', 'echo-embed-1'];

/** CORS for cross-origin test pages, which are themselves cross-origin isolated (COEP require-corp). */
function cors(req) {
  const asked = req.headers['access-control-request-headers'];
  return {
    'access-control-allow-origin': '*',
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    // `*` does not cover Authorization (Fetch standard), so it is always named.
    'access-control-allow-headers': asked ? `authorization, content-type, ${asked}` : 'authorization, content-type',
    'access-control-expose-headers': 'retry-after, retry-after-ms, x-request-id',
    'access-control-max-age': '600',
    'cross-origin-resource-policy': 'cross-origin',
  };
}

const errorBody = (status, message, type = 'invalid_request_error') => ({ error: { message, type, param: null, code: status === 401 ? 'invalid_api_key' : null } });
const defaultFaultBody = (status) => errorBody(status, `Injected ${status}`, status === 401 ? 'invalid_request_error' : status === 429 ? 'rate_limit_exceeded' : 'server_error');

/**
 * Starts the server on 127.0.0.1.
 * @returns {Promise<{ url: string, close(): Promise<void>, log(): object[], reset(): void, setFaults(faults: object[]): void }>}
 *   `url` ends in `/v1`, ready to be an OpenAI `baseURL`.
 */
export async function startOpenAIServer({ port = 0, host = '127.0.0.1' } = {}) {
  const state = { faults: [], log: [], seq: 0 };

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) reply(req, res, 500, errorBody(500, String(e?.stack ?? e), 'server_error'));
      else res.destroy();
    });
  });

  async function handle(req, res) {
    const path = new URL(req.url, 'http://x').pathname;
    // Preflights are the browser's, not the client's: answered but not logged.
    if (req.method === 'OPTIONS') return send(req, res, 204, {}, null);
    const entry = { method: req.method, path, headers: { ...req.headers }, body: null, time: Date.now(), status: 0, fault: null, chunks: 0, dropped: false, closedEarly: false };
    // Listening before the body is read: a client may give up while it is still sending.
    const closed = new Promise((ok) => res.once('close', () => {
      if (!res.writableEnded) entry.closedEarly = true;
      ok();
    }));
    const ctl = path.startsWith('/__ctl/');
    if (!ctl) state.log.push(entry);
    const raw = await readBody(req);
    if (ctl) return control(req, res, path, raw);
    const live = () => !res.destroyed && !res.writableEnded;
    try { entry.body = raw ? JSON.parse(raw) : null; } catch { return reply(req, res, 400, errorBody(400, 'The body is not valid JSON.'), entry); }

    const fault = takeFaults(state.faults, req.method, path);
    entry.fault = describeFaults(fault);
    if (fault?.headersDelayMs) await Promise.race([sleep(fault.headersDelayMs), closed]);
    if (!live()) return;
    if (fault?.status !== undefined) return reply(req, res, fault.status, fault.body ?? defaultFaultBody(fault.status), entry, fault.headers);

    if (req.method === 'GET' && path === '/v1/models') {
      return reply(req, res, 200, { object: 'list', data: MODELS.map((id) => ({ id, object: 'model', created: 1700000000, owned_by: 'edgewise-test' })) }, entry);
    }
    if (req.method === 'POST' && path === '/v1/embeddings') {
      if (entry.body?.input === undefined) return reply(req, res, 400, errorBody(400, '`input` is required.'), entry);
      return json(req, res, entry, fault, embeddingsBody(entry.body, entry.body.model ?? MODELS[1], fault), { closed, live });
    }
    if (req.method === 'POST' && path === '/v1/chat/completions') return chat(req, res, entry, fault, { closed, live });
    return reply(req, res, 404, errorBody(404, `No route ${req.method} ${path}.`), entry);
  }

  async function chat(req, res, entry, fault, { closed, live }) {
    const body = entry.body;
    if (!Array.isArray(body?.messages) || body.messages.length === 0) return reply(req, res, 400, errorBody(400, '`messages` must be a non-empty array.'), entry);
    if (fault?.refuseJsonSchema && body.response_format?.type === 'json_schema') return reply(req, res, 400, JSON_SCHEMA_REFUSAL, entry);
    const meta = { id: `chatcmpl-${++state.seq}`, created: Math.floor(Date.now() / 1000), model: body.model ?? MODELS[0], closed };
    if (body.stream !== true) return json(req, res, entry, fault, completionBody(body, fault, meta), { closed, live });
    entry.status = 200;
    res.writeHead(200, { ...cors(req), 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-request-id': meta.id });
    res.flushHeaders();
    await writeStream(res, body, fault, meta, entry, live);
  }

  /** A 200 JSON answer; `dropAfterChunks` cuts it halfway, `firstByteDelayMs` holds it after the headers. */
  async function json(req, res, entry, fault, text, { closed, live }) {
    if (fault?.dropAfterChunks !== undefined) {
      entry.status = 200;
      res.writeHead(200, { ...cors(req), 'content-type': 'application/json' });
      res.write(text.slice(0, Math.floor(text.length / 2)));
      return drop(res, entry);
    }
    if (fault?.firstByteDelayMs) {
      res.writeHead(200, { ...cors(req), 'content-type': 'application/json' });
      res.flushHeaders();
      await Promise.race([sleep(fault.firstByteDelayMs), closed]);
      entry.status = 200;
      if (live()) res.end(text);
      return;
    }
    return reply(req, res, 200, text, entry);
  }

  function control(req, res, path, raw) {
    if (path === '/__ctl/faults' && req.method === 'POST') {
      try { state.faults = parseFaults(raw ? JSON.parse(raw) : undefined); } catch (e) { return send(req, res, 400, { 'content-type': 'text/plain' }, e.message); }
      return send(req, res, 204, {}, null);
    }
    if (path === '/__ctl/reset' && req.method === 'POST') {
      reset();
      return send(req, res, 204, {}, null);
    }
    if (path === '/__ctl/log' && req.method === 'GET') return reply(req, res, 200, state.log);
    if (path === '/__ctl/ai-sdk.js' && req.method === 'GET') {
      return aiSdkBundle().then((code) => send(req, res, 200, { 'content-type': 'text/javascript; charset=utf-8' }, code), (e) => send(req, res, 500, { 'content-type': 'text/plain' }, String(e?.stack ?? e)));
    }
    return send(req, res, 404, { 'content-type': 'text/plain' }, `no control endpoint ${req.method} ${path}`);
  }

  function reset() {
    state.faults = [];
    state.log.length = 0;
  }

  await new Promise((ok, fail) => { server.once('error', fail); server.listen(port, host, ok); });
  const { port: actual } = server.address();
  return {
    url: `http://${host}:${actual}/v1`,
    log: () => structuredClone(state.log),
    reset,
    setFaults: (faults) => { state.faults = parseFaults(faults); },
    close: () => new Promise((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}

let aiSdk;
/**
 * The real `ai` package (Vercel AI SDK 7) as one ES module for the AI SDK face's browser
 * tests: the dev server serves node_modules as they are, and `ai` reaches CommonJS
 * (`@vercel/oidc`, through `@ai-sdk/gateway`) that a browser cannot import; an app's
 * bundler does this step. Built once, on first request, by esbuild (a devDependency).
 */
function aiSdkBundle() {
  aiSdk ??= import('esbuild').then(async ({ build }) => {
    const out = await build({ stdin: { contents: "export * from 'ai';", resolveDir: process.cwd() }, bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, logLevel: 'silent' });
    return out.outputFiles[0].text;
  });
  return aiSdk;
}

function reply(req, res, status, body, entry, headers = {}) {
  if (entry) entry.status = status;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  send(req, res, status, { 'content-type': 'application/json', ...headers }, text);
}

function send(req, res, status, headers, body) {
  res.writeHead(status, { ...cors(req), ...headers, ...(body === null ? {} : { 'content-length': Buffer.byteLength(body) }) });
  res.end(body ?? undefined);
}

async function readBody(req) {
  let text = '';
  for await (const piece of req) text += piece;
  return text;
}

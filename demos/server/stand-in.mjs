// The local OpenAI-compatible endpoint at /v1. It is a stand-in: no model runtime runs in
// Node here, so every answer is a short, deterministic text that starts with LABEL and says
// what it received. It exists so the demo's hand-off to "the cloud" (routing, redaction,
// streaming, usage) can be seen without an account; `--remote` points the demo at a real
// provider instead.
import { setTimeout as sleep } from 'node:timers/promises';
import { sendJSON } from './static.mjs';

export const LABEL = '[stand-in endpoint] ';
export const CHAT_MODEL = 'stand-in';
export const EMBEDDING_MODEL = 'stand-in-embed';
const EMBEDDING_DIMS = 256;
const MAX_BODY_BYTES = 1 << 20;
/** Slow enough to see the answer stream in, fast enough not to be in the way. */
const CHUNK_DELAY_MS = 15;

let sequence = 0;

const error = (res, status, message, type = 'invalid_request_error') => sendJSON(res, status, { error: { message, type, param: null, code: null } });

/** OpenAI allows `content` as a string or a list of parts; only text parts count here. */
function textOf(content) {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (typeof p?.text === 'string' ? p.text : '')).join(' ');
  return '';
}

const words = (text) => text.split(/\s+/).filter(Boolean);

function replyText(messages) {
  const total = messages.reduce((n, m) => n + words(textOf(m.content)).length, 0);
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  const quoted = lastUser ? words(textOf(lastUser.content)) : [];
  const quote = quoted.length > 12 ? `${quoted.slice(0, 12).join(' ')} …` : quoted.join(' ');
  const received = `I received ${messages.length} message${messages.length === 1 ? '' : 's'} (${total} word${total === 1 ? '' : 's'})`
    + (lastUser ? `, the last from the user: "${quote}".` : ', none of them from the user.');
  return `${LABEL}No language model runs on this demo server, so this is a fixed reply, not an answer. ${received} `
    + 'Start the demo with --remote <baseURL> --remote-model <name> to send requests to a real provider.';
}

/** The answer as word-sized chunks (a stand-in for tokens), cut by `stop` and `max_tokens`. */
function plan(body) {
  let text = replyText(body.messages);
  const stops = typeof body.stop === 'string' ? [body.stop] : Array.isArray(body.stop) ? body.stop.filter((s) => typeof s === 'string' && s) : [];
  const cutAt = Math.min(...stops.map((s) => text.indexOf(s)).filter((i) => i >= 0), text.length);
  text = text.slice(0, cutAt);
  const chunks = text.match(/\s*\S+\s*/g) ?? [];
  const max = body.max_tokens ?? body.max_completion_tokens ?? Infinity;
  const cut = chunks.length > max;
  const promptTokens = body.messages.reduce((n, m) => n + words(textOf(m.content)).length, 0);
  return { chunks: cut ? chunks.slice(0, max) : chunks, finishReason: cut ? 'length' : 'stop', promptTokens };
}

function checkChat(body) {
  if (!Array.isArray(body.messages) || body.messages.length === 0) return '`messages` must be a non-empty array.';
  if (body.messages.some((m) => typeof m?.role !== 'string')) return 'Every message needs a `role`.';
  for (const key of ['max_tokens', 'max_completion_tokens']) {
    if (body[key] !== undefined && body[key] !== null && !(Number.isInteger(body[key]) && body[key] > 0)) return `\`${key}\` must be a positive integer.`;
  }
  return undefined;
}

async function chat(req, res, body) {
  const problem = checkChat(body);
  if (problem) return error(res, 400, problem);
  const p = plan(body);
  const usage = { prompt_tokens: p.promptTokens, completion_tokens: p.chunks.length, total_tokens: p.promptTokens + p.chunks.length };
  const meta = { id: `chatcmpl-standin-${++sequence}`, created: Math.floor(Date.now() / 1000), model: typeof body.model === 'string' ? body.model : CHAT_MODEL };
  if (body.stream !== true) {
    return sendJSON(res, 200, {
      ...meta,
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: p.chunks.join('') }, logprobs: null, finish_reason: p.finishReason }],
      usage,
    });
  }
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', 'X-Request-Id': meta.id });
  res.flushHeaders();
  const live = () => !res.destroyed && !res.writableEnded;
  const includeUsage = body.stream_options?.include_usage === true;
  const event = (choices, extra = {}) => live() && res.write(`data: ${JSON.stringify({ ...meta, object: 'chat.completion.chunk', choices, ...extra })}\n\n`);
  const delta = (d, finish = null) => [{ index: 0, delta: d, logprobs: null, finish_reason: finish }];
  // OpenAI sends `usage: null` on every chunk but the last when usage was asked for.
  const nullUsage = includeUsage ? { usage: null } : {};
  event(delta({ role: 'assistant', content: '' }), nullUsage);
  for (const [i, text] of p.chunks.entries()) {
    if (i > 0) await sleep(CHUNK_DELAY_MS);
    if (!live()) return;
    event(delta({ content: text }), nullUsage);
  }
  event(delta({}, p.finishReason), nullUsage);
  if (includeUsage) event([], { usage });
  if (live()) res.end('data: [DONE]\n\n');
}

/**
 * A deterministic unit vector: hashed bag of words (FNV-1a picks a slot and a sign per
 * word), so texts that share words point the same way, as real embeddings roughly do.
 */
export function embed(text) {
  const vector = new Array(EMBEDDING_DIMS).fill(0);
  const tokens = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [text];
  for (const token of tokens) {
    let h = 0x811c9dc5;
    for (const byte of Buffer.from(token)) h = Math.imul(h ^ byte, 0x01000193);
    vector[(h >>> 1) % EMBEDDING_DIMS] += h & 1 ? 1 : -1;
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((v) => v / norm);
}

function embeddings(req, res, body) {
  const inputs = typeof body.input === 'string' ? [body.input] : body.input;
  if (!Array.isArray(inputs) || inputs.length === 0 || inputs.some((s) => typeof s !== 'string' || s === '')) {
    return error(res, 400, '`input` must be a non-empty string or a non-empty array of them (the stand-in takes text, not token ids).');
  }
  const format = body.encoding_format ?? 'float';
  if (format !== 'float' && format !== 'base64') return error(res, 400, "`encoding_format` must be 'float' or 'base64'.");
  const tokens = inputs.reduce((n, s) => n + words(s).length, 0);
  const data = inputs.map((input, index) => {
    const vector = embed(input);
    // base64 is little-endian float32, as OpenAI sends it.
    const embedding = format === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
    return { object: 'embedding', index, embedding };
  });
  sendJSON(res, 200, { object: 'list', data, model: typeof body.model === 'string' ? body.model : EMBEDDING_MODEL, usage: { prompt_tokens: tokens, total_tokens: tokens } });
}

async function readJSON(req) {
  const parts = [];
  let size = 0;
  for await (const part of req) {
    size += part.length;
    if (size > MAX_BODY_BYTES) return { tooLarge: true };
    parts.push(part);
  }
  try {
    const body = JSON.parse(Buffer.concat(parts).toString('utf8'));
    return body !== null && typeof body === 'object' && !Array.isArray(body) ? { body } : {};
  } catch { return {}; }
}

const POST_ROUTES = { '/v1/chat/completions': chat, '/v1/embeddings': embeddings };

/** Answers every request under /v1. */
export async function handleStandIn(req, res, path) {
  if (path === '/v1/models') {
    if (req.method !== 'GET' && req.method !== 'HEAD') return error(res, 405, 'Use GET.');
    const data = [CHAT_MODEL, EMBEDDING_MODEL].map((id) => ({ id, object: 'model', created: 1700000000, owned_by: 'edgewise-demo (stand-in, no real model)' }));
    return sendJSON(res, 200, { object: 'list', data });
  }
  const route = POST_ROUTES[path];
  if (!route) return error(res, 404, `No route ${req.method} ${path} on the stand-in endpoint.`);
  if (req.method !== 'POST') return error(res, 405, 'Use POST.');
  const { body, tooLarge } = await readJSON(req);
  if (tooLarge) return error(res, 413, `The body is over ${MAX_BODY_BYTES} bytes.`);
  if (!body) return error(res, 400, 'The body is not a JSON object.');
  return route(req, res, body);
}

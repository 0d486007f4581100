// The stand-in at /v1, the last fallback when no real model could load on the demo server
// (model-endpoint.mjs), and always the answer to /v1/embeddings: every answer is a short,
// deterministic text that starts with LABEL and says what it received, every vector a
// hashed bag of words. It keeps the demo's hand-off to "the cloud" (routing, redaction,
// streaming, usage) visible without a model or an account.
import { setTimeout as sleep } from 'node:timers/promises';
import { checkChat, openStream, readPost, sendCompletion, sendError, stopsOf, textOf } from './openai-wire.mjs';
import { sendJSON } from './static.mjs';

export const LABEL = '[stand-in endpoint] ';
export const CHAT_MODEL = 'stand-in';
export const EMBEDDING_MODEL = 'stand-in-embed';
const EMBEDDING_DIMS = 256;
/** Slow enough to see the answer stream in, fast enough not to be in the way. */
const CHUNK_DELAY_MS = 15;

let sequence = 0;

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
  const stops = stopsOf(body.stop);
  const cutAt = Math.min(...stops.map((s) => text.indexOf(s)).filter((i) => i >= 0), text.length);
  text = text.slice(0, cutAt);
  const chunks = text.match(/\s*\S+\s*/g) ?? [];
  const max = body.max_tokens ?? body.max_completion_tokens ?? Infinity;
  const cut = chunks.length > max;
  const promptTokens = body.messages.reduce((n, m) => n + words(textOf(m.content)).length, 0);
  return { chunks: cut ? chunks.slice(0, max) : chunks, finishReason: cut ? 'length' : 'stop', promptTokens };
}

export async function standInChat(req, res, body) {
  const problem = checkChat(body);
  if (problem) return sendError(res, 400, problem);
  const p = plan(body);
  const usage = { prompt_tokens: p.promptTokens, completion_tokens: p.chunks.length, total_tokens: p.promptTokens + p.chunks.length };
  const meta = { id: `chatcmpl-standin-${++sequence}`, created: Math.floor(Date.now() / 1000), model: typeof body.model === 'string' ? body.model : CHAT_MODEL };
  if (body.stream !== true) return sendCompletion(res, meta, p.chunks.join(''), p.finishReason, usage);
  const stream = openStream(res, meta, body.stream_options?.include_usage === true);
  for (const [i, text] of p.chunks.entries()) {
    if (i > 0) await sleep(CHUNK_DELAY_MS);
    if (!stream.live()) return;
    stream.text(text);
  }
  stream.finish(p.finishReason, usage);
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
    return sendError(res, 400, '`input` must be a non-empty string or a non-empty array of them (the stand-in takes text, not token ids).');
  }
  const format = body.encoding_format ?? 'float';
  if (format !== 'float' && format !== 'base64') return sendError(res, 400, "`encoding_format` must be 'float' or 'base64'.");
  const tokens = inputs.reduce((n, s) => n + words(s).length, 0);
  const data = inputs.map((input, index) => {
    const vector = embed(input);
    // base64 is little-endian float32, as OpenAI sends it.
    const embedding = format === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
    return { object: 'embedding', index, embedding };
  });
  sendJSON(res, 200, { object: 'list', data, model: typeof body.model === 'string' ? body.model : EMBEDDING_MODEL, usage: { prompt_tokens: tokens, total_tokens: tokens } });
}

const POST_ROUTES = { '/v1/chat/completions': standInChat, '/v1/embeddings': embeddings };

/** Answers every request under /v1. */
export async function handleStandIn(req, res, path) {
  if (path === '/v1/models') {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, 'Use GET.');
    const data = [CHAT_MODEL, EMBEDDING_MODEL].map((id) => ({ id, object: 'model', created: 1700000000, owned_by: 'edgewise-demo (stand-in, no real model)' }));
    return sendJSON(res, 200, { object: 'list', data });
  }
  const route = POST_ROUTES[path];
  if (!route) return sendError(res, 404, `No route ${req.method} ${path} on the stand-in endpoint.`);
  const body = await readPost(req, res);
  if (body) await route(req, res, body);
}

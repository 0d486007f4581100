// The OpenAI chat-completions wire, shared by the stand-in and the real model at /v1: the
// request checks, the JSON error shape, the body limit and the SSE stream with usage.
// https://platform.openai.com/docs/api-reference/chat
import { sendJSON } from './static.mjs';

export const MAX_BODY_BYTES = 1 << 20;

/** OpenAI's error shape: `{ error: { message, type, param, code } }`. */
export const sendError = (res, status, message, type = 'invalid_request_error', code = null, headers = {}) =>
  sendJSON(res, status, { error: { message, type, param: null, code } }, headers);

/** OpenAI allows `content` as a string or a list of parts; only text parts count here. */
export function textOf(content) {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (typeof p?.text === 'string' ? p.text : '')).join(' ');
  return '';
}

/** The `stop` field as a list of non-empty strings (it may be one string or a list). */
export const stopsOf = (stop) => (typeof stop === 'string' && stop ? [stop] : Array.isArray(stop) ? stop.filter((s) => typeof s === 'string' && s) : []);

/** What is wrong with a chat request, or undefined. */
export function checkChat(body) {
  if (!Array.isArray(body.messages) || body.messages.length === 0) return '`messages` must be a non-empty array.';
  if (body.messages.some((m) => typeof m?.role !== 'string')) return 'Every message needs a `role`.';
  for (const key of ['max_tokens', 'max_completion_tokens']) {
    if (body[key] !== undefined && body[key] !== null && !(Number.isInteger(body[key]) && body[key] > 0)) return `\`${key}\` must be a positive integer.`;
  }
  // OpenAI's ranges: temperature 0..2, top_p 0..1.
  if (body.temperature != null && !(typeof body.temperature === 'number' && body.temperature >= 0 && body.temperature <= 2)) return '`temperature` must be a number from 0 to 2.';
  if (body.top_p != null && !(typeof body.top_p === 'number' && body.top_p > 0 && body.top_p <= 1)) return '`top_p` must be a number above 0, up to 1.';
  return undefined;
}

/** The body as a JSON object, `{ tooLarge }` past `limit` bytes, or `{}` when it is not a JSON object. */
export async function readJSON(req, limit = MAX_BODY_BYTES) {
  const parts = [];
  let size = 0;
  for await (const part of req) {
    size += part.length;
    if (size > limit) return { tooLarge: true };
    parts.push(part);
  }
  try {
    const body = JSON.parse(Buffer.concat(parts).toString('utf8'));
    return body !== null && typeof body === 'object' && !Array.isArray(body) ? { body } : {};
  } catch { return {}; }
}

/**
 * Reads a POST body and answers 405 / 413 / 400 in OpenAI's shape when it is not usable.
 * @returns {Promise<object | undefined>} the body, or undefined when an error was sent
 */
export async function readPost(req, res) {
  if (req.method !== 'POST') { sendError(res, 405, 'Use POST.'); return undefined; }
  const { body, tooLarge } = await readJSON(req);
  if (tooLarge) { sendError(res, 413, `The body is over ${MAX_BODY_BYTES} bytes.`); return undefined; }
  if (!body) { sendError(res, 400, 'The body is not a JSON object.'); return undefined; }
  return body;
}

/**
 * Opens an SSE chat-completion stream on `res`. OpenAI sends `usage: null` on every chunk
 * but the last when `stream_options.include_usage` asked for usage, then a chunk with no
 * choices and the usage, then `[DONE]`.
 * @param {{ id: string, created: number, model: string }} meta
 */
export function openStream(res, meta, includeUsage) {
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', 'X-Request-Id': meta.id });
  res.flushHeaders();
  const live = () => !res.destroyed && !res.writableEnded;
  const event = (choices, extra = {}) => live() && res.write(`data: ${JSON.stringify({ ...meta, object: 'chat.completion.chunk', choices, ...extra })}\n\n`);
  const delta = (d, finish = null) => [{ index: 0, delta: d, logprobs: null, finish_reason: finish }];
  const nullUsage = includeUsage ? { usage: null } : {};
  event(delta({ role: 'assistant', content: '' }), nullUsage);
  return {
    live,
    text: (content) => event(delta({ content }), nullUsage),
    finish(reason, usage) {
      event(delta({}, reason), nullUsage);
      if (includeUsage) event([], { usage });
      if (live()) res.end('data: [DONE]\n\n');
    },
  };
}

/** The non-streaming answer. */
export function sendCompletion(res, meta, content, finishReason, usage) {
  sendJSON(res, 200, {
    ...meta,
    object: 'chat.completion',
    choices: [{ index: 0, message: { role: 'assistant', content }, logprobs: null, finish_reason: finishReason }],
    usage,
  });
}

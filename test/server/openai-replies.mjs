// The answers of the OpenAI-compatible test server: deterministic text ("Echo: " + the
// last user message), JSON for a request with response_format, or scripted tool calls
// (see openai-structured.mjs), written as a stream in each server's dialect or as one
// JSON body, with the body-level faults applied as it goes.
import { setTimeout as sleep } from 'node:timers/promises';
import { callDeltas, cut, joinDeltas, jsonReply, planCalls } from './openai-structured.mjs';

const DEFAULT_CHUNK = 4;
/** Lets the client read what was sent before a cut, as a real dropped link would. */
const CUT_LINGER_MS = 50;
const DEFAULT_ERROR = { message: 'Injected error in the middle of the stream', type: 'server_error', param: null, code: null };

/** Words (whitespace-separated) across all messages: a stand-in for a tokenizer. */
export function countPromptTokens(messages) {
  return messages.reduce((n, m) => n + String(m?.content ?? '').split(/\s+/).filter(Boolean).length, 0);
}

export function replyText(messages) {
  const last = [...messages].reverse().find((m) => m?.role === 'user');
  return `Echo: ${String(last?.content ?? '')}`;
}

/**
 * The deltas sent, one per chunk, and why the answer ends: `max_tokens` cuts it at that
 * many chunks. Text (or JSON) in `chunkSize` pieces; tool calls in pieces of `chunkSize`
 * or, with `randomChunks: <seed>`, of seeded sizes 1..8.
 */
export function planReply(body, fault) {
  const size = fault?.chunkSize ?? DEFAULT_CHUNK;
  const calls = fault?.toolCalls ? planCalls(body, fault.toolCalls) : undefined;
  const all = calls
    ? callDeltas(calls, size, fault.randomChunks, fault.toolCallNames)
    : cut(jsonReply(body) ?? replyText(body.messages), size).map((content) => ({ content }));
  const max = Number.isInteger(body.max_tokens) && body.max_tokens > 0 ? body.max_tokens : Infinity;
  const cutShort = all.length > max;
  const finishReason = cutShort ? 'length' : calls ? 'tool_calls' : 'stop';
  return { deltas: cutShort ? all.slice(0, max) : all, finishReason, promptTokens: countPromptTokens(body.messages) };
}

function usageOf(plan, sent) {
  return { prompt_tokens: plan.promptTokens, completion_tokens: sent, total_tokens: plan.promptTokens + sent };
}

function timings(plan, sent) {
  return { prompt_n: plan.promptTokens, prompt_ms: 1.5, predicted_n: sent, predicted_ms: sent * 2, predicted_per_second: 500 };
}

/** One stream chunk as the given server shapes it. */
function chunk(style, meta, delta, finishReason) {
  const base = { id: meta.id, object: 'chat.completion.chunk', created: meta.created, model: meta.model };
  if (style === 'llamacpp') return { choices: [{ finish_reason: finishReason, index: 0, delta }], ...base, system_fingerprint: 'b0-echo' };
  if (style === 'ollama') return { ...base, system_fingerprint: 'fp_ollama', choices: [{ index: 0, delta: { role: 'assistant', ...delta }, finish_reason: finishReason }] };
  if (style === 'vllm' || style === 'vllm-null') return { ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason, stop_reason: null }] };
  return { ...base, system_fingerprint: 'fp_echo', choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }], ...(meta.includeUsage ? { usage: null } : {}) };
}

/** A non-streaming completion body (or the faulty stand-in for one). */
export function completionBody(body, fault, meta) {
  if (fault?.malformed) return '{"id": "chatcmpl-broken", "choices": [';
  if (fault?.errorEvent) return JSON.stringify({ error: fault.errorEvent === true ? DEFAULT_ERROR : fault.errorEvent });
  const plan = planReply(body, fault);
  const out = {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, message: joinDeltas(plan.deltas), logprobs: null, finish_reason: plan.finishReason }],
    usage: usageOf(plan, plan.deltas.length),
  };
  if (fault?.noUsage) delete out.usage;
  if (fault?.style === 'llamacpp') out.timings = timings(plan, plan.deltas.length);
  return JSON.stringify(out);
}

/**
 * Writes the SSE answer into `res` (headers already sent). `entry` gets the content chunks
 * sent; `live()` is false once the client has gone, which ends every wait early.
 */
export async function writeStream(res, body, fault, meta, entry, live) {
  const style = fault?.style ?? 'openai';
  const plan = planReply(body, fault);
  const includeUsage = body.stream_options?.include_usage === true && !fault?.noUsage;
  const at = fault?.afterChunks ?? 1;
  const m = { ...meta, includeUsage };
  const send = (text) => { if (live()) res.write(text); };
  const event = (obj) => send(`data: ${JSON.stringify(obj)}\n\n`);
  const pause = (ms) => (ms > 0 && live() ? Promise.race([sleep(ms), meta.closed]) : undefined);

  await pause(fault?.firstByteDelayMs ?? 0);
  if (style !== 'ollama') event(chunk(style, m, { role: 'assistant', content: style === 'llamacpp' ? null : '' }, null));
  for (let i = 0; i <= plan.deltas.length; i++) {
    if (!live()) return;
    if (fault?.dropAfterChunks === i) return drop(res, entry);
    // A clean end of body with no finish_reason: a proxy that cut the answer short.
    if (fault?.endAfterChunks === i) return res.end();
    if (fault?.stallAfterChunks === i) await pause(fault.stallMs ?? 0);
    if (fault?.malformed && at === i) send('data: {"id": "chatcmpl-broken", "choices": [{\n\n');
    if (fault?.errorEvent && at === i) {
      event({ error: fault.errorEvent === true ? DEFAULT_ERROR : fault.errorEvent });
      send('data: [DONE]\n\n');
      return res.end();
    }
    if (i === plan.deltas.length) break;
    if (i > 0) await pause(fault?.chunkDelayMs ?? 0);
    if (fault?.comments) send(': keep-alive\n\n\n');
    event(chunk(style, m, plan.deltas[i], null));
    entry.chunks = i + 1;
  }
  const usage = usageOf(plan, plan.deltas.length);
  const last = chunk(style, m, style === 'ollama' ? { content: '' } : {}, plan.finishReason);
  if (style === 'llamacpp' && !fault?.noUsage) Object.assign(last, { usage, timings: timings(plan, plan.deltas.length) });
  if (style === 'ollama' && includeUsage) last.usage = usage;
  event(last);
  if (includeUsage && style !== 'llamacpp' && style !== 'ollama') {
    event({ id: meta.id, object: 'chat.completion.chunk', created: meta.created, model: meta.model, choices: style === 'vllm-null' ? null : [], usage });
  }
  if (fault?.comments) send(': keep-alive\n\n');
  // Ollama closes the connection after the finish chunk without sending [DONE].
  if (style !== 'ollama') send('data: [DONE]\n\n');
  res.end();
}

/** Cuts the connection mid-body, after the client had time to read what was sent. */
export async function drop(res, entry) {
  entry.dropped = true;
  await sleep(CUT_LINGER_MS);
  res.socket?.destroy();
  res.destroy();
}

/** A deterministic unit vector for `text`: FNV-1a seeds a mulberry32 generator. */
export function embed(text, dims = 8) {
  let seed = 0x811c9dc5;
  for (const byte of Buffer.from(text)) seed = Math.imul(seed ^ byte, 0x01000193);
  const out = [];
  for (let i = 0; i < dims; i++) {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    out.push((((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * 2 - 1);
  }
  const norm = Math.hypot(...out) || 1;
  return out.map((v) => v / norm);
}

/**
 * The embeddings answer; `base64` (the official client's default) is little-endian float32.
 * Faults: `base64` sends it whatever was asked (a server that ignores encoding_format),
 * `shuffle` lists the vectors in reverse (only `index` ties them to the inputs),
 * `noUsage` leaves out the usage, `malformed` sends JSON cut short.
 */
export function embeddingsBody(body, model, fault) {
  if (fault?.malformed) return '{"object": "list", "data": [';
  const inputs = Array.isArray(body.input) ? body.input : [body.input];
  const tokens = inputs.reduce((n, s) => n + String(s).split(/\s+/).filter(Boolean).length, 0);
  const base64 = body.encoding_format === 'base64' || fault?.base64 === true;
  const data = inputs.map((input, index) => {
    const vector = embed(String(input));
    const embedding = base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
    return { object: 'embedding', index, embedding };
  });
  if (fault?.shuffle) data.reverse();
  const out = { object: 'list', data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } };
  if (fault?.noUsage) delete out.usage;
  return JSON.stringify(out);
}

// Fault rules for the model test server: which rule a request meets, and a body pump
// that applies byte-level faults (corruption, cut sockets, throttling) while streaming.
import { setTimeout as sleep } from 'node:timers/promises';

const CUT_LINGER_MS = 100;
const BODY_ONLY = ['cutAfter', 'corrupt', 'bytesPerSecond', 'ignoreRange'];
const KNOWN = new Set(['match', 'times', 'method', ...BODY_ONLY, 'status', 'html', 'etag', 'delayMs']);

/** Checks a JSON array of rules from `POST /__ctl/faults`; throws a readable Error when malformed. */
export function parseRules(value) {
  if (!Array.isArray(value)) throw new Error('faults: expected a JSON array of rules');
  return value.map((rule, i) => {
    if (typeof rule !== 'object' || rule === null || typeof rule.match !== 'string') {
      throw new Error(`faults[${i}]: each rule needs a string "match"`);
    }
    const unknown = Object.keys(rule).filter((k) => !KNOWN.has(k));
    if (unknown.length > 0) throw new Error(`faults[${i}]: unknown option(s) ${unknown.join(', ')}`);
    return { ...rule, left: rule.times ?? Infinity };
  });
}

/**
 * The first rule that matches and still has uses left; consumes one use. A HEAD has no
 * body, so rules that only change the body skip it: otherwise the store's HEAD preflight
 * would use up a `cutAfter` meant for the GET that follows.
 */
export function takeRule(rules, method, path) {
  for (const rule of rules) {
    if (rule.left <= 0 || !path.includes(rule.match)) continue;
    if (rule.method !== undefined && rule.method.toUpperCase() !== method) continue;
    const touchesHeaders = rule.status !== undefined || rule.html || rule.etag !== undefined || rule.delayMs !== undefined;
    if (method === 'HEAD' && !touchesHeaders) continue;
    rule.left -= 1;
    return rule;
  }
  return null;
}

/** A short label of what a rule did, for the request log. */
export function describeRule(rule) {
  if (!rule) return null;
  return Object.entries(rule)
    .filter(([k]) => k !== 'match' && k !== 'times' && k !== 'left')
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(' ');
}

/**
 * Streams `source` (async iterable of Buffers holding file bytes from absolute offset
 * `start`) into `res`, applying the rule's body faults. Resolves with the bytes written.
 * `cutAfter` destroys the socket, which the browser sees as a network error mid-body.
 */
export async function pumpBody(res, source, start, rule, entry) {
  const cutAfter = rule?.cutAfter ?? Infinity;
  const bps = rule?.bytesPerSecond;
  let offset = start;
  for await (const piece of source) {
    let buf = Buffer.from(piece);
    if (rule?.corrupt) buf = corrupt(buf, offset, rule.corrupt);
    offset += buf.length;
    const room = cutAfter - entry.bytesSent;
    if (buf.length >= room) {
      await write(res, buf.subarray(0, room), bps, entry);
      // Chromium drops body bytes it has received but the page has not read yet when the
      // connection fails, so linger before the cut: the page then really has `cutAfter` bytes.
      await sleep(CUT_LINGER_MS);
      await new Promise((r) => res.socket ? res.socket.end(r) : r());
      res.destroy();
      return;
    }
    await write(res, buf, bps, entry);
    if (res.destroyed) return;
  }
  res.end();
}

async function write(res, buf, bps, entry) {
  // Throttle in 50 ms slices so progress events are spread out like a slow link.
  const slice = bps ? Math.max(1, Math.floor(bps / 20)) : buf.length || 1;
  for (let at = 0; at < buf.length; at += slice) {
    const part = buf.subarray(at, at + slice);
    if (res.destroyed) return;
    const ok = res.write(part);
    entry.bytesSent += part.length;
    if (!ok) await drained(res);
    if (bps) await sleep((part.length / bps) * 1000);
  }
}

function drained(res) {
  return new Promise((r) => {
    const done = () => { res.off('drain', done); res.off('close', done); r(); };
    res.on('drain', done);
    res.on('close', done);
  });
}

function corrupt(buf, offset, { offset: at, length = 1 }) {
  const from = Math.max(at, offset);
  const to = Math.min(at + length, offset + buf.length);
  if (from >= to) return buf;
  const copy = Buffer.from(buf);
  for (let i = from; i < to; i++) copy[i - offset] ^= 0xff;
  return copy;
}

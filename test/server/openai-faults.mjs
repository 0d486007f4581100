// Fault rules for the OpenAI-compatible test server: checked when set, and combined per
// request, so a one-off `{ status: 500, times: 1 }` and an always-on `{ style: 'ollama' }` mix.

export const STYLES = ['openai', 'vllm', 'vllm-null', 'ollama', 'llamacpp'];

const NUMBERS = ['times', 'status', 'dropAfterChunks', 'endAfterChunks', 'firstByteDelayMs', 'headersDelayMs', 'stallAfterChunks', 'stallMs', 'chunkDelayMs', 'afterChunks', 'chunkSize'];
const BOOLEANS = ['malformed', 'comments', 'noUsage', 'shuffle', 'base64'];
const KNOWN = new Set(['match', 'method', 'body', 'headers', 'errorEvent', 'style', ...NUMBERS, ...BOOLEANS]);

/** Checks a JSON array of rules (`POST /__ctl/faults`); throws a readable Error when malformed. */
export function parseFaults(value) {
  if (!Array.isArray(value)) throw new Error('faults: expected a JSON array of rules');
  return value.map((rule, i) => {
    const at = `faults[${i}]`;
    if (typeof rule !== 'object' || rule === null || typeof rule.match !== 'string') throw new Error(`${at}: each rule needs a string "match" (a path substring)`);
    const unknown = Object.keys(rule).filter((k) => !KNOWN.has(k));
    if (unknown.length > 0) throw new Error(`${at}: unknown option(s) ${unknown.join(', ')}`);
    for (const k of NUMBERS) {
      if (rule[k] !== undefined && !(Number.isInteger(rule[k]) && rule[k] >= 0)) throw new Error(`${at}.${k}: expected an integer >= 0`);
    }
    for (const k of BOOLEANS) {
      if (rule[k] !== undefined && typeof rule[k] !== 'boolean') throw new Error(`${at}.${k}: expected true or false`);
    }
    if (rule.style !== undefined && !STYLES.includes(rule.style)) throw new Error(`${at}.style: one of ${STYLES.join(', ')}`);
    if (rule.chunkSize === 0) throw new Error(`${at}.chunkSize: at least 1`);
    if (rule.headers !== undefined && (typeof rule.headers !== 'object' || rule.headers === null)) throw new Error(`${at}.headers: an object of header values`);
    if (rule.errorEvent !== undefined && rule.errorEvent !== true && (typeof rule.errorEvent !== 'object' || rule.errorEvent === null)) {
      throw new Error(`${at}.errorEvent: true, or the error object to send`);
    }
    return { ...rule, left: rule.times ?? Infinity };
  });
}

/**
 * The rules that apply to one request: every matching rule without `times` (a standing
 * setting such as a style), plus the first matching rule that still has uses left, which
 * consumes one. So `[{ status: 500, times: 1 }, { status: 503, times: 1 }, { style: 'ollama' }]`
 * answers 500, then 503, then succeeds, all in Ollama's dialect. Null when none applies.
 */
export function takeFaults(rules, method, path) {
  let standing = null;
  let once = null;
  for (const rule of rules) {
    if (rule.left <= 0 || !path.includes(rule.match)) continue;
    if (rule.method !== undefined && rule.method.toUpperCase() !== method) continue;
    const { match: _m, times, left: _l, method: _x, ...effect } = rule;
    if (times === undefined) standing = { ...standing, ...effect };
    else if (once === null) {
      rule.left -= 1;
      once = effect;
    }
  }
  // The counted rule wins a conflict: it is the one the test is stepping through.
  return standing === null && once === null ? null : { ...standing, ...once };
}

/** A short label of what applied, for the request log. */
export function describeFaults(fault) {
  if (!fault) return null;
  return Object.entries(fault).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ');
}

// Fault rules for the OpenAI-compatible test server: checked when set, and combined per
// request, so a one-off `{ status: 500, times: 1 }` and an always-on `{ style: 'ollama' }` mix.
// Beside faults, rules script answers: `toolCalls` (see openai-structured.mjs) answers
// with tool calls, `toolCallNames` says how their names travel, `randomChunks: <seed>`
// cuts their fragments at seeded random sizes, and
// `refuseJsonSchema` answers 400 to a request whose response_format is json_schema.

export const STYLES = ['openai', 'vllm', 'vllm-null', 'ollama', 'llamacpp'];

const NUMBERS = ['times', 'status', 'dropAfterChunks', 'endAfterChunks', 'firstByteDelayMs', 'headersDelayMs', 'stallAfterChunks', 'stallMs', 'chunkDelayMs', 'afterChunks', 'chunkSize', 'randomChunks'];
const BOOLEANS = ['malformed', 'comments', 'noUsage', 'shuffle', 'base64', 'refuseJsonSchema'];
const KNOWN = new Set(['match', 'method', 'body', 'headers', 'errorEvent', 'style', 'toolCalls', 'toolCallNames', ...NUMBERS, ...BOOLEANS]);
const TOOL_CALL_NAMES = ['whole', 'split', 'repeat'];
const CALL_KEYS = new Set(['name', 'arguments', 'id']);

/** `true`, or a non-empty array of `{ name?, arguments?, id? }`; throws a readable Error otherwise. */
function checkToolCalls(value, at) {
  if (value === true) return;
  if (!Array.isArray(value) || value.length === 0) throw new Error(`${at}.toolCalls: true, or a non-empty array of { name?, arguments?, id? }`);
  value.forEach((call, i) => {
    const where = `${at}.toolCalls[${i}]`;
    if (typeof call !== 'object' || call === null) throw new Error(`${where}: an object`);
    const unknown = Object.keys(call).filter((k) => !CALL_KEYS.has(k));
    if (unknown.length > 0) throw new Error(`${where}: unknown option(s) ${unknown.join(', ')}`);
    if (call.name !== undefined && (typeof call.name !== 'string' || call.name === '')) throw new Error(`${where}.name: a non-empty string`);
    if (call.arguments !== undefined && typeof call.arguments !== 'string' && (typeof call.arguments !== 'object' || call.arguments === null)) throw new Error(`${where}.arguments: JSON text (sent verbatim) or an object`);
    if (call.id !== undefined && call.id !== null && typeof call.id !== 'string') throw new Error(`${where}.id: a string, or null to send none`);
  });
}

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
    if (rule.toolCalls !== undefined) checkToolCalls(rule.toolCalls, at);
    if (rule.toolCallNames !== undefined && !TOOL_CALL_NAMES.includes(rule.toolCallNames)) throw new Error(`${at}.toolCallNames: one of ${TOOL_CALL_NAMES.join(', ')}`);
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

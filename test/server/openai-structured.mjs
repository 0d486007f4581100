// Structured answers of the OpenAI-compatible test server, all deterministic:
// - a request with `response_format` gets JSON: a sample value of the json_schema's
//   schema; for json_object, a sample of the schema stated in the last system message
//   that holds one (the first `{` to the last `}`), else `{"echo": <last user message>}`;
// - the `toolCalls` fault rule scripts tool calls, streamed as `delta.tool_calls`
//   fragments of a few characters, several calls interleaved by index; `toolCallNames`
//   says how names travel (`whole`, `split`, `repeat`).

/** Seeded sizes 1..8 (mulberry32), so "random" cuts repeat from run to run. */
function sizes(seed) {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return 1 + (((t ^ (t >>> 14)) >>> 0) % 8);
  };
}

/** `text` in pieces of `size` characters, or of seeded random sizes when `seed` is a number. */
export function cut(text, size, seed) {
  const next = seed === undefined ? () => size : sizes(seed);
  const out = [];
  for (let at = 0; at < text.length;) {
    const n = next();
    out.push(text.slice(at, at + n));
    at += n;
  }
  return out;
}

/**
 * A value of a simple schema: const, enum, the first of anyOf/oneOf/allOf, objects (every
 * listed property), arrays (`minItems` items, at least one unless `maxItems` is 0),
 * strings (`text` fitted to min/maxLength; `pattern` and `format` are not honoured),
 * numbers (the minimum, or 0), true, null. No `$ref`.
 */
export function sample(schema, text) {
  if (typeof schema !== 'object' || schema === null) return text;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const first = schema.anyOf ?? schema.oneOf ?? schema.allOf;
  if (Array.isArray(first) && first.length > 0) return sample(first[0], text);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') ?? 'null' : schema.type ?? (schema.properties ? 'object' : 'string');
  switch (type) {
    case 'object': return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, sample(v, text)]));
    case 'array': {
      const n = schema.maxItems === 0 ? 0 : Math.max(schema.minItems ?? 1, 1);
      return Array.from({ length: n }, () => sample(schema.items, text));
    }
    case 'integer':
    case 'number': {
      const low = schema.minimum ?? (schema.exclusiveMinimum === undefined ? 0 : schema.exclusiveMinimum + 1);
      return type === 'integer' ? Math.ceil(low) : low;
    }
    case 'boolean': return true;
    case 'null': return null;
    default: return text.slice(0, schema.maxLength ?? Infinity).padEnd(schema.minLength ?? 0, '.');
  }
}

const lastUser = (messages) => String([...messages].reverse().find((m) => m?.role === 'user')?.content ?? '');

/** A schema written into a system message (the client's json_object fallback states it so). */
function statedSchema(messages) {
  for (const m of [...messages].reverse()) {
    if (m?.role !== 'system' || typeof m.content !== 'string') continue;
    const from = m.content.indexOf('{');
    const to = m.content.lastIndexOf('}');
    if (from < 0 || to < from) continue;
    try {
      const schema = JSON.parse(m.content.slice(from, to + 1));
      if (typeof schema === 'object' && schema !== null) return schema;
    } catch { /* prose with braces: not a schema */ }
  }
  return undefined;
}

/** The JSON text answering a request with `response_format`; undefined without one (or with `text`). */
export function jsonReply(body) {
  const format = body.response_format;
  const text = lastUser(body.messages);
  if (format?.type === 'json_schema') return JSON.stringify(sample(format.json_schema?.schema ?? {}, text));
  if (format?.type !== 'json_object') return undefined;
  const schema = statedSchema(body.messages);
  return JSON.stringify(schema === undefined ? { echo: text } : sample(schema, text));
}

/**
 * The calls a `toolCalls` rule scripts. `true` is one call; each entry may set `name`
 * (default: the tool a named tool_choice names, else the request's first tool),
 * `arguments` (JSON text sent verbatim, so it may be malformed; an object is serialized;
 * default: a sample of the tool's parameters) and `id` (default `call_echo_<i>`; `null`
 * sends none, for the client to name).
 */
export function planCalls(body, script) {
  const tools = Array.isArray(body.tools) ? body.tools : [];
  const chosen = body.tool_choice?.function?.name;
  const fallback = tools.find((t) => t?.function?.name === chosen) ?? tools[0];
  const text = lastUser(body.messages);
  return (script === true ? [{}] : script).map((entry, i) => {
    const name = entry.name ?? fallback?.function?.name ?? 'tool';
    const tool = tools.find((t) => t?.function?.name === name);
    const args = entry.arguments === undefined ? JSON.stringify(sample(tool?.function?.parameters ?? { type: 'object' }, text))
      : typeof entry.arguments === 'string' ? entry.arguments : JSON.stringify(entry.arguments);
    return { id: entry.id === undefined ? `call_echo_${i}` : entry.id, name, arguments: args };
  });
}

/**
 * One `{ tool_calls: [fragment] }` delta per chunk, the calls taking turns: each call's
 * first fragment carries its index, id, type and name, then come the arguments in pieces.
 * `names`: `whole` sends the name once, as OpenAI does; `split` cuts it in pieces too;
 * `repeat` sends it whole again with every piece of the arguments (MiniMax via NVIDIA NIM).
 */
export function callDeltas(calls, size, seed, names = 'whole') {
  const queues = calls.map((call, index) => {
    const nameParts = names === 'split' ? cut(call.name, size, seed) : [call.name];
    const first = { index, type: 'function', function: { name: nameParts[0] ?? '', arguments: '' } };
    if (call.id !== null) first.id = call.id;
    const rest = nameParts.slice(1).map((name) => ({ index, function: { name } }));
    const args = cut(call.arguments, size, seed).map((piece) => ({ index, function: names === 'repeat' ? { name: call.name, arguments: piece } : { arguments: piece } }));
    return [first, ...rest, ...args];
  });
  const deltas = [];
  for (let step = 0; queues.some((q) => step < q.length); step++) {
    for (const q of queues) if (step < q.length) deltas.push({ tool_calls: [q[step]] });
  }
  return deltas;
}

/** The whole message the deltas make, for a completion asked for with `stream: false`. */
export function joinDeltas(deltas) {
  let content = '';
  const calls = [];
  for (const d of deltas) {
    content += d.content ?? '';
    for (const f of d.tool_calls ?? []) {
      const call = (calls[f.index] ??= { id: undefined, type: 'function', function: { name: '', arguments: '' } });
      call.id ??= f.id;
      // Pieces of a split name join; a name sent whole again does not.
      if (f.function?.name && f.function.name !== call.function.name) call.function.name += f.function.name;
      call.function.arguments += f.function?.arguments ?? '';
    }
  }
  const message = { role: 'assistant', content: calls.length > 0 && content === '' ? null : content };
  if (calls.length > 0) message.tool_calls = calls;
  return message;
}

/** The 400 a server that does not know json_schema answers (llama-server's words, OpenAI's envelope). */
export const JSON_SCHEMA_REFUSAL = {
  error: { message: 'response_format type must be one of "text" or "json_object", but got: json_schema', type: 'invalid_request_error', param: 'response_format', code: null },
};

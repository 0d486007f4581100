/**
 * Acceptance (tool calls on every route), through the built package in Chromium: the
 * random-weight fixture with three tools (its call constrained by a grammar made from
 * their schemas), the remote against the OpenAI-compatible test server streaming
 * `tool_calls` deltas cut at random, malformed arguments as a typed error, a two-turn
 * exchange with a tool result, redaction of tool arguments and results on the recorded
 * request (and restoration of the placeholders a call sends back), and the OpenAI face.
 */
import { createEngine, isEdgewiseError, type ChatMessage, type Engine, type Part, type ToolCallPart, type ToolDefinition } from '/dist/edgewise.js';
import { chatCalls, remoteFaults, remoteReset, testRemote } from '../edge-cloud/remote-helpers.js';
import { FIXTURE_URL, assert, assertEqual } from '../helpers.js';

const TOOLS: ToolDefinition[] = [
  { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string', maxLength: 20 }, unit: { enum: ['c', 'f'] } }, required: ['city'], additionalProperties: false } },
  { name: 'add', description: 'Adds two integers', parameters: { type: 'object', properties: { a: { type: 'integer', minimum: 0, maximum: 99 }, b: { type: 'integer', minimum: 0, maximum: 99 } }, required: ['a', 'b'], additionalProperties: false } },
  { name: 'send_mail', description: 'Sends an email', parameters: { type: 'object', properties: { to: { type: 'string', maxLength: 40 }, body: { type: 'string', maxLength: 40 } }, required: ['to', 'body'], additionalProperties: false } },
];

async function parts(engine: Engine, request: Parameters<Engine['generate']>[0]): Promise<{ parts: Part[]; code?: string }> {
  const out: Part[] = [];
  try {
    for await (const p of engine.generate(request)) out.push(p);
  } catch (e) {
    return { parts: out, code: isEdgewiseError(e) ? `${e.code}/${String(e.details['reason'] ?? '')}` : `untyped ${String(e)}` };
  }
  return { parts: out };
}

const callsOf = (ps: Part[]): ToolCallPart[] => ps.filter((p): p is ToolCallPart => p.type === 'tool-call');
const finishOf = (ps: Part[]) => ps.find((p) => p.type === 'finish');

describe('tool calls', function () {
  this.timeout(120_000);

  it('local (random-weight fixture, 3 tools): required and named calls are constrained, parsed and validated; a two-turn exchange answers after the result', async () => {
    const engine = createEngine({ model: { id: 'tiny-llama', url: FIXTURE_URL, dtype: 'q4' }, cache: false });
    try {
      const messages: ChatMessage[] = [{ role: 'user', content: 'What is 2 + 3?' }];
      const required = await parts(engine, { messages, tools: TOOLS, toolChoice: 'required', maxTokens: 200 });
      const [call] = callsOf(required.parts);
      assert(call && TOOLS.some((t) => t.name === call.name), `a call of one of the tools (${required.code ?? JSON.stringify(required.parts.at(-1))})`);
      assertEqual(finishOf(required.parts)?.type === 'finish' && finishOf(required.parts)?.reason, 'tool-calls', 'finish reason tool-calls');
      for (const name of ['get_weather', 'add', 'send_mail']) {
        const named = await parts(engine, { messages, tools: TOOLS, toolChoice: { name }, maxTokens: 200 });
        assertEqual(callsOf(named.parts).map((c) => c.name), [name], `toolChoice { name: '${name}' } calls it (${named.code ?? ''})`);
        const args = callsOf(named.parts)[0]?.arguments ?? {};
        if (name === 'add') assert(Number.isInteger(args['a']) && (args['a'] as number) <= 99 && Number.isInteger(args['b']), `add's arguments validate: ${JSON.stringify(args)}`);
      }
      const second: ChatMessage[] = [...messages, { role: 'assistant', content: '', toolCalls: [{ id: call.id, name: call.name, arguments: call.arguments }] }, { role: 'tool', toolCallId: call.id, content: '5' }];
      const answer = await parts(engine, { messages: second, maxTokens: 8 });
      assert(finishOf(answer.parts)?.type === 'finish' && callsOf(answer.parts).length === 0, `the second turn answers in text (${answer.code ?? ''})`);
      const auto = await parts(engine, { messages, tools: TOOLS, toolChoice: 'auto', maxTokens: 200 });
      const f = finishOf(auto.parts);
      assert(f?.type === 'finish' && (f.reason === 'tool-calls' ? callsOf(auto.parts).length === 1 : f.reason === 'stop' || f.reason === 'length'), `auto: a call or text (${auto.code ?? JSON.stringify(f)})`);
    } finally {
      await engine.dispose();
    }
  });

  it('remote: tool_calls deltas cut at random are assembled exactly; malformed arguments are a typed invalid_output', async () => {
    await remoteReset();
    const engine = createEngine({ ...testRemote(), policy: 'remote-only' });
    try {
      await remoteFaults([{ match: '/chat/completions', times: 1, randomChunks: 11, toolCalls: [{ name: 'get_weather', arguments: '{"city":"Oslo","unit":"c"}' }, { name: 'add', arguments: '{"a":2,"b":3}' }] }]);
      const r = await parts(engine, { messages: [{ role: 'user', content: 'Weather in Oslo, and 2+3?' }], tools: TOOLS });
      assertEqual(callsOf(r.parts).map((c) => [c.name, c.arguments]), [['get_weather', { city: 'Oslo', unit: 'c' }], ['add', { a: 2, b: 3 }]], `assembled (${r.code ?? ''})`);
      const body = (await chatCalls())[0]?.body as { tools?: { function: { name: string } }[] };
      assertEqual(body.tools?.map((t) => t.function.name), ['get_weather', 'add', 'send_mail'], 'the tools went out');
      await remoteFaults([{ match: '/chat/completions', times: 1, toolCalls: [{ name: 'add', arguments: '{"a":2,' }] }]);
      const bad = await parts(engine, { messages: [{ role: 'user', content: '2+3?' }], tools: TOOLS });
      assertEqual(bad.code, 'invalid_output/not_json', 'malformed arguments: typed, never a half call');
      assertEqual(callsOf(bad.parts).length, 0, 'no call part');
    } finally {
      await engine.dispose();
    }
  });

  it('redaction covers tools: arguments of earlier calls and tool results go out as placeholders; placeholders in a returned call are restored', async () => {
    await remoteReset();
    const engine = createEngine({ ...testRemote(), policy: 'remote-only' });
    try {
      const messages: ChatMessage[] = [
        { role: 'user', content: 'Mail jane.doe@example.com the forecast' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Call +44 20 7946 0958' } }] },
        { role: 'tool', toolCallId: 'call_1', content: 'Sunny; ask bob@example.org' },
      ];
      // The server answers with a call that quotes the placeholder the request carried.
      await remoteFaults([{ match: '/chat/completions', times: 1, toolCalls: [{ name: 'send_mail', arguments: '{"to":"[EMAIL_1]","body":"Sunny"}' }] }]);
      const r = await parts(engine, { messages, tools: TOOLS });
      const sent = JSON.stringify((await chatCalls())[0]?.body);
      assert(!sent.includes('jane.doe@example.com') && !sent.includes('bob@example.org') && !sent.includes('7946'), `nothing personal on the wire: ${sent.slice(0, 400)}`);
      assert(sent.includes('[EMAIL_1]') && sent.includes('[EMAIL_2]') && sent.includes('[PHONE_1]'), 'placeholders in the user message, the tool result and the earlier call');
      assertEqual(callsOf(r.parts).map((c) => c.arguments), [{ to: 'jane.doe@example.com', body: 'Sunny' }], `restored in the returned call (${r.code ?? ''})`);
      const f = finishOf(r.parts);
      assert(f?.type === 'finish' && (f.redactions?.email ?? 0) === 2 && f.redactions?.phone === 1, `counts: ${JSON.stringify(f?.type === 'finish' ? f.redactions : f)}`);
    } finally {
      await engine.dispose();
    }
  });

  it('the OpenAI face: tools in, tool_calls deltas out; response_format json_schema in, valid JSON out; a setting the remote ignores is a warning', async () => {
    await remoteReset();
    const engine = createEngine({ ...testRemote(), policy: 'remote-only' });
    try {
      await remoteFaults([{ match: '/chat/completions', times: 1, toolCalls: [{ name: 'add', arguments: '{"a":1,"b":2}' }] }]);
      const stream = await engine.chat.completions.create({ messages: [{ role: 'user', content: '1+2?' }], tools: TOOLS.map((t) => ({ type: 'function' as const, function: t })), stream: true });
      const deltas: unknown[] = [];
      let reason: string | null = null;
      for await (const c of stream) {
        for (const d of c.choices[0]?.delta.tool_calls ?? []) deltas.push(d);
        reason = c.choices[0]?.finish_reason ?? reason;
      }
      assertEqual(deltas, [{ index: 0, id: (deltas[0] as { id: string }).id, type: 'function', function: { name: 'add', arguments: '{"a":1,"b":2}' } }], 'one tool_calls delta');
      assertEqual(reason, 'tool_calls', 'finish_reason tool_calls');
      const schema = { type: 'object', properties: { city: { type: 'string', maxLength: 20 } }, required: ['city'] };
      const done = await engine.chat.completions.create({ messages: [{ role: 'user', content: 'A city' }], response_format: { type: 'json_schema', json_schema: { name: 'city', schema } } });
      const value = JSON.parse(done.choices[0]?.message.content ?? '') as { city?: unknown };
      assert(typeof value.city === 'string', `valid JSON: ${done.choices[0]?.message.content}`);
      const warned = await parts(engine, { prompt: 'hi', topK: 5 });
      const w = warned.parts.filter((p) => p.type === 'warning');
      assertEqual(w.map((p) => p.type === 'warning' && p.warning.setting), ['topK'], 'one warning, before the text');
      const f = finishOf(warned.parts);
      assertEqual(f?.type === 'finish' && f.warnings?.map((x) => x.code), ['unsupported_setting'], 'and in the finish');
    } finally {
      await engine.dispose();
    }
  });
});

/**
 * Acceptance (structured output on the device): on the generated fixture (random weights)
 * and on stories260K (a tiny story model that has never seen JSON), each of the 20
 * schemas and the 10 regexes of test/corpus/schemas.ts yields output that parses and
 * validates, through the built package in Chromium. Neither model can write JSON by
 * itself (the unconstrained control below shows it), so this is the constraint's doing.
 */
import { createEngine, isEdgewiseError, type Engine, type FinishPart, type ResponseFormat } from '/dist/edgewise.js';
import { validateOutput } from '../../../src/structured/validate.js';
import { REGEXES, SCHEMAS } from '../../corpus/schemas.js';
import { FIXTURE_URL, STORIES_URL, assert, assertEqual, sharedModelsAvailable } from '../helpers.js';

async function answer(engine: Engine, responseFormat: ResponseFormat): Promise<{ text: string; finish?: FinishPart; code?: string }> {
  let text = '';
  try {
    for await (const p of engine.generate({ prompt: 'Answer:', maxTokens: 300, temperature: 0, responseFormat })) {
      if (p.type === 'text') text += p.text;
      else if (p.type === 'finish') return { text, finish: p };
    }
  } catch (e) {
    return { text, code: isEdgewiseError(e) ? `${e.code}/${String(e.details['reason'])}` : `untyped ${String(e)}` };
  }
  return { text };
}

async function corpus(engine: Engine, label: string): Promise<void> {
  const failures: string[] = [];
  const t0 = performance.now();
  for (const c of SCHEMAS) {
    const format: ResponseFormat = { type: 'json_schema', schema: c.schema, name: c.name.replace(/[^A-Za-z0-9_-]/g, '_') };
    const r = await answer(engine, format);
    try {
      assert(r.finish?.reason === 'stop', `finished with stop (${r.finish?.reason ?? r.code})`);
      validateOutput(r.text, format);
    } catch (e) {
      failures.push(`${c.name}: ${e instanceof Error ? e.message : String(e)} — ${r.text.slice(0, 120)}`);
    }
  }
  for (const c of REGEXES) {
    const format: ResponseFormat = { type: 'regex', pattern: c.pattern };
    const r = await answer(engine, format);
    try {
      assert(r.finish?.reason === 'stop', `finished with stop (${r.finish?.reason ?? r.code})`);
      validateOutput(r.text, format);
    } catch (e) {
      failures.push(`regex ${c.name}: ${e instanceof Error ? e.message : String(e)} — ${JSON.stringify(r.text.slice(0, 80))}`);
    }
  }
  console.log(`${label}: ${SCHEMAS.length - failures.filter((f) => !f.startsWith('regex')).length}/${SCHEMAS.length} schemas, ${REGEXES.length - failures.filter((f) => f.startsWith('regex')).length}/${REGEXES.length} regexes valid in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  assertEqual(failures, [], `${label}: every output parses and validates`);
}

describe('structured output: constrained decoding on ONNX models', function () {
  this.timeout(300_000);

  it('the generated fixture (random weights): 20/20 schemas and 10/10 regexes validate; unconstrained, it writes no JSON', async () => {
    const engine = createEngine({ model: { id: 'tiny-llama', url: FIXTURE_URL, dtype: 'q4' }, cache: false });
    try {
      const free = await engine.text({ prompt: 'Answer:', maxTokens: 40, temperature: 0 });
      let parses = true;
      try { JSON.parse(free); } catch { parses = false; }
      assert(!parses, `the control is not JSON by itself: ${JSON.stringify(free.slice(0, 60))}`);
      await corpus(engine, 'fixture');
    } finally {
      await engine.dispose();
    }
  });

  it('stories260K: 20/20 schemas and 10/10 regexes validate; engine.object() returns validated values', async function () {
    if (!(await sharedModelsAvailable())) {
      console.log('SKIP: ../shared/models is absent (stories260K)');
      this.skip();
    }
    const engine = createEngine({ model: { id: 'stories260K', url: STORIES_URL, dtype: 'fp32' }, cache: false });
    try {
      await corpus(engine, 'stories260K');
      const value = await engine.object<{ name: string; age: number }>({ prompt: 'Lily is', schema: { type: 'object', properties: { name: { type: 'string', maxLength: 12 }, age: { type: 'integer', minimum: 1, maximum: 9 } }, required: ['name', 'age'], additionalProperties: false } });
      assert(typeof value.name === 'string' && [...value.name].length <= 12, `a validated name: ${JSON.stringify(value)}`);
      assert(Number.isInteger(value.age) && value.age >= 1 && value.age <= 9, `a validated age: ${JSON.stringify(value)}`);
    } finally {
      await engine.dispose();
    }
  });

  it('an unsupported schema feature is a typed error before any token; maxTokens mid-object is invalid_output (length), never a half-object', async () => {
    const engine = createEngine({ model: { id: 'tiny-llama', url: FIXTURE_URL, dtype: 'q4' }, cache: false });
    try {
      const bad = await answer(engine, { type: 'json_schema', schema: { type: 'object', not: { required: ['a'] } } });
      assert(bad.code?.startsWith('invalid_response_format'), `typed refusal: ${bad.code}`);
      assertEqual(bad.text, '', 'no token before the refusal');
      let code = 'none';
      try {
        await engine.text({ prompt: 'x', maxTokens: 3, responseFormat: { type: 'json_schema', schema: { type: 'object', properties: { a: { type: 'string', maxLength: 40 }, b: { type: 'string', maxLength: 40 } }, required: ['a', 'b'] } } });
      } catch (e) {
        code = isEdgewiseError(e) ? `${e.code}/${String(e.details['reason'])}` : String(e);
      }
      assertEqual(code, 'invalid_output/length', 'cut mid-object: typed, with the reason');
    } finally {
      await engine.dispose();
    }
  });
});

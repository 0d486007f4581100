/**
 * Acceptance: each kind of bad input produces its own typed error, with a code and an
 * actionable message, within a second, across the worker boundary.
 */
import { EdgewiseError, createEngine, isEdgewiseError, type GenerateRequest } from '/dist/edgewise.js';
import { FIXTURE_URL, MODEL_SERVER, assert, assertEqual, rejection, sharedModelsAvailable } from './helpers.js';

async function expectCode(code: string, run: () => Promise<unknown>, withinMs = 1000): Promise<EdgewiseError> {
  const t0 = performance.now();
  const e = await rejection(run);
  const ms = performance.now() - t0;
  assert(isEdgewiseError(e), `a typed EdgewiseError, got ${String(e)}`);
  assert(e instanceof EdgewiseError, 'the class survives the worker boundary');
  assertEqual(e.code, code, `error code (message: ${e.message})`);
  assert(e.message.length > 20, 'the message says what to do');
  assert(ms < withinMs, `${code} within ${withinMs} ms (took ${ms.toFixed(0)} ms)`);
  return e;
}

describe('bad input gets a typed error', () => {
  const engine = createEngine({ model: { id: 'tiny-llama', url: FIXTURE_URL, dtype: 'q4' }, cache: false });
  before(() => engine.load());
  after(() => engine.dispose());

  const drain = (req: GenerateRequest) => () => engine.text(req);
  const cases: [string, string, GenerateRequest][] = [
    ['empty messages array', 'empty_messages', { messages: [] }],
    ['message without string content', 'invalid_message', { messages: [{ role: 'user', content: 42 as unknown as string }] }],
    ['maxTokens 0', 'invalid_max_tokens', { prompt: 'x', maxTokens: 0 }],
    ['maxTokens negative', 'invalid_max_tokens', { prompt: 'x', maxTokens: -3 }],
    ['maxTokens not an integer', 'invalid_max_tokens', { prompt: 'x', maxTokens: 1.5 }],
    ['temperature below zero', 'invalid_temperature', { prompt: 'x', temperature: -0.1 }],
    ['temperature NaN', 'invalid_temperature', { prompt: 'x', temperature: NaN }],
  ];
  for (const [name, code, req] of cases) {
    it(`${name} → ${code}`, () => expectCode(code, drain(req)));
  }

  it('a prompt longer than the context → context_overflow (details carry both numbers)', async () => {
    const e = await expectCode('context_overflow', drain({ prompt: 'lorem ipsum dolor sit amet '.repeat(200) }));
    assert(Number(e.details['promptTokens']) > Number(e.details['contextLength']), 'details');
  });

  it('the engine still generates after rejected requests', async () => {
    assert((await engine.text({ prompt: 'hello', maxTokens: 3 })).length > 0, 'text');
  });
});

describe('bad model locations get a typed error', () => {
  const load = (url: string) => async () => {
    const e = createEngine({ model: { id: 'bad', url, dtype: 'q4' }, cache: false });
    try { await e.load(); } finally { await e.dispose(); }
  };

  it('a 404 folder → model_not_found', () => expectCode('model_not_found', load(`${MODEL_SERVER}/fixtures/no-such-model/`)));
  it('an unreachable host → model_not_found', () => expectCode('model_not_found', load('http://127.0.0.1:9/models/x/')));
  it('an HTML page in place of the model → not_a_model', () => expectCode('not_a_model', load(`${MODEL_SERVER}/html/some-app/`)));
  it('an unknown dtype → invalid_model_spec, synchronously at createEngine', async () => {
    await expectCode('invalid_model_spec', async () => createEngine({ model: { id: 'x', url: FIXTURE_URL, dtype: 'q3' as 'q4' } }));
  });

  it('an unsupported layout (GPT-2 with past_N cache) → unsupported_model', async function () {
    if (!(await sharedModelsAvailable())) {
      console.warn('SKIP unsupported layout: ../shared/models is absent');
      this.skip();
    }
    await expectCode('unsupported_model', load(`${MODEL_SERVER}/shared/tiny-random-gpt2-onnx/`));
  });
});

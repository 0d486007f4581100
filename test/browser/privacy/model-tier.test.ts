/**
 * Issue 16, the redaction model tier in Chromium through the public API: a real worker,
 * real onnxruntime-web, real IndexedDB, the generated tiny-ner token classifier (its
 * labels are known by construction: a plumbing test, not a recall claim) and the local
 * OpenAI-compatible recording server. Names the patterns cannot find are hidden in the
 * recorded request, restored in the answer and counted; the second engine loads the model
 * from the cache; a model that cannot load fails the request with `redaction_failed` and
 * nothing is sent.
 */
import { createEngine, isEdgewiseError } from '/dist/edgewise.js';
import { MODEL_SERVER, assert, assertEqual, rejection, resetServer, serverLog } from '../helpers.js';
import { chatCalls, remoteReset, testRemote } from '../edge-cloud/remote-helpers.js';
import { ask } from './helpers.js';

const NER_URL = `${MODEL_SERVER}/fixtures/tiny-ner/`;
const MODEL = { id: 'tiny-ner', url: NER_URL };

const lastSent = async (): Promise<string> => {
  const calls = await chatCalls();
  return JSON.stringify(calls[calls.length - 1]?.body ?? null);
};

/** Downloads of the weights (the store also sends a HEAD first for the size). */
const modelFetches = async (): Promise<number> => (await serverLog()).filter((e) => e.method === 'GET' && e.path.endsWith('/tiny-ner/onnx/model.onnx') && e.status < 300).length;

describe('privacy: the redaction model tier (tiny-ner fixture)', () => {
  before(async () => {
    // A cold cache: the first engine must download the model, the second must not.
    const cleaner = createEngine({ ...testRemote(), policy: 'remote-only' });
    await cleaner.cache.clear();
    await cleaner.dispose();
    await resetServer();
  });
  beforeEach(remoteReset);

  it('hides names and addresses the patterns cannot find, restores them in the answer and counts them; the second engine loads from the cache', async function () {
    this.timeout(120_000);
    const content = 'Hello, my name is Alice Smith and I live at 12 Maple Street. Call +44 20 7946 0958, ask for Zephyrine.';
    const first = createEngine({ ...testRemote(), policy: 'remote-only', redact: { model: MODEL } });
    try {
      const { text, finish } = await ask(first, content);
      const sent = await lastSent();
      for (const value of ['Alice', 'Smith', 'Maple', 'Zephyrine', '7946']) assert(!sent.includes(value), `${value} is not in the recorded request: ${sent}`);
      assert(sent.includes('[NAME_1]') && sent.includes('[NAME_2]') && sent.includes('[ADDRESS_1]'), `placeholders in the request: ${sent}`);
      assertEqual(text, `Echo: ${content}`, 'the answer is restored');
      assertEqual(finish.redactions, { name: 2, address: 1, phone: 1 }, 'counted by type');
    } finally {
      await first.dispose();
    }
    assertEqual(await modelFetches(), 1, 'the first engine downloaded the model once');

    const second = createEngine({ ...testRemote(), policy: 'remote-only', redact: { model: MODEL } });
    try {
      const { finish } = await ask(second, 'Bob Jones lives on Elm Road');
      assert(!(await lastSent()).includes('Bob'), 'hidden by the cached model');
      assertEqual(finish.redactions, { name: 1, address: 1 }, 'counted');
    } finally {
      await second.dispose();
    }
    assertEqual(await modelFetches(), 1, 'the second engine read the model from IndexedDB');
  });

  it('reads past the model\'s 16 positions: a name hundreds of tokens in is hidden too', async function () {
    this.timeout(60_000);
    const engine = createEngine({ ...testRemote(), policy: 'remote-only', redact: { model: MODEL } });
    try {
      const { finish } = await ask(engine, `${'the '.repeat(400)}and then meet Carol today`);
      assert(!(await lastSent()).includes('Carol'), 'the late name is hidden');
      assertEqual(finish.redactions, { name: 1 }, 'counted');
    } finally {
      await engine.dispose();
    }
  });

  it('a model that cannot load fails the request with redaction_failed, and nothing is sent', async function () {
    this.timeout(60_000);
    const engine = createEngine({ ...testRemote(), policy: 'remote-only', redact: { model: { id: 'missing-ner', url: `${MODEL_SERVER}/fixtures/no-such-model/` } } });
    try {
      const e = await rejection(ask(engine, 'Alice Smith, 12 Maple Street'));
      assert(isEdgewiseError(e), `typed error: ${String(e)}`);
      assertEqual(e.code, 'redaction_failed', `code (${e.message})`);
      assertEqual((await chatCalls()).length, 0, 'no request reached the server');
    } finally {
      await engine.dispose();
    }
  });
});

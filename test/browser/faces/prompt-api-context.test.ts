/**
 * edgewise/prompt-api context accounting through the built package in Chromium, on the
 * generated fixture (a 256-token context): measureContextUsage(), overflow that drops the
 * oldest turns (never the initial prompts) and fires contextoverflow, QuotaExceededError
 * when the input alone cannot fit. An engine that counts on the fixture and answers
 * through the test server (route: 'remote') shows exactly which messages were kept.
 */
import { createEngine, type Engine } from '/dist/edgewise.js';
import { FIXTURE_URL, REMOTE_SERVER, assert, assertEqual, rejection } from '../helpers.js';
import { remoteReset } from '../edge-cloud/remote-helpers.js';
import { createLanguageModel, fixtureEngine, nameOf, sentMessages } from './prompt-api-face.js';

const SCHEMA = { type: 'object', properties: { rating: { type: 'integer', minimum: 0, maximum: 5 } }, required: ['rating'], additionalProperties: false };

/** Counts on the fixture's tokenizer (context 256), answers "Echo: …" from the test server. */
const countingRemote = (): Engine => createEngine({
  model: { id: 'tiny-llama-prompt-api-context', url: FIXTURE_URL, dtype: 'q4' }, cache: false,
  remote: { baseURL: REMOTE_SERVER, model: 'test-model' }, redact: false, route: () => 'remote',
});

describe('prompt-api: context', function () {
  this.timeout(120_000);
  const engine = fixtureEngine('tiny-llama-prompt-api-measure');
  const LM = createLanguageModel(engine, { maxTokens: 8 });
  after(() => engine.dispose());

  it('measureContextUsage() grows with the input and with a described constraint; contextUsage starts at the initial prompts', async () => {
    const empty = await LM.create();
    assertEqual(empty.contextUsage, 0, 'nothing yet');
    const session = await LM.create({ initialPrompts: [{ role: 'system', content: 'You rate reviews.' }] });
    assert(session.contextUsage > 0 && session.contextUsage < session.contextWindow, `the system prompt counts (${session.contextUsage} of ${session.contextWindow})`);
    const short = await session.measureContextUsage('Good food.');
    const long = await session.measureContextUsage('Good food, friendly staff, a quiet room and fair prices.');
    assert(short > 0 && long > short, `longer input, more tokens (${short} < ${long})`);
    const described = await session.measureContextUsage('Good food.', { responseConstraint: SCHEMA });
    const omitted = await session.measureContextUsage('Good food.', { responseConstraint: SCHEMA, omitResponseConstraintInput: true });
    assert(described > short, `the described schema takes context (${described} > ${short})`);
    assertEqual(omitted, short, 'omitResponseConstraintInput leaves it out');
    assertEqual(await session.measureInputUsage('Good food.'), short, 'the old name answers the same');
    assertEqual(nameOf(await rejection(session.measureContextUsage('x', { omitResponseConstraintInput: true }))), 'TypeError/TypeError', 'omit without a constraint');
    assertEqual([session.inputQuota, session.contextWindow], [256, 256], 'the window is the fixture\'s context length');
  });

  it('a prompt that overflows drops the oldest turns, keeps the initial prompts and fires contextoverflow', async () => {
    await remoteReset();
    const counting = countingRemote();
    try {
      const RLM = createLanguageModel(counting);
      const session = await RLM.create({ initialPrompts: [{ role: 'system', content: 'Keep this.' }] });
      const initialUsage = session.contextUsage;
      const events: string[] = [];
      session.addEventListener('contextoverflow', (e) => events.push(e.type));
      session.oncontextoverflow = (e) => events.push(`handler ${e.type}`);
      let turns = 0;
      while (events.length === 0 && turns < 20) {
        await session.prompt(`turn ${turns} tells a fairly long line of text`);
        turns++;
        assert(session.contextUsage <= session.contextWindow, `usage within the window (${session.contextUsage})`);
      }
      assertEqual(events, ['contextoverflow', 'handler contextoverflow'], `contextoverflow fired (after ${turns} turns)`);
      const sent = await sentMessages();
      const last = sent.at(-1) ?? [];
      assertEqual(last[0], { role: 'system', content: 'Keep this.' }, 'the initial prompt is kept');
      assertEqual(last.at(-1)?.content, `turn ${turns - 1} tells a fairly long line of text`, 'the new prompt is last');
      assert(!last.some((m) => m.content === 'turn 0 tells a fairly long line of text'), 'the oldest turn is gone');
      assertEqual(last[1]?.role, 'user', 'turns go whole: a user message follows the system prompt');
      assertEqual(last[2]?.content, `Echo: ${String(last[1]?.content)}`, 'and its answer stayed with it');
      assert(last.length < (sent.at(-2)?.length ?? 0) + 2, 'fewer messages than the history had');
      assert(session.contextUsage > initialUsage, 'the kept turns still count');
    } finally {
      await counting.dispose();
    }
  });

  it('a constrained prompt leaves its answer up to half the window: older turns go for it, where a plain prompt would have kept them', async () => {
    await remoteReset();
    const counting = countingRemote();
    try {
      const RLM = createLanguageModel(counting);
      const session = await RLM.create({ initialPrompts: [{ role: 'system', content: 'Keep this.' }] });
      const events: string[] = [];
      session.addEventListener('contextoverflow', (e) => events.push(e.type));
      // The schema is not described in the input (it would take most of the window on its own).
      const BARE = { responseConstraint: SCHEMA, omitResponseConstraintInput: true };
      // Fill until the constrained prompt fits, but with well under half the window (128) left for
      // its answer (measured alone, the input counts a few template tokens more than in the history).
      const left = async (): Promise<number> => session.contextWindow - session.contextUsage - (await session.measureContextUsage('Rate it.', BARE));
      let turns = 0;
      while ((await left()) >= 100) {
        await session.prompt(`turn ${turns++} says a few words`);
        assert(turns < 30, 'the history grows');
      }
      const room = await left();
      assert(room >= 1 && room < 100, `the constrained prompt fits with ${room} tokens left for its answer`);
      assertEqual(events, [], 'no overflow while filling');
      const copy = await session.clone();
      const copyEvents: string[] = [];
      copy.addEventListener('contextoverflow', (e) => copyEvents.push(e.type));
      await copy.prompt('Rate it.');
      assertEqual(copyEvents, [], 'a plain prompt in the same state keeps every turn');

      const answer = await session.prompt('Rate it.', BARE);
      assertEqual(Object.keys(JSON.parse(answer) as object), ['rating'], `the answer is the schema's JSON: ${answer}`);
      assertEqual(events, ['contextoverflow'], 'the constrained prompt dropped old turns');
      const last = (await sentMessages()).at(-1) ?? [];
      assertEqual(last[0], { role: 'system', content: 'Keep this.' }, 'the initial prompt is kept');
      assert(!last.some((m) => m.content === 'turn 0 says a few words'), 'the oldest turn went');
      assert(last.some((m) => m.content === `turn ${turns - 1} says a few words`), 'the newest turn stayed');
    } finally {
      await counting.dispose();
    }
  });

  it('an input that cannot fit even alone is a QuotaExceededError with requested and quota, and nothing is dropped; so are initial prompts too long for the window', async () => {
    await remoteReset();
    const counting = countingRemote();
    try {
      const RLM = createLanguageModel(counting);
      const session = await RLM.create({ initialPrompts: [{ role: 'system', content: 'Keep this.' }] });
      await session.prompt('a first turn');
      const usage = session.contextUsage;
      let overflowed = false;
      session.addEventListener('contextoverflow', () => { overflowed = true; });
      const huge = 'many words in a row '.repeat(40);
      const e = await rejection(session.prompt(huge));
      assertEqual(nameOf(e), 'QuotaExceededError/QuotaExceededError', 'QuotaExceededError (the DOMException subclass)');
      assert(e instanceof DOMException, 'a DOMException');
      const q = e as DOMException & { requested: number; quota: number };
      assert(q.requested > q.quota && q.quota === 256, `requested ${q.requested} > quota ${q.quota}`);
      assertEqual([session.contextUsage, overflowed], [usage, false], 'nothing dropped, no event');
      await session.prompt('after');
      assertEqual((await sentMessages()).at(-1)?.map((m) => m.content), ['Keep this.', 'a first turn', 'Echo: a first turn', 'after'], 'the history is intact');
      assertEqual(nameOf(await rejection(RLM.create({ initialPrompts: [{ role: 'system', content: huge }] }))), 'QuotaExceededError/QuotaExceededError', 'initial prompts over the window');
      assertEqual(nameOf(await rejection(session.append(huge))), 'QuotaExceededError/QuotaExceededError', 'append() too');
    } finally {
      await counting.dispose();
    }
  });

  it('answers never run past the window: a long answer on the fixture stops where the context ends', async () => {
    const Long = createLanguageModel(engine, { maxTokens: 10_000 });
    const session = await Long.create({ samplingMode: 'most-predictable' });
    await session.prompt('Go on forever');
    const filled = session.contextUsage;
    assert(filled <= session.contextWindow, `usage ${filled} within ${session.contextWindow}`);
    const needed = await session.measureContextUsage('And again');
    let overflowed = false;
    session.addEventListener('contextoverflow', () => { overflowed = true; });
    await session.prompt('And again');
    assertEqual(overflowed, filled + needed >= session.contextWindow, `the next prompt dropped the first turn exactly when it had to (${filled} + ${needed} of ${session.contextWindow})`);
  });
});

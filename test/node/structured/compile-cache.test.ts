// One compiler per tokenizer, each format compiled once: a second compile of the same
// schema is a cache hit; key order matters (properties come out in declaration order);
// eviction and dispose free the WASM objects; a refused format never reaches XGrammar.
import './xgrammar-env.js';
import { describe, expect, it } from 'vitest';
import { grammarsFor, TokenizerGrammars } from '../../../src/backends/onnx/grammar/compile.js';
import { GrammarConstraint } from '../../../src/backends/onnx/grammar/constraint.js';
import { isEdgewiseError } from '../../../src/errors.js';
import { fixtureTokenizer, vocabOf } from './helpers.js';

const schema = { type: 'object', properties: { a: { type: 'integer', minimum: 0, maximum: 9 }, b: { type: 'boolean' } }, required: ['a', 'b'] };

async function rejects(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('TokenizerGrammars', () => {
  it('compiles a schema once: the second compile is a cache hit with the first compile time', async () => {
    const grammars = await TokenizerGrammars.create(vocabOf(fixtureTokenizer()));
    const first = await grammars.compile({ type: 'json_schema', schema });
    const second = await grammars.compile({ type: 'json_schema', schema: JSON.parse(JSON.stringify(schema)) as Record<string, unknown>, name: 'other_name' });
    expect([first.cacheHit, second.cacheHit]).toEqual([false, true]);
    expect(second.key).toBe(first.key);
    expect(second.grammar).toBe(first.grammar);
    expect(second.compileMs).toBe(first.compileMs);
    expect(grammars.stats).toMatchObject({ compiles: 1, hits: 1, cached: 1 });
    // Another key order is another grammar: XGrammar writes properties in declaration order.
    const reordered = await grammars.compile({ type: 'json_schema', schema: { ...schema, properties: { b: schema.properties.b, a: schema.properties.a } } });
    expect(reordered.cacheHit).toBe(false);
    grammars.dispose();
  });

  it('shares a concurrent compile of the same format', async () => {
    const grammars = await TokenizerGrammars.create(vocabOf(fixtureTokenizer()));
    const [a, b] = await Promise.all([grammars.compile({ type: 'regex', pattern: '[a-z]{3}' }), grammars.compile({ type: 'regex', pattern: '[a-z]{3}' })]);
    expect(a.grammar).toBe(b.grammar);
    expect(grammars.stats.compiles).toBe(1);
    grammars.dispose();
  });

  it('evicts the least recently used grammar past maxCached, and disposes it', async () => {
    const grammars = await TokenizerGrammars.create(vocabOf(fixtureTokenizer()), { maxCached: 2 });
    await grammars.compile({ type: 'regex', pattern: 'one' });
    const two = await grammars.compile({ type: 'regex', pattern: 'two' });
    await grammars.compile({ type: 'regex', pattern: 'one' }); // one is now the most recent
    await grammars.compile({ type: 'regex', pattern: 'three' }); // evicts two
    await Promise.resolve(); // eviction disposes on the settled promise's next turn
    expect(grammars.stats.cached).toBe(2);
    const stale = await rejects(GrammarConstraint.create(two));
    expect(isEdgewiseError(stale) && stale.code).toBe('disposed');
    expect((await grammars.compile({ type: 'regex', pattern: 'one' })).cacheHit).toBe(true);
    expect((await grammars.compile({ type: 'regex', pattern: 'two' })).cacheHit).toBe(false);
    grammars.dispose();
  });

  it('constraint() keeps its grammar from eviction until the matcher exists', async () => {
    const grammars = await TokenizerGrammars.create(vocabOf(fixtureTokenizer()), { maxCached: 1 });
    const made = await Promise.all(['a', 'b', 'c', 'd'].map((pattern) => grammars.constraint({ type: 'regex', pattern })));
    expect(made).toHaveLength(4);
    expect(grammars.stats.cached).toBe(1);
    for (const c of made) c.dispose();
    grammars.dispose();
  });

  it('checks the format first: a refused schema is a typed error and caches nothing', async () => {
    const grammars = await TokenizerGrammars.create(vocabOf(fixtureTokenizer()));
    const e = await rejects(grammars.compile({ type: 'json_schema', schema: { type: 'integer', multipleOf: 2 } }));
    expect(isEdgewiseError(e) && e.code).toBe('invalid_response_format');
    const t = await rejects(grammars.compile({ type: 'tool_call', tools: [{ name: 'f', parameters: { type: 'string' } }] }));
    expect(isEdgewiseError(t) && t.code).toBe('invalid_tools');
    expect(grammars.stats).toMatchObject({ compiles: 0, cached: 0 });
    grammars.dispose();
  });

  it('after dispose: compile is refused; a constraint made before keeps working', async () => {
    const grammars = await TokenizerGrammars.create(vocabOf(fixtureTokenizer()));
    const compiled = await grammars.compile({ type: 'regex', pattern: 'ab' });
    const constraint = await GrammarConstraint.create(compiled);
    grammars.dispose();
    grammars.dispose(); // twice is fine
    const e = await rejects(grammars.compile({ type: 'regex', pattern: 'ab' }));
    expect(isEdgewiseError(e) && e.code).toBe('disposed');
    const logits = new Float32Array(512);
    await constraint.mask(logits);
    expect(logits.filter((x) => x !== -Infinity).length).toBeGreaterThan(0);
    constraint.dispose();
  });

  it('grammarsFor shares one compiler per tokenizer until it is disposed', async () => {
    const vocab = vocabOf(fixtureTokenizer());
    const a = await grammarsFor(vocab);
    expect(await grammarsFor(vocabOf(fixtureTokenizer()))).toBe(a);
    a.dispose();
    const b = await grammarsFor(vocab);
    expect(b).not.toBe(a);
    b.dispose();
  });
});

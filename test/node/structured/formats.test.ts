// `format`s the schema check lets through: what the grammar writes for them passes
// @cfworker/json-schema's check of the same format (40 random outputs each). The ones
// refused (email, hostname, uri) fail this; see schema-features.ts.
import './xgrammar-env.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenizerGrammars } from '../../../src/backends/onnx/grammar/compile.js';
import { GrammarConstraint } from '../../../src/backends/onnx/grammar/constraint.js';
import { SUPPORTED_FORMATS } from '../../../src/structured/schema-features.js';
import { validateOutput } from '../../../src/structured/validate.js';
import { fixtureTokenizer, hfTokenizer, randomConstrained, vocabOf } from './helpers.js';

describe('supported formats on the fixture tokenizer', () => {
  const src = fixtureTokenizer();
  let grammars: TokenizerGrammars;
  beforeAll(async () => {
    grammars = await TokenizerGrammars.create(vocabOf(src));
  });
  afterAll(() => grammars.dispose());

  it.each([...SUPPORTED_FORMATS])('format %s: 40 random outputs all pass the validator', async (format) => {
    const responseFormat = { type: 'json_schema', schema: { type: 'object', properties: { v: { type: 'string', format } }, required: ['v'] } } as const;
    const compiled = await grammars.compile(responseFormat);
    const tok = hfTokenizer(src);
    for (let seed = 0; seed < 40; seed++) {
      const constraint = await GrammarConstraint.create(compiled);
      const run = await randomConstrained(constraint, src.vocabSize, seed, 256);
      constraint.dispose();
      const text = tok.decode(run.ids, { skip_special_tokens: true });
      expect(run.terminated, text).toBe(true);
      expect(() => validateOutput(text, responseFormat), text).not.toThrow();
    }
  });
});

// The structured-output corpus through real tokenizers with a random "model": random
// logits, the constraint's mask, argmax. Every output decodes (with the real tokenizer)
// to text that parses and validates, 20/20 schemas and 10/10 regexes; the same random
// model without the mask writes nothing valid, so the mask is what does it.
import './xgrammar-env.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenizerGrammars, type GrammarFormat } from '../../../src/backends/onnx/grammar/compile.js';
import { GrammarConstraint } from '../../../src/backends/onnx/grammar/constraint.js';
import { validateOutput } from '../../../src/structured/validate.js';
import type { ResponseFormat } from '../../../src/types.js';
import { REGEXES, SCHEMAS } from '../../corpus/schemas.js';
import { fixtureTokenizer, HAS_STORIES, hfTokenizer, MODELS_SKIP, randomConstrained, randomUnconstrained, storiesTokenizer, vocabOf, type TokenizerSource } from './helpers.js';

const SEEDS = [1, 2, 3];
const BUDGET = 256;

const cases: { name: string; format: ResponseFormat }[] = [
  ...SCHEMAS.map((s) => ({ name: `schema ${s.name}`, format: { type: 'json_schema', schema: s.schema } as const })),
  ...REGEXES.map((r) => ({ name: `regex ${r.name}`, format: { type: 'regex', pattern: r.pattern } as const })),
];

function valid(text: string, format: ResponseFormat): boolean {
  try {
    validateOutput(text, format);
    return true;
  } catch {
    return false;
  }
}

function suite(label: string, source: () => TokenizerSource): void {
  describe(label, () => {
    let src: TokenizerSource;
    let grammars: TokenizerGrammars;
    const compileMs: Record<string, number> = {};
    const tokens: number[] = [];
    beforeAll(async () => {
      src = source();
      grammars = await TokenizerGrammars.create(vocabOf(src));
    });
    afterAll(() => {
      console.log(`${src.name}: compile ms per format`, Object.fromEntries(Object.entries(compileMs).map(([k, v]) => [k, Number(v.toFixed(1))])));
      console.log(`${src.name}: tokens per output min ${Math.min(...tokens)}, max ${Math.max(...tokens)} (budget ${BUDGET})`);
      grammars.dispose();
    });

    it.each(cases)('$name: every constrained output parses and validates', async ({ name, format }) => {
      const compiled = await grammars.compile(format as GrammarFormat);
      compileMs[name] = compiled.compileMs;
      const tok = hfTokenizer(src);
      for (const seed of SEEDS) {
        const constraint = await GrammarConstraint.create(compiled);
        const run = await randomConstrained(constraint, src.vocabSize, seed, BUDGET);
        constraint.dispose();
        const text = tok.decode(run.ids, { skip_special_tokens: true });
        expect(run.terminated, `seed ${seed} ran out of tokens: ${text}`).toBe(true);
        tokens.push(run.ids.length);
        expect(() => validateOutput(text, format), `seed ${seed}: ${text}`).not.toThrow();
      }
    });

    it('without the mask, the same random model writes nothing valid', () => {
      const tok = hfTokenizer(src);
      let validCount = 0;
      for (const { format } of cases) {
        for (const seed of SEEDS) {
          const text = tok.decode(randomUnconstrained(src.vocabSize, src.eosIds, seed, BUDGET), { skip_special_tokens: true });
          if (valid(text, format)) validCount++;
        }
      }
      expect(validCount).toBe(0);
    });
  });
}

suite('fixture tokenizer (byte-level BPE, 512)', fixtureTokenizer);
if (!HAS_STORIES) console.warn(`stories260K corpus run ${MODELS_SKIP}`);
describe.skipIf(!HAS_STORIES)(`stories260K tokenizer (byte fallback, 512; ${MODELS_SKIP})`, () => {
  suite('stories260K', storiesTokenizer);
});

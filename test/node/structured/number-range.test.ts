// Bounded numbers are written by number-range.ts, not XGrammar (whose range grammars
// leak). Checked twice: the EBNF read as a JavaScript regex against every value near
// the bounds, and the compiled grammar in XGrammar's own matcher, inside a JSON object.
import './xgrammar-env.js';
import { describe, expect, it } from 'vitest';
import { TokenizerGrammars } from '../../../src/backends/onnx/grammar/compile.js';
import { digits, numberRangeEbnf } from '../../../src/backends/onnx/grammar/number-range.js';
import { loadXGrammar } from '../../../src/backends/onnx/grammar/xgrammar.js';
import { fixtureTokenizer, vocabOf } from './helpers.js';

/** The EBNF of number-range.ts as a regex: quoted characters, classes, groups, ?, *. */
const asRegex = (ebnf: string): RegExp => new RegExp(`^${ebnf.replace(/"(.)"/g, (_, c: string) => (/[.\-]/.test(c) ? `\\${c}` : c)).replaceAll(' ', '')}$`);

const RANGES: [number, number][] = [
  [0, 0], [0, 9], [0, 10], [0, 120], [1, 999], [5, 5], [7, 1234], [15, 19], [-5, -5], [-10, -2], [-1000, 1000000],
  [0, Infinity], [5, Infinity], [15, Infinity], [-Infinity, 5], [-Infinity, -5], [-Infinity, Infinity], [-90, 90], [99, 101],
];

function inRange(s: string, lo: number, hi: number, type: 'integer' | 'number'): boolean {
  const v = Number(s);
  return /^-?(0|[1-9]\d*)(\.\d{1,6})?$/.test(s) && v >= lo && v <= hi && (type === 'number' || !s.includes('.'));
}

describe('numberRangeEbnf', () => {
  it.each(RANGES)('[%s, %s]: exactly the canonical numbers in range, as a regex', (lo, hi) => {
    for (const type of ['integer', 'number'] as const) {
      const re = asRegex(numberRangeEbnf(lo, hi, type));
      for (let v = -1100; v <= 1100; v++) {
        for (const s of [String(v), `${v}.5`, `${v}.000`, `${v}.25`, `0${v}`, `${v}0`, `${v}.1234567`]) {
          const want = inRange(s, lo, hi, type);
          // "-0", "-0.0" are valid JSON for zero; the grammar may write them, never needs them.
          if (re.test(s) !== want && !(Number(s) === 0 && s.startsWith('-'))) throw new Error(`${type} [${lo}, ${hi}]: ${s} should be ${want ? 'in' : 'out'}`);
        }
      }
      for (const s of ['1000001', '99999999', '-1000001', '9007199254740991']) expect(re.test(s), `${type} [${lo}, ${hi}] ${s}`).toBe(inRange(s, lo, hi, type));
    }
  });

  it('is a trie: no alternation has two branches starting with the same digit', () => {
    // XGrammar mishandles `[0-9] | [1-9] [0-9] | [1-9] [0-9] [0-9]` (see number-range.ts).
    expect(digits(1, 999)).toBe('([1-8] ([0-9] ([0-9])?)? | "9" ([0-8] ([0-9])? | "9" ([0-8] | "9")?)?)');
    expect(digits(0, 20)).toBe('("0" | "1" ([0-9])? | "2" ("0")? | [3-9])');
  });

  it('holds in XGrammar\'s matcher, inside a JSON object (where its own ranges leak)', async () => {
    const xg = await loadXGrammar();
    const grammars = await TokenizerGrammars.create(vocabOf(fixtureTokenizer()));
    const cases: [Record<string, unknown>, string[], string[]][] = [
      [{ type: 'integer', minimum: 0, maximum: 120 }, ['0', '99', '120'], ['121', '129', '1200', '01', '-1']],
      [{ type: 'integer', minimum: 5 }, ['5', '10', '123456'], ['1', '4', '-', '05']],
      [{ type: 'integer', maximum: -5 }, ['-5', '-100'], ['-1', '-4', '0']],
      [{ type: 'number', minimum: 0, maximum: 10 }, ['0', '10', '9.999999', '10.0', '0.5'], ['10.5', '10.000001', '-0.5', '11']],
      [{ type: 'number', minimum: -90, maximum: 90 }, ['-90', '90', '-89.5', '0.25'], ['-90.5', '90.5', '91', '-100']],
    ];
    for (const [schema, good, bad] of cases) {
      const compiled = await grammars.compile({ type: 'json_schema', schema: { type: 'object', properties: { v: schema }, required: ['v'] } });
      const grammar = compiled.grammar.grammar();
      for (const s of good) expect(await xg.Testings.isGrammarAcceptString(grammar, `{"v":${s}}`), `${JSON.stringify(schema)} ${s}`).toBe(true);
      for (const s of bad) expect(await xg.Testings.isGrammarAcceptString(grammar, `{"v":${s}}`), `${JSON.stringify(schema)} ${s}`).toBe(false);
      grammar.dispose();
    }
    grammars.dispose();
  });
});

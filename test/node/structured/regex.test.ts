// Patterns are translated into XGrammar's regex dialect (to-xgrammar.ts). Whatever the
// grammar then lets a random model write must match JavaScript's RegExp of the original
// pattern: as a whole output, and inside a JSON string (where `"`, `\` and control
// characters must come out escaped).
import './xgrammar-env.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenizerGrammars } from '../../../src/backends/onnx/grammar/compile.js';
import { GrammarConstraint } from '../../../src/backends/onnx/grammar/constraint.js';
import { parseRegex } from '../../../src/structured/regex/parse.js';
import { toXGrammarRegex } from '../../../src/structured/regex/to-xgrammar.js';
import { validateOutput } from '../../../src/structured/validate.js';
import { fixtureTokenizer, hfTokenizer, randomConstrained, vocabOf } from './helpers.js';

function emitted(pattern: string, context: 'raw' | 'json_string'): string {
  const parsed = parseRegex(pattern);
  if (!parsed.ok) throw new Error(parsed.refusal.message);
  const out = toXGrammarRegex(parsed.ast, context);
  if (!out.ok) throw new Error(out.message);
  return out.pattern;
}

describe('toXGrammarRegex', () => {
  it.each([
    ['\\.a', 'raw', '[\\x2e]a'], // XGrammar reads `\x2ea` as U+02EA
    ['a|bc', 'raw', '(a|bc)'], // a JSON pattern goes between quotes as it is
    ['\\d{2,}', 'raw', '[\\x30-\\x39]{2,}'],
    ['[^a]', 'raw', '[\\x00-\\x60\\x62-\\x7f]'], // ASCII only: XGrammar's negated classes leak non-ASCII
    ['.', 'raw', '[\\x00-\\x09\\x0b-\\x0c\\x0e-\\x7f]'], // JavaScript's `.` (ASCII), not "any byte"
    ['\\s', 'raw', '[\\x09-\\x0d\\x20]'], // ASCII whitespace only
    ['[a-cé]', 'raw', '([\\x61-\\x63]|é)'], // one non-ASCII member, as a literal
    ['"', 'json_string', '\\x5c\\x22'],
    ['\\n', 'json_string', '\\x5cu000a'],
    ['[a"]', 'json_string', '([\\x61]|\\x5c\\x22)'],
  ])('%s (%s) → %s', (pattern, context, out) => {
    expect(emitted(pattern, context as 'raw' | 'json_string')).toBe(out);
  });

  it('refuses a class of several non-ASCII characters (XGrammar mixes up their bytes)', () => {
    const parsed = parseRegex('[é-ë]');
    expect(parsed.ok && toXGrammarRegex(parsed.ast, 'raw').ok).toBe(false);
  });
});

describe('what the grammar writes matches RegExp', () => {
  const src = fixtureTokenizer();
  let grammars: TokenizerGrammars;
  beforeAll(async () => {
    grammars = await TokenizerGrammars.create(vocabOf(src));
  });
  afterAll(() => grammars.dispose());

  const PATTERNS = [
    'a.{1,4}b', '[^0-9]{1,5}', '\\S{1,4}', '\\W{1,3}x', '\\D\\s\\w', '[a-z"\\\\/]{1,6}', '(ab|cd|e){1,3}', 'x?y*z{0,2}q',
    '[aé]{1,3}', '\\u00e9|\\x41', '(café|thé|中文)', '[\\t\\n ]{0,2}!', 'a\\/b\\.c',
  ];

  it.each(PATTERNS)('%s: 20 random outputs, as a whole output and inside a JSON string', async (pattern) => {
    const tok = hfTokenizer(src);
    const formats = [
      { type: 'regex', pattern } as const,
      { type: 'json_schema', schema: { type: 'object', properties: { v: { type: 'string', pattern: `^(?:${pattern})$` } }, required: ['v'] } } as const,
    ];
    for (const format of formats) {
      const compiled = await grammars.compile(format);
      for (let seed = 0; seed < 20; seed++) {
        const constraint = await GrammarConstraint.create(compiled);
        const run = await randomConstrained(constraint, src.vocabSize, seed, 128);
        constraint.dispose();
        const text = tok.decode(run.ids, { skip_special_tokens: true });
        expect(run.terminated, text).toBe(true);
        expect(() => validateOutput(text, format), JSON.stringify(text)).not.toThrow();
      }
    }
  });
});

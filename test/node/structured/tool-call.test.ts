// The tool-call grammar: exactly one {"name": …, "arguments": …} object for one of the
// tools, the arguments valid for that tool; a named toolChoice narrows it to that tool.
import './xgrammar-env.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenizerGrammars } from '../../../src/backends/onnx/grammar/compile.js';
import { GrammarConstraint } from '../../../src/backends/onnx/grammar/constraint.js';
import { isEdgewiseError } from '../../../src/errors.js';
import { toolCallSchema } from '../../../src/structured/tool-call-schema.js';
import { validateToolCall } from '../../../src/structured/validate.js';
import type { ToolDefinition } from '../../../src/types.js';
import { fixtureTokenizer, hfTokenizer, randomConstrained, vocabOf } from './helpers.js';

const TOOLS: ToolDefinition[] = [
  { name: 'get_weather', description: 'Weather now', parameters: { type: 'object', properties: { city: { type: 'string', minLength: 1, maxLength: 20 }, unit: { enum: ['c', 'f'] } }, required: ['city', 'unit'] } },
  { name: 'add', parameters: { type: 'object', properties: { a: { type: 'integer', minimum: -99, maximum: 99 }, b: { type: 'integer', minimum: -99, maximum: 99 } }, required: ['a', 'b'] } },
  { name: 'tag', parameters: { type: 'object', properties: { item: { $ref: '#/$defs/item' }, more: { type: 'array', maxItems: 2, items: { $ref: '#/$defs/item' } } }, required: ['item', 'more'], $defs: { item: { type: 'string', pattern: '^[a-z]{1,6}$' } } } },
  { name: 'ping', parameters: { type: 'object', properties: {} } },
];

describe('tool-call grammar', () => {
  const src = fixtureTokenizer();
  let grammars: TokenizerGrammars;
  beforeAll(async () => {
    grammars = await TokenizerGrammars.create(vocabOf(src));
  });
  afterAll(() => grammars.dispose());

  async function calls(toolChoice: 'required' | { name: string }, n: number): Promise<{ name: string; arguments: Record<string, unknown> }[]> {
    const compiled = await grammars.compile({ type: 'tool_call', tools: TOOLS, toolChoice });
    const tok = hfTokenizer(src);
    const out = [];
    for (let seed = 0; seed < n; seed++) {
      const constraint = await GrammarConstraint.create(compiled);
      const run = await randomConstrained(constraint, src.vocabSize, seed, 256);
      constraint.dispose();
      const text = tok.decode(run.ids, { skip_special_tokens: true });
      expect(run.terminated, text).toBe(true);
      out.push(validateToolCall(text, TOOLS));
    }
    return out;
  }

  it('writes one valid call of some tool, every time', async () => {
    const made = await calls('required', 30);
    expect(new Set(made.map((c) => c.name)).size).toBeGreaterThan(1);
  });

  it('a named toolChoice narrows the grammar to that tool', async () => {
    for (const c of await calls({ name: 'tag' }, 10)) expect(c.name).toBe('tag');
  });

  it('moves each tool\'s parameters under $defs, rebasing their local refs', () => {
    const schema = toolCallSchema(TOOLS, { name: 'tag' }) as Record<string, unknown>;
    expect(schema['properties']).toEqual({ name: { const: 'tag' }, arguments: { $ref: '#/$defs/tool0' } });
    const params = (schema['$defs'] as Record<string, Record<string, Record<string, unknown>>>)['tool0']!;
    expect(params['properties']!['item']).toEqual({ $ref: '#/$defs/tool0/$defs/item' });
    expect(TOOLS[2]!.parameters).toMatchObject({ properties: { item: { $ref: '#/$defs/item' } } }); // not mutated
  });

  it("refuses toolChoice 'none': there is nothing to constrain", async () => {
    const error = await grammars.compile({ type: 'tool_call', tools: TOOLS, toolChoice: 'none' as 'required' }).catch((e: unknown) => e);
    expect(isEdgewiseError(error) && error.code).toBe('invalid_tools');
  });
});

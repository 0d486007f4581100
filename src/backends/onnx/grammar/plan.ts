/**
 * What to compile for a format, and its cache key: checks it first (schema-check.ts),
 * then rewrites it for XGrammar (schema-rewrite.ts, to-xgrammar.ts).
 *
 * JSON is compact (`anyWhitespace: false`, separators "," and ":"): with free whitespace
 * a tiny or random-weight model loops on spaces and newlines until `maxTokens`, and even
 * a trained one spends tokens on indentation.
 */
import { EdgewiseError } from '../../../errors.js';
import { parseRegex } from '../../../structured/regex/parse.js';
import { toXGrammarRegex } from '../../../structured/regex/to-xgrammar.js';
import { checkResponseFormat, checkTools } from '../../../structured/schema-check.js';
import { toolCallSchema } from '../../../structured/tool-call-schema.js';
import type { JSONSchema } from '../../../types.js';
import type { GrammarFormat } from './format.js';
import { schemaForXGrammar } from './schema-rewrite.js';
import type { XCompiledGrammar, XGrammar, XGrammarCompiler } from './xgrammar.js';

/** Compact JSON; see the header. */
const JSON_ARGS = [false, -1, [',', ':'] as [string, string], true] as const;

/** A format's cache key, and how to compile it once the key misses. */
export interface CompilePlan {
  key: string;
  run: (compiler: XGrammarCompiler) => Promise<XCompiledGrammar>;
}

/**
 * The cache key and the compile call of a format, after checking it. A schema with
 * bounded numbers goes through XGrammar's EBNF, with number-range.ts's rules spliced in
 * for the placeholders schema-rewrite.ts left (`Testings._jsonSchemaToEBNF` is the same
 * converter `compileJSONSchema` runs, exposed as text).
 */
export function plan(format: GrammarFormat, xg: XGrammar): CompilePlan {
  const jsonSchema = (input: JSONSchema, prefix: string): CompilePlan => {
    const { schema, ranges } = schemaForXGrammar(input);
    const text = JSON.stringify(schema);
    if (ranges.size === 0) return { key: `${prefix}:${text}`, run: (c) => c.compileJSONSchema(text, ...JSON_ARGS) };
    return {
      key: `${prefix}:${text}:${JSON.stringify([...ranges])}`,
      run: async (c) => c.compileGrammar(splice(await xg.Testings._jsonSchemaToEBNF(text, ...JSON_ARGS), ranges)),
    };
  };
  if (format.type === 'tool_call') {
    const { tools, toolChoice } = checkTools(format.tools, format.toolChoice ?? 'required');
    if (toolChoice === 'none') throw new EdgewiseError('invalid_tools', "toolChoice 'none' needs no grammar: generate text instead.", { details: { option: 'toolChoice' } });
    return jsonSchema(toolCallSchema(tools, toolChoice), 'tool_call');
  }
  const checked = checkResponseFormat(format);
  switch (checked.type) {
    case 'json_schema':
      return jsonSchema(checked.schema, 'json_schema');
    case 'json_object':
      // A compact object of anything; the builtin JSON grammar would allow free whitespace and any value.
      return jsonSchema({ type: 'object' }, 'json_object');
    case 'regex': {
      const parsed = parseRegex(checked.pattern);
      const emitted = parsed.ok ? toXGrammarRegex(parsed.ast, 'raw') : undefined;
      if (emitted === undefined || !emitted.ok) throw new EdgewiseError('invalid_response_format', 'unreachable: checkRegex accepted a pattern the emitter refuses', { details: { feature: 'pattern' } });
      const pattern = emitted.pattern;
      return { key: `regex:${pattern}`, run: (c) => c.compileStructuralTag({ type: 'structural_tag', format: { type: 'regex', pattern } }) };
    }
    default: {
      const never: never = checked;
      return never;
    }
  }
}

/**
 * Replaces each placeholder's string literal in the EBNF by its rule. One can be absent
 * (a `$defs` entry nothing refers to); none found means XGrammar writes constants
 * differently now, and the grammar would be wrong.
 */
function splice(ebnf: string, ranges: ReadonlyMap<string, string>): string {
  let out = ebnf;
  let found = 0;
  for (const [placeholder, rule] of ranges) {
    const literal = `"\\"${placeholder}\\""`;
    if (out.includes(literal)) found++;
    out = out.replaceAll(literal, rule);
  }
  if (found === 0) throw new Error('no number-range placeholder found in XGrammar\'s EBNF');
  return out;
}

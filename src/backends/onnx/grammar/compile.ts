/**
 * Compiles response formats and tool calls into XGrammar grammars for one tokenizer.
 * One compiler per tokenizer, created once; each format compiled once per tokenizer and
 * kept (least recently used out past `maxCached`), so a schema used on every request
 * costs its compile once.
 *
 * JSON is compact (`anyWhitespace: false`, separators "," and ":"): with free whitespace
 * a tiny or random-weight model loops on spaces and newlines until `maxTokens`, and even
 * a trained one spends tokens on indentation.
 */
import { EdgewiseError } from '../../../errors.js';
import { checkResponseFormat, checkTools } from '../../../structured/schema-check.js';
import { toolCallSchema } from '../../../structured/tool-call-schema.js';
import { parseRegex } from '../../../structured/regex/parse.js';
import { toXGrammarRegex } from '../../../structured/regex/to-xgrammar.js';
import type { JSONSchema, ResponseFormat, ToolChoice, ToolDefinition } from '../../../types.js';
import { schemaForXGrammar } from './schema-rewrite.js';
import { utf8Table, type Utf8Table } from './utf8.js';
import type { GrammarVocab } from './vocab.js';
import { loadXGrammar, type XCompiledGrammar, type XGrammar, type XGrammarCompiler, type XGrammarImporter } from './xgrammar.js';

/** Exactly one call of one of `tools` (a named `toolChoice` narrows to that tool). */
export interface ToolCallFormat {
  type: 'tool_call';
  tools: readonly ToolDefinition[];
  /** Default `'required'`; `'auto'` means the same here (the caller chose to constrain to a call). */
  toolChoice?: Exclude<ToolChoice, 'none'>;
}

/** Anything a grammar can be compiled from. */
export type GrammarFormat = ResponseFormat | ToolCallFormat;

/** A grammar ready for {@link GrammarConstraint.create}; owned by the {@link TokenizerGrammars} that made it. */
export interface CompiledFormat {
  /** Identifies the format's grammar for this tokenizer (the cache key). */
  readonly key: string;
  /** Milliseconds the compile took (the first time, for a cache hit). */
  readonly compileMs: number;
  /** True when this call found it compiled already. */
  readonly cacheHit: boolean;
  readonly vocab: GrammarVocab;
  /** @internal Per-token UTF-8 validity, shared by every format of the tokenizer. */
  readonly utf8: Utf8Table;
  /** @internal The XGrammar object; read by constraint.ts only. */
  readonly grammar: XCompiledGrammar;
  /** @internal */
  readonly xgrammar: XGrammar;
}

export interface GrammarCacheStats {
  compiles: number;
  hits: number;
  /** Sum over every compile, in milliseconds. */
  compileMs: number;
  cached: number;
}

export interface TokenizerGrammarsOptions {
  /** Compiled grammars kept per tokenizer; default 64. */
  maxCached?: number;
  importer?: XGrammarImporter;
}

interface Entry {
  promise: Promise<{ grammar: XCompiledGrammar; compileMs: number }>;
}

/** Compact JSON; see the header. */
const JSON_ARGS = [false, -1, [',', ':'] as [string, string], true] as const;

/**
 * The compiler and compiled grammars of one tokenizer.
 *
 * @example
 * const grammars = await TokenizerGrammars.create(grammarVocab(tokenizerJson, config, { eosIds: [2] }));
 * const compiled = await grammars.compile({ type: 'json_schema', schema });
 * const constraint = await GrammarConstraint.create(compiled);
 */
export class TokenizerGrammars {
  private readonly entries = new Map<string, Entry>();
  private readonly counters: GrammarCacheStats = { compiles: 0, hits: 0, compileMs: 0, cached: 0 };
  private disposed = false;

  private constructor(
    readonly vocab: GrammarVocab,
    private readonly xg: XGrammar,
    private readonly compiler: XGrammarCompiler,
    private readonly maxCached: number,
    private readonly utf8: Utf8Table,
    /** Milliseconds to build the tokenizer info, the compiler and the UTF-8 table. */
    readonly initMs: number,
  ) {}

  static async create(vocab: GrammarVocab, options: TokenizerGrammarsOptions = {}): Promise<TokenizerGrammars> {
    const xg = await loadXGrammar(options.importer);
    const t0 = performance.now();
    const info = await xg.TokenizerInfo.createTokenizerInfo([...vocab.encodedVocab], vocab.vocabType, vocab.prependSpace, vocab.vocabSize, [...vocab.stopTokenIds]);
    try {
      // XGrammar's own cache is off: it has no size limit in the web build, and this class keeps one.
      const compiler = await xg.GrammarCompiler.createGrammarCompiler(info, false);
      const utf8 = utf8Table(vocab);
      return new TokenizerGrammars(vocab, xg, compiler, options.maxCached ?? 64, utf8, performance.now() - t0);
    } finally {
      // The compiler holds its own reference to the tokenizer info.
      info.dispose();
    }
  }

  get stats(): Readonly<GrammarCacheStats> {
    return { ...this.counters, cached: this.entries.size };
  }

  /**
   * Checks the format (schema-check.ts), then compiles it or finds it compiled. Throws
   * `invalid_response_format` / `invalid_tools` for a format it cannot enforce.
   */
  async compile(format: GrammarFormat): Promise<CompiledFormat> {
    if (this.disposed) throw new EdgewiseError('disposed', 'This tokenizer\'s grammars were disposed; load the model again.');
    const { key, run } = plan(format, this.xg);
    let entry = this.entries.get(key);
    const cacheHit = entry !== undefined;
    if (entry !== undefined) {
      this.counters.hits++;
      this.entries.delete(key); // re-inserted below: most recently used last
    } else {
      entry = { promise: this.run(run, format.type === 'tool_call' ? 'invalid_tools' : 'invalid_response_format') };
      entry.promise.catch(() => this.entries.get(key) === entry && this.entries.delete(key));
    }
    this.entries.set(key, entry);
    this.evict();
    const { grammar, compileMs } = await entry.promise;
    return { key, compileMs, cacheHit, vocab: this.vocab, utf8: this.utf8, grammar, xgrammar: this.xg };
  }

  private async run(run: (c: XGrammarCompiler) => Promise<XCompiledGrammar>, code: 'invalid_response_format' | 'invalid_tools'): Promise<{ grammar: XCompiledGrammar; compileMs: number }> {
    const t0 = performance.now();
    let grammar: XCompiledGrammar;
    try {
      grammar = await run(this.compiler);
    } catch (cause) {
      throw new EdgewiseError(code, `The grammar engine could not compile this format (${cause instanceof Error ? cause.message : String(cause)}); simplify the schema or pattern.`, { cause, details: { feature: 'grammar' } });
    }
    const compileMs = performance.now() - t0;
    this.counters.compiles++;
    this.counters.compileMs += compileMs;
    return { grammar, compileMs };
  }

  private evict(): void {
    while (this.entries.size > this.maxCached) {
      const [oldest, entry] = this.entries.entries().next().value as [string, Entry];
      this.entries.delete(oldest);
      // A matcher made from it keeps its own reference inside XGrammar; only this handle goes.
      void entry.promise.then((r) => r.grammar.dispose(), () => undefined);
    }
  }

  /** Frees the compiler and every grammar (WASM memory). Constraints already made stay usable. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const entry of this.entries.values()) void entry.promise.then((r) => r.grammar.dispose(), () => undefined);
    this.entries.clear();
    this.compiler.dispose();
    shared.delete(this.vocab.key);
  }
}

/**
 * The cache key and the compile call of a format, after checking it. A schema with
 * bounded numbers goes through XGrammar's EBNF, with number-range.ts's rules spliced in
 * for the placeholders schema-rewrite.ts left (`Testings._jsonSchemaToEBNF` is the same
 * converter `compileJSONSchema` runs, exposed as text).
 */
function plan(format: GrammarFormat, xg: XGrammar): { key: string; run: (c: XGrammarCompiler) => Promise<XCompiledGrammar> } {
  const jsonSchema = (input: JSONSchema, prefix: string): ReturnType<typeof plan> => {
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

const shared = new Map<string, Promise<TokenizerGrammars>>();

/**
 * The {@link TokenizerGrammars} of a tokenizer, created on first use and shared by every
 * caller with the same vocabulary (same `vocab.key`) until disposed.
 * @example const grammars = await grammarsFor(vocab);
 */
export function grammarsFor(vocab: GrammarVocab, options: TokenizerGrammarsOptions = {}): Promise<TokenizerGrammars> {
  let p = shared.get(vocab.key);
  if (p === undefined) {
    p = TokenizerGrammars.create(vocab, options);
    shared.set(vocab.key, p);
    p.catch(() => shared.get(vocab.key) === p && shared.delete(vocab.key));
  }
  return p;
}

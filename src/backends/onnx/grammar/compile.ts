/**
 * Compiles response formats and tool calls into XGrammar grammars for one tokenizer.
 * One compiler per tokenizer, created once; each format compiled once per tokenizer and
 * kept (least recently used out past `maxCached`), so a schema used on every request
 * costs its compile once.
 */
import { EdgewiseError } from '../../../errors.js';
import { GrammarConstraint, type GrammarConstraintOptions } from './constraint.js';
import type { CompiledFormat, GrammarFormat } from './format.js';
import { plan } from './plan.js';
import { utf8Table, type Utf8Table } from './utf8.js';

export type { CompiledFormat, GrammarFormat, ToolCallFormat } from './format.js';
import type { GrammarVocab } from './vocab.js';
import { loadXGrammar, type XCompiledGrammar, type XGrammar, type XGrammarCompiler, type XGrammarImporter } from './xgrammar.js';

/** Counters of one {@link TokenizerGrammars}, for logs and the timing tests. */
export interface GrammarCacheStats {
  compiles: number;
  hits: number;
  /** Sum over every compile, in milliseconds. */
  compileMs: number;
  cached: number;
}

/** Options of {@link TokenizerGrammars.create} and {@link grammarsFor}. */
export interface TokenizerGrammarsOptions {
  /** Compiled grammars kept per tokenizer; default 64. */
  maxCached?: number;
  importer?: XGrammarImporter;
}

interface Entry {
  promise: Promise<{ grammar: XCompiledGrammar; compileMs: number }>;
  settled: boolean;
  /** Callers between getting the grammar and making their matcher: never evicted meanwhile. */
  pins: number;
}

/**
 * The compiler and compiled grammars of one tokenizer.
 *
 * @example
 * const grammars = await grammarsFor(grammarVocab(tokenizerJson, config, { eosIds: [2] }));
 * const constraint = await grammars.constraint({ type: 'json_schema', schema });
 * try { … the decode loop … } finally { constraint.dispose(); }
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
   * The constraint for one request: checks the format (schema-check.ts), compiles it or
   * finds it compiled, and makes its matcher. Throws `invalid_response_format` /
   * `invalid_tools` for a format it cannot enforce.
   */
  async constraint(format: GrammarFormat, options: GrammarConstraintOptions = {}): Promise<GrammarConstraint> {
    const { compiled, release } = await this.acquire(format);
    try {
      return await GrammarConstraint.create(compiled, options);
    } finally {
      release();
    }
  }

  /**
   * Compiles a format, or finds it compiled (to warm the cache, or to read `compileMs`).
   * The grammar may be evicted by later compiles: make constraints with
   * {@link constraint}, or pass this to {@link GrammarConstraint.create} at once.
   */
  async compile(format: GrammarFormat): Promise<CompiledFormat> {
    const { compiled, release } = await this.acquire(format);
    release();
    return compiled;
  }

  private async acquire(format: GrammarFormat): Promise<{ compiled: CompiledFormat; release: () => void }> {
    if (this.disposed) throw disposedError();
    const { key, run } = plan(format, this.xg);
    let entry = this.entries.get(key);
    const cacheHit = entry !== undefined;
    if (entry !== undefined) {
      this.counters.hits++;
      this.entries.delete(key); // re-inserted below: most recently used last
    } else {
      const created: Entry = { promise: this.run(run, format.type === 'tool_call' ? 'invalid_tools' : 'invalid_response_format'), settled: false, pins: 0 };
      created.promise.then(
        () => void (created.settled = true),
        () => this.entries.get(key) === created && this.entries.delete(key),
      );
      entry = created;
    }
    this.entries.set(key, entry);
    entry.pins++;
    const pinned = entry;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      pinned.pins--;
      this.evict();
    };
    try {
      const { grammar, compileMs } = await entry.promise;
      if (this.disposed) throw disposedError();
      return { compiled: { key, compileMs, cacheHit, vocab: this.vocab, utf8: this.utf8, grammar, xgrammar: this.xg }, release };
    } catch (e) {
      release();
      throw e;
    }
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

  /** Least recently used first; an entry still compiling or pinned stays (the cache may run over meanwhile). */
  private evict(): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.maxCached) return;
      if (!entry.settled || entry.pins > 0) continue;
      this.entries.delete(key);
      // A matcher made from it keeps its own reference inside XGrammar; only this handle goes.
      void entry.promise.then((r) => r.grammar.dispose());
    }
  }

  /** Frees the compiler and every grammar (WASM memory). Constraints already made stay usable. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const entry of this.entries.values()) void entry.promise.then((r) => r.grammar.dispose(), () => undefined);
    this.entries.clear();
    this.compiler.dispose();
    if (shared.get(this.vocab.key) === owners.get(this)) shared.delete(this.vocab.key);
  }
}

const disposedError = (): EdgewiseError => new EdgewiseError('disposed', "This tokenizer's grammars were disposed; load the model again.");

const shared = new Map<string, Promise<TokenizerGrammars>>();
/** The shared promise each instance came from, so disposing another instance leaves the shared one alone. */
const owners = new WeakMap<TokenizerGrammars, Promise<TokenizerGrammars>>();

/**
 * The {@link TokenizerGrammars} of a tokenizer, created on first use and shared by every
 * caller with the same vocabulary (same `vocab.key`) until disposed.
 * @example const grammars = await grammarsFor(vocab);
 */
export function grammarsFor(vocab: GrammarVocab, options: TokenizerGrammarsOptions = {}): Promise<TokenizerGrammars> {
  let p = shared.get(vocab.key);
  if (p === undefined) {
    const created = TokenizerGrammars.create(vocab, options);
    shared.set(vocab.key, created);
    created.then(
      (g) => owners.set(g, created),
      () => shared.get(vocab.key) === created && shared.delete(vocab.key),
    );
    p = created;
  }
  return p;
}

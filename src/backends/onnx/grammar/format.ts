/**
 * What a grammar is compiled from, and what a compiled one carries: types only, so the
 * compiler, the plan of a compile and the per-request constraint can share them without
 * importing one another.
 */
import type { ResponseFormat, ToolChoice, ToolDefinition } from '../../../types.js';
import type { Utf8Table } from './utf8.js';
import type { GrammarVocab } from './vocab.js';
import type { XCompiledGrammar, XGrammar } from './xgrammar.js';

/** Exactly one call of one of `tools` (a named `toolChoice` narrows to that tool). */
export interface ToolCallFormat {
  type: 'tool_call';
  tools: readonly ToolDefinition[];
  /** Default `'required'`; `'auto'` means the same here (the caller chose to constrain to a call). */
  toolChoice?: Exclude<ToolChoice, 'none'>;
}

/** Anything a grammar can be compiled from. */
export type GrammarFormat = ResponseFormat | ToolCallFormat;

/**
 * A compiled grammar, owned by the `TokenizerGrammars` (compile.ts) that made it (which disposes
 * it when evicted or disposed itself).
 */
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
